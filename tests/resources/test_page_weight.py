"""The library page stays light for readers on slow, expensive connections."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024


def test_library_page_with_its_css_and_js_is_under_60_kb_compressed(client):
    countries = [CountryFactory(code=c) for c in ("GH", "TZ", "CO", "PE", "BO", "IN", "ET")]
    themes = [ThemeFactory(slug=f"theme-{i}", name=f"Theme {i}") for i in range(12)]
    for i in range(25):
        ResourceFactory(
            summary="Artisanal and small-scale mining " * 30,
            countries=countries[: 1 + i % 3],
            themes=themes[i % 12 : i % 12 + 2],
            tags=[f"tag {i % 15}", "gold"],
            authors=["Hilson, G.", "Maconachie, R."],
        )
    html = client.get(reverse("resources:list") + "?q=mining").content
    total = len(gzip.compress(html))
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page links its stylesheet"
    for path in assets:
        found = finders.find(re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", path.decode()))
        with open(found, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total < BUDGET, f"{total} bytes compressed"
