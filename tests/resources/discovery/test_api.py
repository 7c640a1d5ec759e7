"""The read-only JSON API: the library's filters mean the same here, bad parameters are a
400 that names them, answers are cacheable (ETag, 304) and open to other origins, and the
OpenAPI document is valid."""

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from resources.models import Resource
from tests.factories import (
    CommodityFactory,
    CountryFactory,
    OrganisationFactory,
    ResourceFactory,
    ThemeFactory,
)
from tests.resources.test_library import corpus  # noqa: F401 - the library's fixture

pytestmark = pytest.mark.django_db

RESOURCES = reverse("api:resources")


def get_json(client, url, params=None, status=200, **headers):
    response = client.get(url, params or {}, **headers)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"country": "gh"},
        {"country": ["GH", "tz"], "sort": "title"},
        {"theme": "mercury", "type": "report"},
        {"commodity": "development_minerals"},
        {"q": "ghana"},
        {"q": "mercury", "sort": "oldest"},
        {"language": "es"},
        {"tag": "mercury"},
        {"year_from": "2016", "year_to": "2019"},
    ],
)
def test_api_filters_equal_the_library(client, corpus, params):  # noqa: F811
    api = get_json(client, RESOURCES, params)
    library = client.get(reverse("resources:list"), params).context
    assert [r["slug"] for r in api["results"]] == [r.slug for r in library["resources"]]
    assert api["count"] == library["result_count"]
    for facet in library["facets"]:
        assert [(i["value"], i["count"]) for i in api["facets"][facet["name"]]] == [
            (i["value"], i["count"]) for i in facet["items"]
        ]


def test_api_resource_fields(client, corpus):  # noqa: F811
    data = get_json(client, RESOURCES, {"q": "salt"})
    # PostgreSQL's search may also find other words starting "salt"; the record is first.
    item = data["results"][0]
    assert item["title"] == "Salt and gravel"
    assert item["url"] == f"http://testserver/api/resources/{item['slug']}/"
    assert item["html_url"] == f"http://testserver/resources/{item['slug']}/"
    assert item["authors"][0] == {
        "name": "Hilson, G.",
        "family_name": "Hilson",
        "given_names": "G.",
        "is_organisation": False,
    }
    assert item["commodities"] == [{"slug": "development_minerals", "name": "Development minerals"}]
    assert item["citation"]["bibtex"].endswith(f"/resources/{item['slug']}/cite.bib")
    assert get_json(client, item["url"]) == item


def test_api_pagination(client, corpus, settings):  # noqa: F811
    first = get_json(client, RESOURCES, {"page_size": 4})
    assert (first["count"], first["num_pages"], len(first["results"])) == (6, 2, 4)
    assert first["previous"] is None
    second = get_json(client, first["next"])
    assert len(second["results"]) == 2 and second["next"] is None
    slugs = [r["slug"] for r in first["results"] + second["results"]]
    assert len(set(slugs)) == 6


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"colour": "red"}, "colour"),
        ({"country": "xx"}, "country"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"type": "poem"}, "type"),
        ({"year_from": "last year"}, "year_from"),
        ({"year_to": "3000"}, "year_to"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"page": ["1", "2"]}, "page"),
    ],
)
def test_bad_parameters_are_a_400_that_names_them(client, corpus, params, parameter):  # noqa: F811
    data = get_json(client, RESOURCES, params, status=400)
    assert data["error"]["parameter"] == parameter
    assert data["error"]["code"] == (
        "unknown_parameter" if parameter == "colour" else "bad_parameter"
    )
    assert data["error"]["detail"]


def test_page_past_the_end_is_a_404(client, corpus):  # noqa: F811
    data = get_json(client, RESOURCES, {"page": "9"}, status=404)
    assert data["error"]["code"] == "page_out_of_range"


