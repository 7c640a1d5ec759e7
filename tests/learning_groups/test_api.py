"""The learning groups' and Outlooks' JSON API: the list page's filters, names of members
only with consent, only published resources, strict 400s, 304s and fixed query counts."""

import decimal

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.factories import (
    CountryFactory,
    LearningGroupFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
    ResourceFactory,
)
from tests.resources.discovery.test_api import assert_documented, get_json

pytestmark = pytest.mark.django_db

GROUPS = reverse("api:learning-groups")
OUTLOOKS = reverse("api:outlooks")


@pytest.fixture
def programme():
    ghana, tanzania = CountryFactory(code="GH"), CountryFactory(code="TZ")
    draft = ResourceFactory(slug="draft-output", status=Resource.Status.DRAFT)
    published = ResourceFactory(slug="published-output", title="Roadmap", year=2016)
    ghana_group = LearningGroupFactory(
        country=ghana, name="Ghana LLG", slug="ghana-llg", outputs=[draft, published]
    )
    ghana_group.convenors.set([OrganisationFactory(slug="fon", name="Friends of the Nation")])
    MembershipFactory(group=ghana_group, person_name="Ama Mensah", name_consent=True)
    MembershipFactory(group=ghana_group, person_name="Secret Person", name_consent=False)
    MeetingFactory(group=ghana_group, documents=[draft, published])
    LearningGroupFactory(country=tanzania, name="Tanzania LLG", slug="tz-llg", status="forming")
    report = OutlookReportFactory(country=ghana, year=2018, document=draft)
    OutlookIndicatorFactory(
        report=report, value=decimal.Decimal("1100000"), low=900000, high=1200000
    )
    OutlookIndicatorFactory(
        report=report, indicator="women_share", value=decimal.Decimal("12.50"), is_sample=True
    )
    OutlookReportFactory(country=ghana, year=2017, document=published)
    OutlookReportFactory(country=tanzania, year=2018)
    return ghana_group


@pytest.mark.parametrize(
    "params", [{}, {"country": "gh"}, {"country": ["GH", "tz"]}, {"status": "forming"}]
)
def test_group_filters_equal_the_list_page(client, programme, params):
    api = get_json(client, GROUPS, params)
    page = client.get(reverse("learning_groups:list"), params).context
    assert [g["slug"] for g in api["results"]] == [g.slug for g in page["groups"]]
    assert api["count"] == page["paginator"].count


def test_group_list_fields(client, programme):
    (group,) = get_json(client, GROUPS, {"country": "gh"})["results"]
    assert group["url"] == "http://testserver/api/learning-groups/ghana-llg/"
    assert group["html_url"] == "http://testserver/learning-groups/ghana-llg/"
    assert group["country"]["code"] == "GH"
    assert (group["member_count"], group["meeting_count"]) == (2, 1)
    assert [c["slug"] for c in group["convenors"]] == ["fon"]
    assert group["status"] == "active" and group["status_label"] == "Active"


def test_member_names_only_with_consent_and_only_published_resources(client, programme):
    group = get_json(client, reverse("api:learning-group", args=["ghana-llg"]))
    names = [m["person_name"] for m in group["members"]]
    assert sorted(names, key=str) == ["Ama Mensah", None]
    assert b"Secret Person" not in client.get(group["url"]).content
    assert [r["slug"] for r in group["outputs"]] == ["published-output"]
    (meeting,) = group["meetings"]
    assert [r["slug"] for r in meeting["documents"]] == ["published-output"]
    assert meeting["documents"][0]["url"] == "http://testserver/api/resources/published-output/"
    assert "draft-output" not in client.get(group["url"]).content.decode()
    assert [o["year"] for o in group["outlooks"]] == [2018, 2017]
    assert get_json(client, group["outlooks"][0]["url"])["results"][0]["year"] == 2018


