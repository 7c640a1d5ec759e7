"""slug_url is reverse() for a slug's URL, in every language and under a script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.reversing import PLACEHOLDER, slug_url

LANGUAGES = ["en", "es", "fr", "pt", "sw"]
slugs = st.text(alphabet="abcxyz019-_ é/%?#.", max_size=30) | st.sampled_from(
    ["", PLACEHOLDER, f"{PLACEHOLDER}-2", "gold-in-ghana", "x" * 200]
)


def reversed_or_refused(function, name, slug):
    try:
        return function(name, slug)
    except NoReverseMatch:
        return NoReverseMatch


@settings(max_examples=150, deadline=None)
@given(slug=slugs, language=st.sampled_from(LANGUAGES), prefix=st.sampled_from(["/", "/hub/"]))
def test_a_slug_url_is_what_reverse_gives(slug, language, prefix):
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            for name in ("resources:detail", "resources:download"):
                exact = reversed_or_refused(lambda n, s: reverse(n, args=[s]), name, slug)
                assert reversed_or_refused(slug_url, name, slug) == exact
    finally:
        set_script_prefix("/")


def test_each_language_has_its_own_prefix():
    with translation.override("es"):
        assert slug_url("resources:detail", "gold") == "/es/resources/gold/"
    assert slug_url("resources:detail", "gold") == "/resources/gold/"


def test_a_slug_the_converter_refuses_is_refused():
    with pytest.raises(NoReverseMatch):
        slug_url("resources:detail", "")
