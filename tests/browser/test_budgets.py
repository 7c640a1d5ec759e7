"""The issue's budgets for a reader on a phone, measured in a real Chromium at 375 px:
what the library page costs in bytes (compressed as the server would send them) and in
requests, without pictures and with a page of thumbnails, and that pictures below the
fold wait until they are scrolled to. (Lighthouse itself is not run in the suite: see
docs/performance.md.)"""

import gzip

import pytest
from django.core.files.base import ContentFile

from resources.curation.thumbnails import make_thumbnails
from resources.models import Resource
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory
from tests.resources.files.test_thumbnails import report_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_TYPES = ("text/", "application/javascript", "image/svg+xml", "application/json")


def library(with_thumbnails):
    countries = [CountryFactory(code=code) for code in ("GH", "TZ", "CO", "PE", "BO", "IN")]
    themes = [ThemeFactory(slug=f"theme-{i}", name=f"Theme {i}") for i in range(10)]
    first = ResourceFactory(file=ContentFile(report_pdf(), name="report.pdf"), external_url="")
    for i in range(24):
        ResourceFactory(
            summary="Artisanal and small-scale mining in the gold fields " * 12,
            countries=countries[: 1 + i % 3],
            themes=themes[i % 10 : i % 10 + 2],
            authors=["Hilson, G.", "Maconachie, R."],
        )
    if with_thumbnails:
        make_thumbnails()
        first.refresh_from_db()
        # One rendering shared by every row: the budget is about a page of them.
        Resource.objects.update(
            file=first.file.name,
            thumbnail=first.thumbnail,
            thumbnail_source=first.file.name,
            thumbnail_width=first.thumbnail_width,
            thumbnail_height=first.thumbnail_height,
        )


def load(browser, url, scroll=False):
    """[(url, content type, bytes as sent compressed)] of everything the page loaded."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    loaded = []
    try:
        page = context.new_page()

        def record(response):
            body = response.body() if response.status == 200 else b""
            kind = response.headers.get("content-type", "")
            size = len(gzip.compress(body)) if kind.startswith(TEXT_TYPES) else len(body)
            loaded.append((response.url, kind, size))

        page.on("response", record)
        page.goto(url, wait_until="networkidle")
        if scroll:
            # Down the page a screen at a time, as a reader scrolls.
            while page.evaluate("scrollY + innerHeight < document.body.scrollHeight"):
                page.mouse.wheel(0, 600)
                page.wait_for_timeout(100)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
    finally:
        context.close()
    return loaded


def test_the_library_without_pictures_is_under_60_kb_in_few_requests(browser, live_server):
    library(with_thumbnails=False)
    loaded = load(browser, f"{live_server.url}/resources/")
    total = sum(size for _url, _kind, size in loaded)
    assert total < 60 * 1024, loaded
    # The page, its stylesheet and its icon: no script, no font, nothing from elsewhere.
    assert len(loaded) <= 3, loaded
    assert all(url.startswith(live_server.url) for url, _kind, _size in loaded)


def test_a_page_of_thumbnails_stays_under_150_kb_and_loads_lazily(browser, live_server):
    library(with_thumbnails=True)
    first_view = load(browser, f"{live_server.url}/resources/")
    pictures = [url for url, kind, _size in first_view if kind == "image/webp"]
    # A phone's first screen shows a few rows: the pictures below wait to be scrolled to.
    assert 1 <= len(pictures) < 20, pictures
    scrolled = load(browser, f"{live_server.url}/resources/", scroll=True)
    pictures = [size for _url, kind, size in scrolled if kind == "image/webp"]
    assert len(pictures) == 20
    assert max(pictures) < 8 * 1024  # a list row's thumbnail weighs under 8 KB
    total = sum(size for _url, _kind, size in scrolled)
    assert total < 150 * 1024, scrolled
