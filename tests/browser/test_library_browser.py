"""In a real Chromium: filter the library, follow a chip, open a resource, download it;
axe-core finds no WCAG 2.1 A/AA violation on the home, library and detail pages."""

import pytest

from tests.conftest import axe_violations
from tests.factories import PDF_BYTES, CountryFactory, ResourceFactory, ThemeFactory
from tests.usage.events import downloads_recorded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library():
    ghana, tanzania = CountryFactory(code="GH"), CountryFactory(code="TZ")
    CountryFactory(code="TZ").__class__.objects.filter(code__in=["GH", "TZ"]).update(
        is_programme_country=True
    )
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    target = ResourceFactory(
        title="Mercury use in Ghana's gold fields",
        slug="mercury-ghana",
        countries=[ghana],
        themes=[mercury],
        tags=["mercury"],
        authors=["Hilson, G."],
        year=2019,
        with_file=True,
    )
    ResourceFactory(title="Women miners in Tanzania", countries=[tanzania], year=2018)
    ResourceFactory(title="Mercury in Tanzania", countries=[tanzania], themes=[mercury])
    return target


def test_filter_follow_chip_open_and_download(page, live_server, library):
    page.goto(f"{live_server.url}/resources/")
    assert "3 resources" in page.locator("#results-heading").inner_text()

    page.get_by_role("link", name="Mercury 2").click()
    assert "2 resources" in page.locator("#results-heading").inner_text()
    page.locator(".facets").get_by_role("link", name="Ghana 1").click()
    assert "1 resource" in page.locator("#results-heading").inner_text()
    assert "country=gh" in page.url and "theme=mercury" in page.url

    # Removing the theme chip keeps the country filter.
    page.locator(".chips").get_by_role("link", name="Remove filter: Theme: Mercury").click()
    assert "theme=" not in page.url and "country=gh" in page.url
    assert "1 resource" in page.locator("#results-heading").inner_text()

    page.get_by_role("link", name="Mercury use in Ghana's gold fields").click()
    assert page.locator("h1").inner_text() == "Mercury use in Ghana's gold fields"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "mercury-ghana.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF_BYTES
    # Headless Chromium calls itself HeadlessChrome, a robot on COUNTER's list: its
    # download is served but not counted (a reader's browser's is: tests/usage).
    assert downloads_recorded(library) == 0


def test_keyboard_reaches_the_skip_link_first(page, live_server, library):
    page.goto(f"{live_server.url}/resources/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/resources/",
        "/resources/?country=gh&theme=mercury",
        "/resources/?country=zz",
        "/resources/mercury-ghana/",
        "/countries/",
        "/countries/gh/",
        "/resources/nothing-here/",
        "/resources/?q=mercurry+tanzanya",
    ],
)
def test_no_wcag_violations(page, live_server, library, path):
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []


def test_works_narrow_and_without_javascript(browser, live_server, library):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.fill("#home-q", "mercury")
        page.click(".hero-search button")
        assert "2 resources" in page.locator("#results-heading").inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, "the library page scrolls sideways on a small phone"
    finally:
        context.close()


def test_closest_spellings_fit_a_small_phone(browser, live_server, library):
    """The spellings of a misspelt search: a short labelled list of links that works
    without JavaScript, 320 px wide without scrolling sideways (and without WCAG
    violations: test_no_wcag_violations)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/resources/?q=mercurry+tanzanya&sort=year")
        assert "0 resources" in page.locator("#results-heading").inner_text()
        links = page.locator("ul[aria-labelledby=spellings-label] a")
        assert links.first.inner_text() == "mercury tanzania"
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        links.first.click()
        assert "1 resource" in page.locator("#results-heading").inner_text()
        assert "sort=year" in page.url
    finally:
        context.close()


def test_switching_language_keeps_the_filtered_library(page, live_server, library):
    page.goto(f"{live_server.url}/resources/?country=gh&theme=mercury")
    assert "1 resource" in page.locator("#results-heading").inner_text()
    page.locator("nav.languages").get_by_role("link", name="Español").click()
    assert page.url.endswith("/es/resources/?country=gh&theme=mercury")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "1 recurso" in page.locator("#results-heading").inner_text()
    page.locator("nav.languages").get_by_role("link", name="Kiswahili").click()
    assert page.url.endswith("/sw/resources/?country=gh&theme=mercury")
    page.locator("nav.languages").get_by_role("link", name="English").click()
    assert page.url.endswith("/resources/?country=gh&theme=mercury")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("code", ["es", "fr", "pt", "sw"])
def test_no_accessibility_violations_in_each_language(page, live_server, library, code):
    for path in ("/", "/resources/?country=gh", "/resources/mercury-ghana/"):
        page.goto(f"{live_server.url}/{code}{path}")
        assert page.locator("html").get_attribute("lang") == code
        assert axe_violations(page) == [], f"/{code}{path}"
