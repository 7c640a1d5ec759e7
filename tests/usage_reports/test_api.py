"""The usage API: monthly figures per resource with the library's filters, and the
COUNTER-style item report, each as the OpenAPI document describes it."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import CountryFactory, ResourceFactory
from tests.resources.discovery.test_api import assert_documented
from usage.models import DailyUsage

pytestmark = pytest.mark.django_db

USAGE = "/api/usage/resources/"
REPORT = "/api/usage/item-report/"


@pytest.fixture
def used():
    ghana = ResourceFactory(title="Ghana gold", countries=[CountryFactory(code="GH")])
    peru = ResourceFactory(title="Peru mercury", countries=[CountryFactory(code="PE")])
    rows = []
    for month in (1, 2, 3):
        for n, resource in enumerate((ghana, peru), start=1):
            for day in (5, 6):
                rows.append(
                    DailyUsage(
                        day=dt.date(2026, month, day),
                        item_kind="resource",
                        item_id=resource.pk,
                        views=n * 10,
                        unique_views=n * 5,
                        downloads=n,
                        unique_downloads=n,
                    )
                )
    rows.append(
        DailyUsage(
            day=dt.date(2026, 1, 5), item_kind="resource", item_id=ghana.pk, machine=True, views=99
        )
    )
    DailyUsage.objects.bulk_create(rows)
    return ghana, peru


def test_monthly_figures_per_resource_take_the_librarys_filters(client, used):
    ghana, _peru = used
    answer = client.get(USAGE, {"from": "2026-01", "to": "2026-02", "country": "gh"}).json()
    assert answer["count"] == 2
    assert [(r["resource"]["slug"], r["month"]) for r in answer["results"]] == [
        (ghana.slug, "2026-01"),
        (ghana.slug, "2026-02"),
    ]
    # Two days a month, people's use only (the machine's 99 views are not in it).
    assert answer["results"][0] | {"resource": None} == {
        "resource": None,
        "month": "2026-01",
        "views": 20,
        "unique_views": 10,
        "downloads": 2,
        "unique_downloads": 2,
    }
    assert_documented(client, USAGE, {"from": "2026-01", "to": "2026-03"})


def test_the_item_report_is_counter_shaped(client, used):
    ghana, peru = used
    report = client.get(REPORT, {"begin_date": "2026-02", "end_date": "2026-03-31"}).json()
    header = report["Report_Header"]
    assert (header["Report_ID"], header["Release"]) == ("IR", "5.1")
    assert header["Report_Filters"]["Begin_Date"] == "2026-02-01"
    assert header["Report_Filters"]["End_Date"] == "2026-03-31"
    items = {item["Item"]: item for item in report["Report_Items"]}
    performance = items["Peru mercury"]["Attribute_Performance"][0]["Performance"]
    assert performance["Total_Item_Investigations"] == {"2026-02": 44, "2026-03": 44}
    assert performance["Unique_Item_Requests"] == {"2026-02": 4, "2026-03": 4}
    assert {"Type": "Proprietary", "Value": f"asmhub:{ghana.slug}"} in items["Ghana gold"][
        "Item_ID"
    ]
    assert_documented(client, REPORT, {"begin_date": "2026-01", "end_date": "2026-03"})


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        (USAGE, {"from": "2026-13"}, "from"),
        (USAGE, {"from": "2026-03", "to": "2026-01"}, "to"),
        (USAGE, {"country": "xx-unknown"}, "country"),
        (USAGE, {"sort": "title"}, "sort"),
        (REPORT, {"begin_date": "yesterday"}, "begin_date"),
        (REPORT, {"platform": "x"}, "platform"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, used, url, params, parameter):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == parameter


def test_the_index_lists_the_usage_endpoints(client):
    endpoints = client.get(reverse("api:index")).json()["endpoints"]
    assert USAGE in endpoints and REPORT in endpoints
