"""Several PDFs at once: one draft per PDF, prefilled from the file's own title, authors,
date and the language of its text; a refused file leaves nothing behind and says what to
fix; the batch's bounds refuse it whole."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.models import Resource
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory

pytestmark = pytest.mark.django_db

BATCH = "admin:resources_resource_batch"


def pdf(text, *, title="", author="", created=None):
    """A one-page PDF with text and, when given, its document information."""
    from fpdf import FPDF

    document = FPDF()
    if title:
        document.set_title(title)
    if author:
        document.set_author(author)
    if created:
        document.set_creation_date(created)
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.multi_cell(0, 8, text)
    return bytes(document.output())


FRENCH = (
    "Les mineurs artisanaux de la région travaillent sans protection contre le mercure. "
    "Les coopératives demandent un meilleur accès au crédit et aux marchés de l'or."
)
SPANISH = (
    "Los mineros artesanales de la región trabajan sin protección contra el mercurio. "
    "Las cooperativas piden mejor acceso al crédito y a los mercados del oro."
)
ENGLISH = (
    "Artisanal miners in the region work without protection against mercury. The "
    "cooperatives ask for better access to credit and to gold markets."
)


def three_pdfs():
    return [
        SimpleUploadedFile(
            "mineurs.pdf",
            pdf(
                FRENCH,
                title="L'orpaillage au Burkina Faso",
                author="Ouédraogo, Awa; Traoré, Issa",
                created=datetime.datetime(2021, 3, 4, tzinfo=datetime.UTC),
            ),
            "application/pdf",
        ),
        SimpleUploadedFile(
            "mineros.pdf",
            pdf(
                SPANISH,
                title="Minería aurífera en Madre de Dios",
                author="Salazar, Rosa",
                created=datetime.datetime(2019, 11, 20, tzinfo=datetime.UTC),
            ),
            "application/pdf",
        ),
        SimpleUploadedFile("Gold_markets_brief.pdf", pdf(ENGLISH), "application/pdf"),
    ]


@pytest.fixture
def partner():
    return PartnerFactory(username="fon", organisation=OrganisationFactory(name="FON"))


def stored_resource_files(media_root):
    folder = media_root / "resources"
    return sorted(name for _root, _dirs, names in os.walk(folder) for name in names)


def test_three_pdfs_become_three_prefilled_drafts(client, partner, media_root):
    client.force_login(partner)
    response = client.post(reverse(BATCH), {"files": three_pdfs(), "resource_type": "report"})
    assert response.status_code == 200
    assert "3 drafts made" in response.content.decode()
    drafts = {
        resource.title: resource
        for resource in Resource.objects.prefetch_related("authors").order_by("title")
    }
    assert set(drafts) == {
        "L'orpaillage au Burkina Faso",
        "Minería aurífera en Madre de Dios",
        "Gold markets brief",
    }
    french = drafts["L'orpaillage au Burkina Faso"]
    assert [a.name for a in french.authors.all()] == ["Ouédraogo, Awa", "Traoré, Issa"]
    assert (french.year, french.date) == (2021, datetime.date(2021, 3, 4))
    assert french.language == "fr"
    spanish = drafts["Minería aurífera en Madre de Dios"]
    assert (spanish.language, spanish.year) == ("es", 2019)
    assert [a.name for a in spanish.authors.all()] == ["Salazar, Rosa"]
    english = drafts["Gold markets brief"]
    assert english.language == "en"
    assert not english.authors.exists()
    for draft in drafts.values():
        assert draft.status == Resource.Status.DRAFT
        assert draft.owner == partner.partner_profile.organisation
        assert draft.created_by == partner
        assert draft.resource_type == "report"
        assert draft.file.name.endswith(".pdf") and draft.page_count == 1
        assert "mercur" in draft.full_text.lower()
    assert len(stored_resource_files(media_root)) == 3


def test_a_refused_file_leaves_nothing_and_says_what_to_fix(client, partner, media_root):
    client.force_login(partner)
    files = [
        SimpleUploadedFile("fine.pdf", pdf(ENGLISH, title="Fine"), "application/pdf"),
        SimpleUploadedFile("page.pdf", b"<html><script>x</script></html>", "application/pdf"),
        SimpleUploadedFile("notes.txt", b"Plain notes about mining.\n", "text/plain"),
    ]
    response = client.post(reverse(BATCH), {"files": files, "resource_type": "report"})
    html = response.content.decode()
    refused = html.split("batch-refused")[1].split("</ul>")[0]
    assert "page.pdf" in refused and "web page" in refused
    assert "notes.txt" in refused and "not a PDF" in refused
    assert list(Resource.objects.values_list("title", flat=True)) == ["Fine"]
    assert len(stored_resource_files(media_root)) == 1


def test_a_batch_past_its_bounds_is_refused_whole(client, partner, settings, media_root):
    settings.ASMHUB_BATCH_MAX_FILES = 2
    client.force_login(partner)
    response = client.post(reverse(BATCH), {"files": three_pdfs(), "resource_type": "report"})
    assert "a batch takes at most 2" in response.content.decode()
    settings.ASMHUB_BATCH_MAX_FILES = 10
    settings.ASMHUB_BATCH_MAX_SIZE = 1000
    response = client.post(reverse(BATCH), {"files": three_pdfs(), "resource_type": "report"})
    assert "Nothing was saved" in response.content.decode()
    assert not Resource.objects.exists()
    assert stored_resource_files(media_root) == []


def test_who_may_use_the_batch_page(client, django_assert_max_num_queries):
    url = reverse(BATCH)
    assert client.get(url).status_code == 302  # to the login
    client.force_login(CuratorFactory())
    # Session, user, the group permissions (once) and the site chrome; the form queries nothing.
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    reader = PartnerFactory(username="reader", organisation=OrganisationFactory())
    reader.groups.clear()
    client.force_login(reader)
    assert client.get(url).status_code == 403
