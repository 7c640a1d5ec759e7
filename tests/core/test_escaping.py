"""Escaping written in Python prints what the template language prints (core/escaping.py,
and the result rows' _text, which localises first)."""

import datetime

from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core.escaping import escaped
from resources.templatetags.library import _text

AS_TEMPLATE = Template("{{ value }}")


@given(st.text())
def test_text_is_escaped_as_django_escapes_it(text):
    assert escaped(text) == escape(text)
    assert _text(text) == AS_TEMPLATE.render(Context({"value": text}))


def test_safe_lazy_and_other_values_print_as_a_template_prints_them():
    values = [
        mark_safe("<b>kept</b>"),
        gettext_lazy("Remove filter:"),
        2024,
        12345678,
        None,
        3.5,
        datetime.date(2024, 3, 1),
        "a \"quoted\" <tag> & 'apostrophe'",
    ]
    for language in ("en", "fr", "es"):
        with translation.override(language):
            for value in values:
                assert _text(value) == AS_TEMPLATE.render(Context({"value": value})), value
    assert escaped(mark_safe("<i>x</i>")) == "<i>x</i>"
