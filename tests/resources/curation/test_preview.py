"""The preview of a draft's or submission's public page (curators and the owning
partner only, never indexed) and publishing from it after a confirmation that shows
what goes public."""

import pytest
from django.urls import reverse

from resources.curation import services
from resources.models import Resource
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory, ResourceFactory

pytestmark = pytest.mark.django_db

Status = Resource.Status


@pytest.fixture
def submitted():
    organisation = OrganisationFactory()
    partner = PartnerFactory(organisation=organisation)
    resource = ResourceFactory(
        title="Women in Tanzanian gold mining",
        status=Status.DRAFT,
        owner=organisation,
        complete=True,
        authors=["Buss, Doris"],
    )
    services.resource_submit(resource=resource, user=partner)
    return {"resource": resource, "partner": partner, "curator": CuratorFactory()}


def preview_url(resource):
    return reverse("resources:preview", args=[resource.slug])


@pytest.mark.parametrize("who", ["partner", "curator"])
def test_the_preview_is_the_public_page_not_indexed(client, submitted, who):
    resource = submitted["resource"]
    client.force_login(submitted[who])
    response = client.get(preview_url(resource))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Preview: not public" in html
    assert '<h1 lang="en">Women in Tanzanian gold mining</h1>' in html
    assert "Buss" in html
    publish = reverse("admin:resources_resource_publish", args=[resource.pk])
    assert (publish in html) == (who == "curator")
    # The public page itself still does not exist.
    client.logout()
    assert client.get(resource.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other partner"])
def test_nobody_else_sees_a_preview(client, submitted, who):
    if who == "other partner":
        client.force_login(PartnerFactory())
    assert client.get(preview_url(submitted["resource"])).status_code == 404


def test_the_public_page_has_no_preview_banner(client):
    resource = ResourceFactory()
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Preview: not public" not in html and 'content="noindex' not in html


def test_publishing_shows_what_goes_public_then_publishes_on_confirmation(client, submitted):
    resource = submitted["resource"]
    client.force_login(submitted["curator"])
    url = reverse("admin:resources_resource_publish", args=[resource.pk])
    page = client.get(url).content.decode()
    for shown in ("Women in Tanzanian gold mining", "Buss, Doris", "CC BY 4.0", "Yes, publish it"):
        assert shown in page
    assert preview_url(resource) in page
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW  # looking publishes nothing
    response = client.post(url)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED
    client.logout()
    assert client.get(resource.get_absolute_url()).status_code == 200
    assert (
        "Women in Tanzanian gold mining" in client.get(reverse("resources:list")).content.decode()
    )


def test_a_partner_cannot_publish_through_the_confirmation(client, submitted):
    resource = submitted["resource"]
    client.force_login(submitted["partner"])
    url = reverse("admin:resources_resource_publish", args=[resource.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW


def test_the_curators_comment_on_send_back_reaches_the_partners_desk(client, submitted):
    resource = submitted["resource"]
    client.force_login(submitted["curator"])
    client.post(
        reverse("admin:resources_resource_workflow", args=[resource.pk]),
        {"action": "send_back", "comment": "Please add the 2019 field data."},
    )
    client.force_login(submitted["partner"])
    desk = client.get(reverse("admin:index")).content.decode()
    assert "Please add the 2019 field data." in desk