def test_hidden_resources_are_not_in_the_api(client, corpus):  # noqa: F811
    hidden = Resource.objects.exclude(status=Resource.Status.PUBLISHED)
    for resource in hidden:
        get_json(client, reverse("api:resource", args=[resource.slug]), status=404)
    slugs = {r["slug"] for r in get_json(client, RESOURCES, {"page_size": 100})["results"]}
    assert not slugs & {r.slug for r in hidden}


def test_repeated_conditional_request_is_a_304(client, corpus):  # noqa: F811
    for url in (RESOURCES + "?country=gh", reverse("api:countries"), reverse("api:openapi")):
        first = client.get(url)
        assert first.status_code == 200
        assert "max-age=300" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]


def test_detail_has_last_modified_and_answers_if_modified_since(client):
    resource = ResourceFactory()
    url = reverse("api:resource", args=[resource.slug])
    first = client.get(url)
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    resource.title = "Changed"
    resource.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_cors_preflight_and_no_writes(client):
    response = client.options(RESOURCES, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    response = client.post(RESOURCES, {})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_countries_and_organisations(client):
    gh = CountryFactory(code="GH", is_programme_country=True, est_asm_miners=1_100_000)
    CountryFactory(code="PE")
    owner = OrganisationFactory(name="Minerals Commission", slug="minco", country=gh)
    ResourceFactory(countries=[gh], owner=owner)
    ResourceFactory(countries=[gh], owner=owner, status=Resource.Status.DRAFT)

    countries = get_json(client, reverse("api:countries"))
    assert [c["code"] for c in countries["results"]] == ["GH", "PE"]
    ghana = get_json(client, reverse("api:country", args=["gh"]))
    assert ghana["resource_count"] == 1
    assert ghana["figures"]["est_asm_miners"] == 1_100_000
    assert ghana["resources_url"] == "http://testserver/api/resources/?country=gh"
    get_json(client, reverse("api:country", args=["zz"]), status=404)

    organisations = get_json(client, reverse("api:organisations"))
    (org,) = organisations["results"]
    assert org["name"] == "Minerals Commission"
    assert org["resource_count"] == 1
    assert org["country"]["code"] == "GH"
    assert get_json(client, org["url"]) == org
    get_json(client, reverse("api:organisation", args=["nobody"]), status=404)


def test_openapi_document_is_valid_and_complete(client):
    document = get_json(client, reverse("api:openapi"))
    validate(document)
    assert set(document["paths"]) >= {
        "/api/resources/",
        "/api/resources/{slug}/",
        "/api/countries/",
        "/api/countries/{iso2}/",
        "/api/organisations/",
        "/api/organisations/{slug}/",
    }
    documented = {p["name"] for p in document["paths"]["/api/resources/"]["get"]["parameters"]}
    from resources.discovery.api import RESOURCE_PARAMS

    assert documented == RESOURCE_PARAMS
    index = get_json(client, reverse("api:index"))
    assert index["openapi"] == "http://testserver/api/openapi.json"


@pytest.fixture
def many():
    gh = CountryFactory(code="GH")
    theme = ThemeFactory(slug="mercury", name="Mercury")
    gold = CommodityFactory(slug="gold", name="Gold")
    owner = OrganisationFactory()
    for _n in range(25):
        ResourceFactory(
            countries=[gh],
            themes=[theme],
            commodities=[gold],
            tags=["mercury"],
            owner=owner,
            authors=["Hilson, G.", "IIED"],
        )


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        # count + page + 5 prefetches + 7 facets + the tags' content type until cached;
        # country choices come from django-countries, not the database.
        (RESOURCES + "?country=gh&page_size=20", 15),
        # the resource (owner joined), then authors, countries, themes, tags, commodities
        # and the tags' content type until cached.
        ("detail", 7),
        ("/api/countries/", 1),
        ("/api/organisations/", 2),
    ],
)
def test_query_counts_do_not_grow_with_results(
    client, many, url, limit, django_assert_max_num_queries, warm_facet_index
):
    if url == "detail":
        url = reverse("api:resource", args=[Resource.objects.first().slug])
    warm_facet_index()
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
