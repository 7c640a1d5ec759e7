"""The resource form as a partner sees it: only what a partner sets, in a few short
sections; authors kept in order without position numbers; sizes readable; no storage
path."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from resources.models import Resource, ResourceAuthor
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory, ResourceFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return PartnerFactory(username="partner", organisation=OrganisationFactory())


def change_url(resource):
    return reverse("admin:resources_resource_change", args=[resource.pk])


def test_a_partner_sees_only_what_a_partner_sets(client, partner):
    client.force_login(partner)
    html = client.get(reverse("admin:resources_resource_add")).content.decode()
    for heading in ("What it is", "Who made it and when", "Where and about what", "The file"):
        assert f">{heading}</h2>" in html
    assert "Translations: other language versions" in html
    for hidden in (
        "id_is_featured",
        "Demo record",
        "Cataloguing note",
        "field-download_count",
        "field-created_at",
        "id_owner",
        "field-source_note",
        "field-is_demo",
    ):
        assert hidden not in html
    assert "Needed to submit" in html or "needed to save a draft" in html
    assert 'type="hidden" name="authors-0-position"' in html
    assert 'type="number" name="authors-0-position"' not in html
    assert html.count("Position") == html.count('hidden">Position')


def test_a_curator_keeps_the_whole_form(client):
    client.force_login(CuratorFactory())
    html = client.get(reverse("admin:resources_resource_add")).content.decode()
    assert ">Record</h2>" in html and "id_source_note" in html


def test_authors_are_saved_in_the_order_of_their_rows(client, partner):
    resource = ResourceFactory(
        status=Resource.Status.DRAFT,
        owner=partner.partner_profile.organisation,
        authors=["Hilson, Gavin", "Maconachie, Roy"],
    )
    client.force_login(partner)
    data = form_data(client.get(change_url(resource)), "resource_form")
    # The script moved the second author up; a third was typed without the script.
    data["authors-0-position"], data["authors-1-position"] = "1", "0"
    data["authors-2-name"] = "Banchirigah, Sadia"
    data["authors-2-position"] = ""
    response = client.post(change_url(resource), data)
    assert response.status_code == 302
    names = list(resource.authors.order_by("position").values_list("name", "position"))
    assert names == [("Maconachie, Roy", 0), ("Hilson, Gavin", 1), ("Banchirigah, Sadia", 2)]
    assert ResourceAuthor.objects.count() == 3


def test_sizes_are_readable_and_no_storage_path_is_shown(client, partner):
    resource = ResourceFactory(
        status=Resource.Status.DRAFT, owner=partner.partner_profile.organisation
    )
    resource.file.save("study.pdf", ContentFile(b"%PDF-1.4\n" + b"x" * 2_500_000), save=False)
    resource.file_size = 2_500_009
    resource.save()
    client.force_login(partner)
    html = client.get(change_url(resource)).content.decode()
    assert "2.4\xa0MB" in html
    assert "2500009" not in html
    assert "<strong>" + resource.file.name.rsplit("/", 1)[1] + "</strong>" in html
    assert "/" in resource.file.name and resource.file.name not in html
