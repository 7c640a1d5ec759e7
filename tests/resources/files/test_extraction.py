"""Text extraction from uploaded files: every kind, failure without a crash, and read
only where a file is attached."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.files.extraction import extract_text
from resources.models import Resource
from tests.factories import CuratorFactory, ResourceFactory, pdf_with_text
from tests.forms import form_data


def test_pdf():
    assert "tantalum" in extract_text(ContentFile(pdf_with_text("On tantalum."), name="a.pdf"))


def test_docx():
    import docx

    document = docx.Document()
    document.add_paragraph("Cooperatives of Potosí")
    buffer = io.BytesIO()
    document.save(buffer)
    assert "Potosí" in extract_text(ContentFile(buffer.getvalue(), name="a.docx"))


def test_odt():
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:text><text:h>Title</text:h><text:p>Orpailleurs du <text:span>Burkina"
        "</text:span></text:p></office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    assert extract_text(ContentFile(buffer.getvalue(), name="a.odt")) == (
        "Title\nOrpailleurs du Burkina"
    )


def test_txt_in_any_encoding():
    assert extract_text(ContentFile("Minería".encode(), name="a.txt")) == "Minería"
    assert extract_text(ContentFile("Minería".encode("latin-1"), name="a.txt")) == "Minería"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 garbage", "broken.pdf"),
        (b"not a zip", "broken.docx"),
        (b"not a zip", "broken.odt"),
        (b"\x89PNG", "image.png"),
    ],
)
def test_broken_or_unknown_files_give_no_text(data, name, caplog):
    assert extract_text(ContentFile(data, name=name)) == ""


def test_encrypted_pdf_is_skipped(caplog):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_with_text("Secret words."))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract_text(ContentFile(buffer.getvalue(), name="locked.pdf")) == ""
    assert "not extracted" in caplog.text


def test_scanned_pdf_without_text_layer_is_skipped(caplog):
    assert extract_text(ContentFile(pdf_with_text(), name="scan.pdf")) == ""
    assert "scan" in caplog.text


# -- where the words are read: where a file is attached, never on a save that keeps it ---


def refuse_extraction(monkeypatch):
    def extract_text(file):
        raise AssertionError(f"{file} was read again")

    monkeypatch.setattr("resources.files.extraction.extract_text", extract_text)
    monkeypatch.setattr("resources.curation.services.extract_text", extract_text)


@pytest.mark.django_db
def test_saving_a_resource_without_a_file_change_does_not_read_the_file_again(monkeypatch):
    resource = ResourceFactory(
        external_url="", file=ContentFile(pdf_with_text("On tantalum."), name="a.pdf")
    )
    assert "tantalum" in resource.full_text
    refuse_extraction(monkeypatch)
    resource.title = "Renamed"
    resource.save()
    assert "tantalum" in Resource.objects.get(pk=resource.pk).full_text


@pytest.mark.django_db
def test_the_admin_reads_an_uploaded_file_once_and_keeps_its_words_on_later_edits(
    client, monkeypatch
):
    resource = ResourceFactory(title="Draft", status=Resource.Status.DRAFT)
    client.force_login(CuratorFactory())
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    data = form_data(client.get(url), "resource_form")
    data["file"] = SimpleUploadedFile("notes.pdf", pdf_with_text("On coltan."))
    assert client.post(url, data).status_code == 302
    assert "coltan" in Resource.objects.get(pk=resource.pk).full_text

    refuse_extraction(monkeypatch)
    data = form_data(client.get(url), "resource_form")
    data["title"] = "Draft, edited"
    assert client.post(url, data).status_code == 302
    saved = Resource.objects.get(pk=resource.pk)
    assert (saved.title, "coltan" in saved.full_text) == ("Draft, edited", True)
