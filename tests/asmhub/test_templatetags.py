"""The site-wide template helpers that write HTML themselves must escape what they are
given, exactly as the template language would."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from asmhub.templatetags.hub import facet_items


@pytest.fixture(autouse=True)
def english():
    """Counts and words as English writes them, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def items(**overrides):
    item = {"url": "?a=1&b=2", "label": "Gold", "count": 1234, "selected": False}
    return [{**item, **overrides}]


def test_a_facet_value_is_a_link_with_its_count():
    assert facet_items(items()) == (
        '<li><a href="?a=1&amp;b=2" rel="nofollow">Gold <span class="count">1,234</span></a></li>\n'
    )


def test_a_selected_value_says_so_to_the_eye_and_to_screen_readers():
    html = facet_items(items(selected=True))
    assert ' class="selected" aria-current="true">' in html
    assert '<span class="visually-hidden">Remove filter: </span>Gold' in html


def test_labels_and_urls_are_escaped_and_safe_text_is_kept():
    html = facet_items(items(label='<script>"x"</script>', url='"><b>'))
    assert "<script>" not in html and "&lt;script&gt;&quot;x&quot;" in html
    assert 'href="&quot;&gt;&lt;b&gt;"' in html
    assert "<em>kept</em>" in facet_items(items(label=mark_safe("<em>kept</em>")))


def test_the_same_markup_as_the_template_language_would_write():
    template = Template(
        "{% load i18n humanize %}{% for item in items %}"
        '<li><a href="{{ item.url }}" rel="nofollow"{% if item.selected %} class="selected"'
        ' aria-current="true"{% endif %}>{% if item.selected %}<span class="visually-hidden">'
        '{% translate "Remove filter:" %} </span>{% endif %}{{ item.label }} '
        '<span class="count">{{ item.count|intcomma }}</span></a></li>\n{% endfor %}'
    )
    values = items(label="Côte d'Ivoire & <Ghana>", count=98765) + items(selected=True)
    with translation.override("es"):
        assert facet_items(values) == template.render(Context({"items": values}))


def test_counts_are_written_as_each_language_writes_them_whichever_came_first():
    """A count's writing is kept per language: switching back and forth between
    languages in one process never shows one language's grouping in another."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    for language in ["es", "en", "fr", "sw", "pt", "es", "en"]:
        with translation.override(language):
            for count in (7, 1234, 98765, 1234567):
                html = facet_items(items(count=count))
                assert f'<span class="count">{intcomma(count)}</span>' in html
    with translation.override("es"):
        assert '<span class="count">1.234.567</span>' in facet_items(items(count=1234567))
