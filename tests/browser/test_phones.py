"""In a real Chromium at phone, tablet and desktop widths: no page scrolls sideways, axe-core
finds no WCAG 2.1 A/AA violation and a full-page screenshot of each is kept under
var/screenshots/<width>/ (for CI to keep as an artefact), the library shows its
results before its filters on a phone, the Filters disclosure opens without JavaScript,
and touch targets are 44 px high."""

import datetime
import re

import pytest
from django.conf import settings

from tests.conftest import axe_violations
from tests.factories import (
    CountryFactory,
    LearningGroupFactory,
    MembershipFactory,
    NewsFactory,
    OrganisationFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
    ResourceFactory,
    ThemeFactory,
    ghana_action_dialogue,
)
from usage.models import DailyUsage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 375, 768, 1280]

PAGES = [
    "/",
    "/resources/?country=gh&theme=mercury",
    "/search/?q=mercury",
    "/resources/mercury-ghana/",
    "/countries/",
    "/countries/gh/",
    "/learning-groups/ghana-llg/",
    "/outlooks/?year=2018&indicator=asm_miners",
    "/outlooks/gh/",
    "/dialogues/",
    "/dialogues/ghana-action-dialogue/",
    "/organisations/",
    "/organisations/?country=gh&kind=ngo&q=friends",
    "/organisations/friends-of-the-nation/",
    "/news/",
    "/news/?country=gh&theme=mercury",
    "/news/a-long-week-of-meetings/",
    "/statistics/",
    f"/statistics/organisations/friends-of-the-nation/{datetime.datetime.now(datetime.UTC).year}/",
    "/about/",
    "/about/api/",
    "/offline/",
]


