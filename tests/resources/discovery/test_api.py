"""The read-only JSON API: the library's filters mean the same here, bad parameters are a
400 that names them, answers are cacheable (ETag, 304) and open to other origins, and the
OpenAPI document generated from the views is valid and describes every answer."""

import re

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse
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
    """The JSON of a GET from another site's page (browsers send its Origin)."""
    headers.setdefault("HTTP_ORIGIN", "https://elsewhere.example")
    response = client.get(url, params or {}, **headers)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Expose-Headers"] == "ETag, Last-Modified"
    return response.json()


def _resolved(document, schema):
    """schema with its $ref followed and a nullable wrapper (allOf/oneOf of one object
    and null) taken off."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    parts = [_resolved(document, part) for part in schema.get("allOf", schema.get("oneOf", []))]
    shaped = [part for part in parts if {"properties", "items", "additionalProperties"} & set(part)]
    return shaped[0] if len(shaped) == 1 else schema


def _nullable(document, schema):
    options = [schema, *schema.get("oneOf", [])]
    return any(o.get("nullable") or _resolved(document, o).get("enum") == [None] for o in options)


TYPES = {"string": str, "integer": int, "number": int | float, "boolean": bool}


def assert_described(document, schema, data, where="answer"):
    """data has exactly the fields schema documents, each of its documented type."""
    if data is None:
        assert _nullable(document, schema), f"{where} is null, documented as not nullable"
        return
    schema = _resolved(document, schema)
    if isinstance(data, dict) and "properties" in schema:
        assert set(data) == set(schema["properties"]), f"{where} fields differ from the document"
        assert set(schema.get("required", ())) <= set(data), where
        for key, value in data.items():
            assert_described(document, schema["properties"][key], value, f"{where}.{key}")
    elif isinstance(data, dict):
        assert "additionalProperties" in schema, f"{where} is documented as {schema}"
        for key, value in data.items():
            assert_described(document, schema["additionalProperties"], value, f"{where}.{key}")
    elif isinstance(data, list):
        assert schema.get("type") == "array", f"{where} is documented as {schema}"
        for n, item in enumerate(data):
            assert_described(document, schema["items"], item, f"{where}[{n}]")
    elif "type" in schema:
        assert isinstance(data, TYPES[schema["type"]]), f"{where}: {data!r} is not {schema}"
        assert data in schema.get("enum", [data]), f"{where}: {data!r} not in its enum"


def assert_documented(client, url, params=None):
    """The answer to GET url is exactly what /api/openapi.json says it is."""
    document = client.get(reverse("api:openapi")).json()
    route = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", resolve(url.split("?")[0]).route)
    operation = document["paths"][route]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert_described(document, schema, get_json(client, url, params), route)


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
    origin = {"HTTP_ORIGIN": "https://elsewhere.example"}
    preflight = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET", **origin}
    response = client.options(
        RESOURCES, HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match", **preflight
    )
    assert response.status_code == 200
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "If-None-Match, If-Modified-Since"
    response = client.options(RESOURCES, **origin)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    response = client.post(RESOURCES, {}, **origin)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "error": {"code": "method_not_allowed", "detail": "Only GET is allowed."}
    }


def test_cors_is_for_the_api_only(client):
    origin = {"HTTP_ORIGIN": "https://elsewhere.example"}
    assert "Access-Control-Allow-Origin" not in client.get(reverse("resources:list"), **origin)
    preflight = client.options("/resources/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin)
    assert "Access-Control-Allow-Methods" not in preflight


def test_any_accept_header_gets_json_and_no_format_switch(client):
    response = client.get(reverse("api:countries"), HTTP_ACCEPT="text/html")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    error = get_json(client, reverse("api:countries"), {"format": "api"}, status=400)["error"]
    assert (error["code"], error["parameter"]) == ("unknown_parameter", "format")


def test_json_is_written_as_utf_8_with_python_separators(client):
    ResourceFactory(title="Minería artesanal")
    body = client.get(RESOURCES).content
    assert '"title": "Minería artesanal"'.encode() in body


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
    response = client.get(reverse("api:openapi"), HTTP_ORIGIN="https://elsewhere.example")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    validate(document)
    assert set(document["paths"]) == {
        "/api/",
        "/api/resources/",
        "/api/resources/{slug}/",
        "/api/countries/",
        "/api/countries/{iso2}/",
        "/api/organisations/",
        "/api/organisations/{slug}/",
        "/api/learning-groups/",
        "/api/learning-groups/{slug}/",
        "/api/outlooks/",
        "/api/dialogues/",
        "/api/dialogues/{slug}/",
        "/api/news/",
        "/api/news/{slug}/",
        "/api/voices/",
        "/api/voices/{id}/",
        "/api/usage/resources/",
        "/api/usage/item-report/",
    }
    resources = document["paths"]["/api/resources/"]["get"]
    documented = {p["name"]: p for p in resources["parameters"] if p["in"] == "query"}
    assert set(documented) == {
        *("country", "theme", "commodity", "type", "language", "tag", "organisation"),
        *("year_from", "year_to", "q", "sort", "page", "page_size"),
    }
    assert documented["country"]["schema"]["type"] == "array"
    assert documented["country"]["explode"] is True
    assert documented["sort"]["schema"]["enum"] == ["newest", "oldest", "relevance", "title"]
    assert documented["page_size"]["schema"]["maximum"] == 100
    assert set(resources["responses"]) == {"200", "304", "400", "404"}
    error = resources["responses"]["400"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    index = get_json(client, reverse("api:index"))
    assert index["openapi"] == "http://testserver/api/openapi.json"
    assert index["docs"] == "http://testserver/api/docs/"


def test_only_the_lists_document_filters_and_pages(client):
    # Every list is a FilteredListView, documented with its FilterSet and the page
    # parameters; an ApiView that is not one (a detail, the countries, the index) has none.
    document = client.get(reverse("api:openapi")).json()
    filters = {
        "/api/resources/": {"country", "q", "sort"},
        "/api/organisations/": set(),
        "/api/learning-groups/": {"country", "status"},
        "/api/outlooks/": {"country", "year"},
        "/api/dialogues/": {"country", "scope", "theme", "year"},
        "/api/news/": {"country", "theme"},
        "/api/voices/": {"commodity", "country", "dialogue", "learning_group", "role", "theme"},
        "/api/usage/resources/": {"country", "q", "from", "to"},
    }
    # A report for a date range, not a paged list.
    reports = {"/api/usage/item-report/": {"begin_date", "end_date"}}
    for path, item in document["paths"].items():
        query = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"}
        if path in filters:
            assert {"page", "page_size", *filters[path]} <= query, path
        elif path in reports:
            assert query == reports[path], path
        else:
            assert query == set(), path


def test_the_document_is_generated_without_a_warning(tmp_path):
    # A warning means drf-spectacular guessed: a filter or a field it could not type.
    path = tmp_path / "openapi.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    assert path.stat().st_size > 0


def test_every_answer_is_what_the_document_says(client, corpus):  # noqa: F811
    owner = OrganisationFactory(country=CountryFactory(code="PE"))
    resource = ResourceFactory(owner=owner, countries=[owner.country], tags=["gold"])
    assert_documented(client, RESOURCES, {"page_size": 100})
    assert_documented(client, RESOURCES, {"q": "mercury", "country": "gh"})
    assert_documented(client, reverse("api:resource", args=[resource.slug]))
    assert_documented(client, reverse("api:countries"))
    assert_documented(client, reverse("api:country", args=["pe"]))
    assert_documented(client, reverse("api:organisations"))
    assert_documented(client, reverse("api:organisation", args=[owner.slug]))
    assert_documented(client, reverse("api:index"))


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
        # the resource (owner joined), then authors, countries, themes, tags, commodities,
        # translated titles and the tags' content type until cached.
        ("detail", 8),
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
    # +1: the INSERT that counts the request as machine use (usage.middleware).
    with django_assert_max_num_queries(limit + 1):
        assert client.get(url).status_code == 200
