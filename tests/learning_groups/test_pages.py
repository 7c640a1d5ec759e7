"""The learning group pages: what they show, what they hide, and how many queries."""

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.conftest import page_html
from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    MeetingFactory,
    MembershipFactory,
    NewsFactory,
    OrganisationFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ghana_group():
    ghana = CountryFactory(code="GH")
    fon = OrganisationFactory(name="Friends of the Nation", acronym="FoN")
    group = LearningGroupFactory(
        country=ghana,
        name="Ghana Learning and Leadership Group",
        slug="ghana-llg",
        convenors=[fon],
        outputs=[
            ResourceFactory(title="Roadmap for ASM reform"),
            ResourceFactory(title="Unpublished draft roadmap", status=Resource.Status.DRAFT),
        ],
    )
    MembershipFactory(
        group=group,
        organisation=fon,
        role="convenor",
        stakeholder_group="civil_society",
        person_name="Consenting Convenor",
        name_consent=True,
    )
    MembershipFactory(
        group=group,
        organisation=OrganisationFactory(name="Minerals Commission"),
        stakeholder_group="government",
        person_name="Private Person",
        name_consent=False,
    )
    MeetingFactory(
        group=group,
        purpose="Nomination at the action dialogue",
        documents=[
            ResourceFactory(title="Evidence to inform an action dialogue"),
            ResourceFactory(title="Hidden meeting note", status=Resource.Status.IN_REVIEW),
        ],
    )
    DialogueFactory(
        title="Ghana action dialogue", scope="national", country=ghana, learning_group=group
    )
    return group


def test_list_shows_each_group_with_its_country_and_convenors(client, ghana_group):
    LearningGroupFactory(country=CountryFactory(code="TZ"), name="Tanzania group")
    html = page_html(client, reverse("learning_groups:list"))
    assert "Ghana Learning and Leadership Group" in html
    assert "Tanzania group" in html
    assert "Friends of the Nation" in html
    assert "2 member organisations" in html
    assert "1 meeting" in html


def test_list_filters_by_country_and_status(client, ghana_group):
    LearningGroupFactory(country=CountryFactory(code="TZ"), name="Tanzania group", status="forming")
    url = reverse("learning_groups:list")
    assert [g.name for g in client.get(url, {"country": "tz"}).context["groups"]] == [
        "Tanzania group"
    ]
    assert [g.name for g in client.get(url, {"status": "active"}).context["groups"]] == [
        "Ghana Learning and Leadership Group"
    ]


def test_detail_shows_members_meetings_outputs_and_dialogues(client, ghana_group):
    html = page_html(client, ghana_group.get_absolute_url())
    for text in (
        "Friends of the Nation",
        "Minerals Commission",
        "Civil society",
        "Government",
        "Convenor",
        "Nomination at the action dialogue",
        "Evidence to inform an action dialogue",
        "Roadmap for ASM reform",
        "Ghana action dialogue",
    ):
        assert text in html, text


def test_detail_never_shows_unpublished_resources(client, ghana_group):
    html = client.get(ghana_group.get_absolute_url()).content.decode()
    assert "Unpublished draft roadmap" not in html
    assert "Hidden meeting note" not in html


def test_consent_decides_whether_a_name_is_shown(client, ghana_group):
    html = client.get(ghana_group.get_absolute_url()).content.decode()
    assert "Consenting Convenor" in html
    assert "Private Person" not in html
    assert "Minerals Commission" in html


def test_unknown_group_is_a_404(client):
    assert client.get(reverse("learning_groups:detail", args=["nowhere"])).status_code == 404


def test_list_query_count(client, django_assert_max_num_queries, ghana_group):
    for code in ("TZ", "ET", "CO"):
        LearningGroupFactory(country=CountryFactory(code=code), convenors=[OrganisationFactory()])
    # 1 count for the paginator, 1 page of groups with their country and counts,
    # 1 prefetch of convenors, 1 of their translations (names and descriptions in the
    # reader's language): constant however many groups.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("learning_groups:list")).status_code == 200


def test_detail_query_count(client, django_assert_max_num_queries, ghana_group):
    MeetingFactory(group=ghana_group, documents=[ResourceFactory()])
    NewsFactory.create_batch(2, learning_groups=[ghana_group], countries=[ghana_group.country])
    # 1 group with its country, prefetches of convenors, translations (its name and
    # description in the reader's language), memberships with organisations, meetings,
    # meeting documents and outputs (6), the documents' and outputs' translations (their
    # titles in the reader's language, one a list: 2), 1 for dialogues, 1 prefetch of their
    # themes and 1 of their translations, 1 for the Outlooks, 1 counting its published
    # voices (voices_link), the newest news, their countries and translations (3), 1
    # INSERT counting the view (usage): constant however many members, meetings and news.
    with django_assert_max_num_queries(18):
        assert client.get(ghana_group.get_absolute_url()).status_code == 200