@pytest.fixture
def hub(browser):
    """A hub with enough of everything to be wide: eight countries in the library (more
    than a facet shows before "more"), a long country name in the Outlook chart and
    tables, a dialogue with its participation table."""
    ghana = CountryFactory(
        code="GH", region="Sub-Saharan Africa", is_programme_country=True, est_asm_miners=1_100_000
    )
    congo = CountryFactory(code="CD", region="Sub-Saharan Africa", is_programme_country=True)
    others = [CountryFactory(code=code) for code in ("TZ", "CO", "PE", "BO", "IN", "ET")]
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    fon = OrganisationFactory(
        name="Friends of the Nation",
        slug="friends-of-the-nation",
        acronym="FoN",
        country=ghana,
        is_partner=True,
        description="A Ghanaian NGO on extractives and the environment.",
        website="https://www.fonghana.org/with/a/rather/long/address/that/could/overflow",
    )
    used = ResourceFactory(
        title="Mercury use in Ghana's gold fields",
        slug="mercury-ghana",
        owner=fon,
        countries=[ghana],
        themes=[mercury],
        authors=["Hilson, G."],
        doi="10.1016/j.resourpol.2019.101431",
        with_file=True,
    )
    for index, country in enumerate([congo, *others]):
        ResourceFactory(
            title=f"Mercury and gold in {country.name}",
            countries=[country, ghana] if index % 2 else [country],
            themes=[mercury],
        )
    this_year = datetime.datetime.now(datetime.UTC).year
    for month in range(1, 13):  # a year of use, for the statistics pages' charts
        DailyUsage.objects.create(
            day=datetime.date(this_year, month, 1),
            item_kind="resource",
            item_id=used.pk,
            views=month * 40,
            unique_views=month * 30,
            downloads=month * 9,
            unique_downloads=month * 7,
        )
    group = LearningGroupFactory(country=ghana, name="Ghana LLG", slug="ghana-llg", convenors=[fon])
    MembershipFactory(group=group, organisation=fon, role="convenor")
    dialogue = ghana_action_dialogue(ghana, learning_group=group)
    NewsFactory(
        title="A long week of meetings",
        slug="a-long-week-of-meetings",
        organisation=fon,
        countries=[ghana],
        themes=[mercury],
        learning_groups=[group],
        body="## What happened\n\nA list:\n\n- one\n- [a link](https://example.org/"
        + "a" * 80
        + ")\n\n> A quote from a miner.",
    )
    dialogue.participation.create(stakeholder_group="government", count=10)
    dialogue.participation.create(stakeholder_group="civil_society", count=12)
    for country in (ghana, congo):
        for year in (2016, 2017, 2018):
            report = OutlookReportFactory(country=country, year=year, is_sample=True)
            OutlookIndicatorFactory(report=report, value=1_000_000, low=900_000, high=1_200_000)
            OutlookIndicatorFactory(report=report, indicator="women_share", value=30)


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def screenshot_path(path, width):
    """var/screenshots/375/resources-mercury-ghana.jpeg for /resources/mercury-ghana/ at 375 px."""
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return settings.VAR_DIR / "screenshots" / str(width) / f"{name}.jpeg"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_or_fails_axe(browser, live_server, hub, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{live_server.url}{path}")
            assert overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
            assert axe_violations(page) == [], f"{path} at {width} px"
            page.screenshot(path=screenshot_path(path, width), full_page=True, quality=70)
    finally:
        context.close()


def test_header_wraps_within_the_smallest_phone(browser, live_server, hub):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        for selector in (".nav", "nav.languages", ".header-search"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, selector
        assert page.locator(".nav").get_by_role("link", name="Dialogues").is_visible()
    finally:
        context.close()


def test_chart_labels_stay_readable_on_a_phone(browser, live_server, hub):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/outlooks/?year=2018&indicator=asm_miners")
        size = page.locator(".chart-label").first.evaluate(
            "label => label.getBoundingClientRect().height"
        )
        assert size >= 12, f"chart labels are {size} px high"
        region = page.get_by_role("region", name="National ASM Outlook indicators")
        assert region.count() == 0  # the comparison page's table has its own name
        table = page.get_by_role("region", name="Estimated ASM miners by country, 2018")
        assert table.get_attribute("tabindex") == "0"
    finally:
        context.close()


def test_library_shows_results_before_filters_on_a_phone(browser, live_server, hub):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/resources/?theme=mercury&year_from=2000")
        first_result = page.locator(".result").first.bounding_box()
        filters = page.locator("details.filters")
        assert first_result["y"] < filters.bounding_box()["y"]
        summary = filters.locator("summary").first
        assert summary.inner_text() == "Filters (2 active)"
        ghana = page.locator(".facets").get_by_role("link", name="Ghana 4")
        assert not ghana.is_visible()
        summary.click()
        assert ghana.is_visible()
        # The sixth country onwards waits behind "more", which opens without JavaScript.
        country = page.locator(".facet").filter(has=page.locator("#facet-country"))
        assert country.locator("details.facet-more li").count() == 3
        hidden = country.locator("details.facet-more li a").first
        assert not hidden.is_visible()
        country.locator("details.facet-more summary").click()
        assert hidden.is_visible()
        # The year range is one of the filters.
        assert filters.locator("#id_year_from").input_value() == "2000"
    finally:
        context.close()


def test_filters_are_a_sidebar_on_a_wide_screen(browser, live_server, hub):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/resources/")
        facets = page.locator(".facets").bounding_box()
        results = page.locator(".results").bounding_box()
        assert facets["x"] + facets["width"] <= results["x"]
        assert page.locator(".facets").get_by_role("link", name="Mercury 8").is_visible()
        assert not page.locator("details.filters > summary").is_visible()
    finally:
        context.close()


def test_touch_targets_are_44_px_high_on_a_phone(browser, live_server, hub):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/resources/")
        page.locator("details.filters > summary").click()
        selectors = [
            ".nav a",
            "nav.languages a",
            ".facets li a",
            ".sort a",
            "details.filters > summary",
            ".header-search button",
        ]
        for selector in selectors:
            heights = page.locator(selector).evaluate_all(
                "links => links.filter(a => a.offsetParent).map("
                "a => a.getBoundingClientRect().height)"
            )
            assert heights, selector
            assert min(heights) >= 44, f"{selector}: {min(heights)} px"
    finally:
        context.close()


def test_print_leaves_out_the_controls_and_prints_outside_addresses(page, live_server, hub):
    page.goto(f"{live_server.url}/resources/mercury-ghana/")
    page.emulate_media(media="print")
    for selector in (".site-header nav.languages", ".header-search", "nav[aria-label=Main]"):
        assert not page.locator(selector).is_visible(), selector
    doi = page.get_by_role("link", name="10.1016/j.resourpol.2019.101431")
    after = doi.evaluate("link => getComputedStyle(link, '::after').content")
    assert "https://doi.org/10.1016/j.resourpol.2019.101431" in after
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colour == "rgb(255, 255, 255)"


def test_the_network_pages_work_without_javascript_on_a_phone(browser, live_server, hub):
    """With JavaScript off at 320 px: an organisation found through the Filters
    disclosure's facet links and its page; news found through the filter form."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/organisations/")
        page.locator("details.filters summary").click()
        page.locator(".facet").filter(has_text="Partner").get_by_role(
            "link", name="Programme partners"
        ).click()
        assert "partner=yes" in page.url
        page.get_by_role("link", name="Friends of the Nation").click()
        assert page.url.endswith("/organisations/friends-of-the-nation/")
        assert page.get_by_role("heading", name="Ghana LLG").count() == 0
        assert page.get_by_role("link", name="Ghana LLG").is_visible()
        assert page.get_by_role("link", name="A long week of meetings").is_visible()
        page.goto(f"{live_server.url}/news/")
        page.get_by_label("Country").select_option("gh")
        page.get_by_label("Theme").select_option("mercury")
        page.get_by_role("button", name="Filter").click()
        assert "country=gh" in page.url and "theme=mercury" in page.url
        page.get_by_role("link", name="A long week of meetings").click()
        assert page.locator(".news-body blockquote").inner_text() == "A quote from a miner."
        assert overflow(page) <= 0
    finally:
        context.close()


def test_translated_titles_fit_the_smallest_phone(browser, live_server, hub):
    # A long Swahili title above the original, in the lists a Swahili reader sees it in
    # (related resources write it the same way: tests/resources/test_translated_titles.py).
    from resources.models import Resource, ResourceTranslation

    Resource.objects.filter(slug="mercury-ghana").update(is_featured=True)  # on the home page
    ResourceTranslation.objects.create(
        resource=Resource.objects.get(slug="mercury-ghana"),
        language="sw",
        title="Matumizi ya zebaki katika mashamba ya dhahabu ya Ghana na athari zake kiafya",
    )
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        for path in (
            "/sw/",
            "/sw/resources/?country=gh&theme=mercury",
            "/sw/search/?q=zebaki",
            "/sw/countries/gh/",
            "/sw/organisations/friends-of-the-nation/",
        ):
            page.goto(f"{live_server.url}{path}")
            assert overflow(page) <= 0, f"{path} scrolls sideways at 320 px"
            original = page.locator('.original-title[lang="en"]').first
            assert original.is_visible(), path
            title = page.locator('[lang="sw"]', has_text="Matumizi ya zebaki").first
            sizes = [
                each.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
                for each in (original, title)
            ]
            assert sizes[0] < sizes[1], f"{path}: the original is not smaller"
        assert axe_violations(page) == []
    finally:
        context.close()
