"""Publishing several resources from the list asks first, as publishing one does: the
bulk action shows a page listing what goes public and what stays as it is; only that
page's form publishes, and only what it listed."""

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory, ResourceFactory

pytestmark = pytest.mark.django_db

Status = Resource.Status
CHANGELIST = "admin:resources_resource_changelist"


@pytest.fixture
def rows():
    return {
        "galamsey": ResourceFactory(
            title="Galamsey and livelihoods", status=Status.IN_REVIEW, authors=["Hilson, Gavin"]
        ),
        "mercury": ResourceFactory(title="Mercury retorts", status=Status.IN_REVIEW),
        "draft": ResourceFactory(title="A draft still", status=Status.DRAFT),
    }


def select(rows, **extra):
    return {
        "action": "publish_selected",
        "_selected_action": [row.pk for row in rows.values()],
        "index": "0",
        **extra,
    }


def test_bulk_publish_shows_what_goes_public_and_publishes_nothing_yet(
    client, rows, django_assert_max_num_queries
):
    client.force_login(CuratorFactory())
    # Session and user, the admin's queryset of the selection, the rows with their
    # authors and countries, the permission checks and the page's chrome.
    with django_assert_max_num_queries(11):
        response = client.post(reverse(CHANGELIST), select(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publish these resources?" in html
    going = html.split("goes-public-list")[1].split("</ul>")[0]
    assert "Galamsey and livelihoods" in going and "Hilson, Gavin" in going
    assert "Mercury retorts" in going
    assert "A draft still" not in going
    assert "A draft still (draft)" in html.split("stays-list")[1]
    assert set(Resource.objects.values_list("status", flat=True)) == {
        Status.IN_REVIEW,
        Status.DRAFT,
    }
    # The page's form names only what it listed as going public.
    assert html.count('name="_selected_action"') == 2


def test_the_confirmation_publishes_what_it_listed(client, rows):
    client.force_login(CuratorFactory())
    response = client.post(
        reverse(CHANGELIST),
        select({key: rows[key] for key in ("galamsey", "mercury")}, post="yes"),
    )
    assert response.status_code == 302
    statuses = dict(Resource.objects.values_list("title", "status"))
    assert statuses == {
        "Galamsey and livelihoods": Status.PUBLISHED,
        "Mercury retorts": Status.PUBLISHED,
        "A draft still": Status.DRAFT,
    }


def test_a_partner_gets_no_confirmation_and_publishes_nothing(client, rows):
    partner = PartnerFactory(organisation=OrganisationFactory())
    Resource.objects.update(owner=partner.partner_profile.organisation)
    client.force_login(partner)
    for extra in ({}, {"post": "yes"}):
        response = client.post(reverse(CHANGELIST), select(rows, **extra))
        assert "Publish these resources?" not in response.content.decode()
    assert not Resource.objects.filter(status=Status.PUBLISHED).exists()
