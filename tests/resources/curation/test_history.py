"""History: every change recorded with who made it, shown in the admin, reverted by a
curator; and two people editing at once never silently lose each other's change."""

import pytest
from django.test import Client
from django.urls import reverse

from resources.models import Organisation, Resource
from tests.factories import (
    CountryFactory,
    CuratorFactory,
    OrganisationFactory,
    PartnerFactory,
    ResourceFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change_url(resource):
    return reverse("admin:resources_resource_change", args=[resource.pk])


def edit(client, resource, **changes):
    data = form_data(client.get(change_url(resource)), "resource_form")
    data.update(changes)
    return client.post(change_url(resource), data)


def test_admin_changes_are_recorded_with_their_author_and_shown(client):
    curator = CuratorFactory(username="carla")
    resource = ResourceFactory(title="First title", countries=[CountryFactory(code="GH")])
    CountryFactory(code="TZ")
    client.force_login(curator)
    response = edit(client, resource, title="Second title", countries=["GH", "TZ"])
    assert response.status_code == 302
    latest = resource.history.order_by("-history_date", "-history_id").first()
    assert latest.title == "Second title"
    assert latest.history_user == curator
    assert sorted(c.country_id for c in latest.countries.all()) == ["GH", "TZ"]
    page = client.get(reverse("admin:resources_resource_history", args=[resource.pk]))
    assert page.status_code == 200
    assert "carla" in page.content.decode()


def test_curator_reverts_a_resource_to_an_earlier_version(client):
    curator = CuratorFactory()
    resource = ResourceFactory(title="Original title", summary="Original summary.")
    resource.countries.set([CountryFactory(code="GH")])
    original = resource.history.order_by("-history_date", "-history_id").first()
    CountryFactory(code="TZ")
    client.force_login(curator)
    edit(client, resource, title="Vandalised", summary="Nonsense", countries=["TZ"])
    assert list(resource.countries.values_list("code", flat=True)) == ["TZ"]
    revert_url = reverse(
        "admin:resources_resource_simple_history", args=[resource.pk, original.history_id]
    )
    data = form_data(client.get(revert_url), "historicalresource_form")
    response = client.post(revert_url, data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.summary) == ("Original title", "Original summary.")
    assert list(resource.countries.values_list("code", flat=True)) == ["GH"]
    latest = resource.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == curator


def test_partner_cannot_revert_even_their_own_draft(client):
    org = OrganisationFactory()
    partner = PartnerFactory(organisation=org)
    resource = ResourceFactory(title="Mine", status=Resource.Status.DRAFT, owner=org)
    original = resource.history.earliest("history_date")
    client.force_login(partner)
    edit(client, resource, title="Mine, edited")
    revert_url = reverse(
        "admin:resources_resource_simple_history", args=[resource.pk, original.history_id]
    )
    page = client.get(revert_url)
    assert page.status_code == 200
    assert b"Revert" not in page.content.split(b"<h1>")[1][:200]
    response = client.post(revert_url, form_data(page, "historicalresource_form"))
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.title == "Mine, edited"


def test_partner_cannot_read_history_of_another_organisation(client):
    resource = ResourceFactory(status=Resource.Status.DRAFT, owner=OrganisationFactory())
    version = resource.history.earliest("history_date")
    client.force_login(PartnerFactory())
    assert (
        client.get(reverse("admin:resources_resource_history", args=[resource.pk])).status_code
        == 403
    )
    url = reverse("admin:resources_resource_simple_history", args=[resource.pk, version.history_id])
    assert client.get(url).status_code == 403


def test_organisation_history_recorded_and_reverted(client):
    curator = CuratorFactory()
    organisation = OrganisationFactory(name="Old name")
    client.force_login(curator)
    url = reverse("admin:resources_organisation_change", args=[organisation.pk])
    data = form_data(client.get(url), "organisation_form")
    data["name"] = "New name"
    assert client.post(url, data).status_code == 302
    assert organisation.history.count() == 2
    first = organisation.history.earliest("history_date")
    revert_url = reverse(
        "admin:resources_organisation_simple_history", args=[organisation.pk, first.history_id]
    )
    client.post(revert_url, form_data(client.get(revert_url), "historicalorganisation_form"))
    assert Organisation.objects.get(pk=organisation.pk).name == "Old name"


def test_concurrent_edit_does_not_silently_lose_the_other_change():
    resource = ResourceFactory(title="Shared title", summary="Shared summary.")
    anna, ben = Client(), Client()
    anna.force_login(CuratorFactory(username="anna"))
    ben.force_login(CuratorFactory(username="ben"))
    anna_form = form_data(anna.get(change_url(resource)), "resource_form")
    ben_form = form_data(ben.get(change_url(resource)), "resource_form")

    ben_form["title"] = "Ben's better title"
    assert ben.post(change_url(resource), ben_form).status_code == 302

    anna_form["summary"] = "Anna's new summary."
    response = anna.post(change_url(resource), anna_form)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "ben" in errors and "not saved" in errors
    resource.refresh_from_db()
    assert (resource.title, resource.summary) == ("Ben's better title", "Shared summary.")

    # Opened again, Anna sees Ben's title and her save goes through.
    anna_form = form_data(anna.get(change_url(resource)), "resource_form")
    anna_form["summary"] = "Anna's new summary."
    assert anna.post(change_url(resource), anna_form).status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.summary) == ("Ben's better title", "Anna's new summary.")


def test_bookkeeping_saves_do_not_count_as_edits(client):
    """Text extraction or counters saved in the background must not block an editor."""
    resource = ResourceFactory(with_file=True)
    client.force_login(CuratorFactory())
    data = form_data(client.get(change_url(resource)), "resource_form")
    resource.full_text = "Extracted text."
    resource.save(update_fields=["full_text"])
    data["title"] = "Edited meanwhile"
    assert client.post(change_url(resource), data).status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.full_text) == ("Edited meanwhile", "Extracted text.")


def test_programme_changes_are_recorded_and_curators_revert_them(client):
    """Learning groups and dialogues keep their history like resources do."""
    from dialogues.models import Dialogue
    from tests.factories import CuratorFactory, DialogueFactory

    dialogue = DialogueFactory(title="Tarkwa action dialogue", participant_count=55)
    dialogue.participant_count = 60
    dialogue.save()
    assert dialogue.history.count() == 2
    earliest = dialogue.history.earliest()
    client.force_login(CuratorFactory())
    url = f"/admin/dialogues/dialogue/{dialogue.pk}/history/{earliest.history_id}/"
    page = client.get(url)
    assert page.status_code == 200
    earliest.instance.save()
    assert Dialogue.objects.get(pk=dialogue.pk).participant_count == 55


@pytest.mark.django_db(transaction=True)
def test_curator_reverts_a_resource_outside_a_test_transaction(client, on_postgres):
    """The revert form runs its edit-conflict check (a row lock) in a transaction of its
    own, as the change form does: here no test transaction wraps the request."""
    resource = ResourceFactory(title="Original title")
    original = resource.history.earliest("history_date")
    client.force_login(CuratorFactory())
    edit(client, resource, title="Vandalised")
    revert_url = reverse(
        "admin:resources_resource_simple_history", args=[resource.pk, original.history_id]
    )
    response = client.post(revert_url, form_data(client.get(revert_url), "historicalresource_form"))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Original title"
