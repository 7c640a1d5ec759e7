"""Save and submit: the form saves first, then submits; a submission lacking what a
review needs is refused with what is missing, each linked to its field, and stays a
saved draft; a partner takes their submission back until a curator acts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from resources.curation import services
from resources.models import Resource, StatusChange
from tests.factories import (
    CountryFactory,
    CuratorFactory,
    OrganisationFactory,
    PartnerFactory,
    ResourceFactory,
    ThemeFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

Status = Resource.Status


@pytest.fixture
def partner():
    return PartnerFactory(organisation=OrganisationFactory())


def draft_of(partner, **kwargs):
    return ResourceFactory(
        status=Status.DRAFT, owner=partner.partner_profile.organisation, **kwargs
    )


def change_url(resource):
    return reverse("admin:resources_resource_change", args=[resource.pk])


def test_a_bare_draft_lacks_everything_a_review_needs(partner):
    bare = draft_of(partner, summary="", year=None, external_url="")
    assert [name for name, _message in services.resource_missing(bare)] == [
        "summary",
        "year",
        "countries",
        "themes",
        "authors",
        "file",
        "licence",
    ]
    with pytest.raises(services.IncompleteError) as refused:
        services.resource_submit(resource=bare, user=partner)
    assert "a summary" in refused.value.messages
    bare.refresh_from_db()
    assert bare.status == Status.DRAFT
    assert not StatusChange.objects.filter(resource=bare).exists()


def test_countries_or_global_either_will_do(partner):
    resource = draft_of(partner, complete=True)
    resource.is_global = False
    resource.save()
    assert [name for name, _m in services.resource_missing(resource)] == ["countries"]
    resource.countries.add(CountryFactory(code="GH"))
    assert services.resource_missing(resource) == []


def test_save_and_submit_keeps_the_unsaved_edit_and_submits(client, partner):
    resource = draft_of(partner, complete=True)
    client.force_login(partner)
    data = form_data(client.get(change_url(resource)), "resource_form")
    data["summary"] = "Typed and never saved before submitting."
    response = client.post(change_url(resource), {**data, "_submit": "Save and submit"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    resource.refresh_from_db()
    assert resource.summary == "Typed and never saved before submitting."
    assert resource.status == Status.IN_REVIEW
    desk = client.get(response["Location"]).content.decode()
    assert "is saved and submitted for review" in desk


def test_save_and_submit_of_an_incomplete_draft_saves_and_lists_what_is_missing(client, partner):
    resource = draft_of(partner, complete=True)
    resource.themes.clear()
    client.force_login(partner)
    data = form_data(client.get(change_url(resource)), "resource_form")
    data["summary"] = "Kept even though the submission is refused."
    data["licence"] = ""
    response = client.post(
        change_url(resource), {**data, "_submit": "Save and submit"}, follow=True
    )
    resource.refresh_from_db()
    assert resource.status == Status.DRAFT
    assert resource.summary == "Kept even though the submission is refused."
    page = response.content.decode()
    assert "Saved as a draft, not yet submitted" in page
    assert '<a href="#id_themes">at least one theme</a>' in page
    assert '<a href="#id_licence">a rights statement (licence)</a>' in page
    assert 'id="id_themes"' in page and 'id="id_licence"' in page


def test_a_new_resource_can_be_saved_and_submitted_in_one_go(client, partner):
    theme = ThemeFactory()
    client.force_login(partner)
    add = reverse("admin:resources_resource_add")
    data = form_data(client.get(add), "resource_form")
    data.update(
        title="Mercury-free gold",
        slug="mercury-free-gold",
        resource_type="report",
        summary="Retorts and direct smelting.",
        language="en",
        year="2023",
        is_global="on",
        themes=[str(theme.pk)],
        external_url="https://example.org/mercury-free",
        licence="CC BY 4.0",
        **{"authors-0-name": "Hilson, Gavin"},
    )
    response = client.post(add, {**data, "_submit": "Save and submit"})
    assert response.status_code == 302
    created = Resource.objects.get(slug="mercury-free-gold")
    assert created.status == Status.IN_REVIEW
    assert created.owner == partner.partner_profile.organisation


def test_a_partner_takes_a_submission_back_until_a_curator_acts(client, partner):
    resource = draft_of(partner, complete=True)
    services.resource_submit(resource=resource, user=partner)
    client.force_login(partner)
    page = client.get(change_url(resource)).content.decode()
    assert 'value="pull_back"' in page
    workflow = reverse("admin:resources_resource_workflow", args=[resource.pk])
    client.post(workflow, {"action": "pull_back"})
    resource.refresh_from_db()
    assert resource.status == Status.DRAFT
    # Once a curator has acted (here: published), there is nothing to take back.
    services.resource_submit(resource=resource, user=partner)
    services.resource_publish(resource=resource, user=CuratorFactory())
    client.post(workflow, {"action": "pull_back"})
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED


def test_only_the_owner_takes_back_and_only_curators_send_back(partner):
    resource = draft_of(partner, complete=True)
    services.resource_submit(resource=resource, user=partner)
    with pytest.raises(PermissionDenied):
        services.resource_pull_back(resource=resource, user=PartnerFactory())
    with pytest.raises(PermissionDenied):
        services.resource_pull_back(resource=resource, user=CuratorFactory())
    with pytest.raises(PermissionDenied):
        services.resource_send_back(resource=resource, user=partner, comment="Mine")
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW


def test_the_fields_a_submission_needs_say_so(client, partner):
    client.force_login(partner)
    page = client.get(reverse("admin:resources_resource_add")).content.decode()
    assert page.count("Needed to submit.") == 7
