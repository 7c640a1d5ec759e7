"""Text extraction from uploaded files: every kind, and failure without a crash."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from resources.files.extraction import extract_text
from tests.factories import pdf_with_text


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