def test_every_answer_is_what_the_document_says(client, programme):
    assert_documented(client, GROUPS)
    assert_documented(client, reverse("api:learning-group", args=["ghana-llg"]))
    assert_documented(client, OUTLOOKS)


def test_outlooks_with_indicators(client, programme):
    data = get_json(client, OUTLOOKS, {"country": "GH", "year": "2018"})
    (report,) = data["results"]
    assert report["html_url"] == "http://testserver/outlooks/gh/"
    assert report["document"] is None  # a draft is never referenced
    miners, women = report["indicators"]
    assert (miners["value"], miners["low"], miners["high"]) == (1100000, 900000, 1200000)
    assert (women["value"], women["unit"], women["is_sample"]) == (12.5, "%", True)
    older = get_json(client, OUTLOOKS, {"country": "gh", "year": 2017})["results"][0]
    assert older["document"]["slug"] == "published-output"
    everything = get_json(client, OUTLOOKS)["results"]
    assert [(r["country"]["code"], r["year"]) for r in everything] == [
        ("GH", 2018),
        ("TZ", 2018),
        ("GH", 2017),
    ]


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        (GROUPS, {"country": "zz"}, "country"),
        (GROUPS, {"status": "sleeping"}, "status"),
        (GROUPS, {"colour": "red"}, "colour"),
        (GROUPS, {"page": "0"}, "page"),
        (GROUPS, {"page_size": "1000"}, "page_size"),
        (OUTLOOKS, {"country": "xx"}, "country"),
        (OUTLOOKS, {"year": "soon"}, "year"),
        (OUTLOOKS, {"year": "1066"}, "year"),
        (OUTLOOKS, {"indicator": "asm_miners"}, "indicator"),
        ("/api/learning-groups/ghana-llg/", {"full": "1"}, "full"),
    ],
)
def test_bad_parameters_are_a_400_that_names_them(client, programme, url, params, parameter):
    error = get_json(client, url, params, status=400)["error"]
    assert error["parameter"] == parameter


def test_unknown_group_and_page_past_the_end_are_json_404s(client, programme):
    error = get_json(client, reverse("api:learning-group", args=["nowhere"]), status=404)
    assert error["error"]["code"] == "not_found"
    get_json(client, OUTLOOKS, {"page": 9}, status=404)


def test_group_is_cacheable(client, programme):
    url = reverse("api:learning-group", args=["ghana-llg"])
    first = client.get(url)
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(OUTLOOKS, HTTP_IF_NONE_MATCH=client.get(OUTLOOKS)["ETag"]).status_code == 304


@pytest.fixture
def many():
    for code in ("GH", "TZ", "ET", "CO", "PE", "BO", "IN", "MG", "CD", "UG", "ZM", "ZW"):
        country = CountryFactory(code=code)
        outputs = [ResourceFactory(), ResourceFactory(status=Resource.Status.DRAFT)]
        group = LearningGroupFactory(country=country, outputs=outputs)
        group.convenors.set([OrganisationFactory()])
        MembershipFactory(group=group)
        MeetingFactory(group=group, documents=outputs)
        report = OutlookReportFactory(country=country, document=outputs[0])
        OutlookIndicatorFactory(report=report)
        OutlookIndicatorFactory(report=report, indicator="women_share", value=10)
    return group


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        # count, the page (country joined, counts annotated), the convenors, the
        # translations (each row carries them).
        (GROUPS, 4),
        # the group, convenors, its translations, members (organisation joined), meetings,
        # their published documents, published outputs, its dialogues, its Outlook years.
        ("detail", 9),
        # count, the page (country and document joined), the indicators, the translations.
        (OUTLOOKS, 4),
    ],
)
def test_query_counts_do_not_grow_with_rows(
    client, many, url, limit, django_assert_max_num_queries
):
    if url == "detail":
        url = reverse("api:learning-group", args=[many.slug])
    # +1: the INSERT that counts the request as machine use (usage.middleware).
    with django_assert_max_num_queries(limit + 1):
        assert client.get(url).status_code == 200
