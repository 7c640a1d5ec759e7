"""In a real browser: from a country profile to its dialogue to a background paper, and
axe-core finds no WCAG 2.1 A/AA violation on any of the programme's page types."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import axe_violations
from tests.factories import (
    CountryFactory,
    DialogueDocumentFactory,
    LearningGroupFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
    ResourceFactory,
    StageFactory,
    ThemeFactory,
    ghana_action_dialogue,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(browser):
    ghana = CountryFactory(
        code="GH", region="Sub-Saharan Africa", is_programme_country=True, est_asm_miners=1_100_000
    )
    CountryFactory(code="TZ", region="Sub-Saharan Africa", is_programme_country=True)
    fon = OrganisationFactory(name="Friends of the Nation", country=ghana)
    group = LearningGroupFactory(country=ghana, name="Ghana LLG", slug="ghana-llg", convenors=[fon])
    MembershipFactory(group=group, organisation=fon, role="convenor")
    paper = ResourceFactory(
        title="Artisanal and small-scale gold mining in Ghana: evidence", countries=[ghana]
    )
    MeetingFactory(group=group, documents=[paper])
    dialogue = ghana_action_dialogue(
        ghana,
        learning_group=group,
        themes=[ThemeFactory(slug="formalisation", name="Formalisation")],
    )
    dialogue.participation.create(stakeholder_group="government", count=10)
    StageFactory(dialogue=dialogue, kind="workshop", starts_on=datetime.date(2016, 1, 21))
    DialogueDocumentFactory(dialogue=dialogue, resource=paper, role="background")
    for year, women in ((2017, None), (2018, 30)):
        report = OutlookReportFactory(country=ghana, year=year, is_sample=True)
        OutlookIndicatorFactory(report=report, value=1_000_000, low=900_000, high=1_200_000)
        if women:
            OutlookIndicatorFactory(report=report, indicator="women_share", value=women)
    return {"group": group, "dialogue": dialogue, "paper": paper}


def check(page):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def test_country_to_dialogue_to_background_paper(live_server, page, programme):
    page.goto(live_server.url + reverse("country-detail", args=["gh"]))
    assert page.locator("h1").inner_text() == "Ghana"
    check(page)
    page.get_by_role("link", name="Ghana action dialogue").click()
    page.wait_for_url("**/dialogues/ghana-action-dialogue/")
    assert page.locator("h1").inner_text() == "Ghana action dialogue"
    assert page.get_by_role("heading", name="Background paper").is_visible()
    check(page)
    page.get_by_role("link", name=programme["paper"].title).click()
    page.wait_for_url(f"**{programme['paper'].get_absolute_url()}")
    assert page.locator("h1").inner_text() == programme["paper"].title


@pytest.mark.parametrize(
    "path",
    [
        reverse("home"),
        reverse("country-list"),
        reverse("learning_groups:list"),
        reverse("learning_groups:detail", args=["ghana-llg"]),
        reverse("learning_groups:outlooks") + "?indicator=women_share",
        reverse("learning_groups:outlook-country", args=["gh"]),
        reverse("dialogues:list"),
    ],
)
def test_programme_pages_have_no_wcag_violations(live_server, page, programme, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    check(page)
