"""Uploads: an allowlist checked by content, honest names, a size limit, sanitised storage
paths, safe serving, PDF page counts, and language versions."""

import io
import re
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF

from resources.files.containers import RATIO_FLOOR
from resources.files.uploads import inspect_pdf, validate_upload
from resources.models import PreviousFile, Resource, ResourceFile
from tests.factories import (
    PDF_BYTES,
    CuratorFactory,
    OrganisationFactory,
    PartnerFactory,
    ResourceFactory,
)
from tests.forms import form_data
from tests.usage.events import downloads_recorded

Status = Resource.Status


PDFS = {}


def pdf_bytes(pages=2):
    """A real PDF of that many pages (made once: fpdf2 stamps the time in it)."""
    if pages not in PDFS:
        pdf = FPDF()
        for n in range(pages):
            pdf.add_page()
            pdf.set_font("Helvetica", size=12)
            pdf.cell(0, 10, f"Page {n + 1}")
        PDFS[pages] = bytes(pdf.output())
    return PDFS[pages]


def zip_bytes(members, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
PPTX = zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
ODT = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
EPUB = zip_bytes({"mimetype": "application/epub+zip", "META-INF/container.xml": "<x/>"})
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64

ACCEPTED = [
    ("report.pdf", PDF_BYTES),
    ("REPORT.PDF", pdf_bytes()),
    ("report.docx", DOCX),
    ("sheet.xlsx", XLSX),
    ("slides.pptx", PPTX),
    ("report.odt", ODT),
    ("book.epub", EPUB),
    ("map.png", PNG),
    ("photo.jpg", JPEG),
    ("photo.jpeg", JPEG),
    ("xmp.jpg", JPEG + b"\xff\xe1\x00\x40http://ns.adobe.com/xap/1.0/\x00<?xml version='1.0'?>"),
    ("xmp.pdf", b"%PDF-1.6\n1 0 obj<</Type/Metadata>>stream\n<?xml version='1.0'?><x:xmpmeta/>"),
    ("data.csv", "country,miners\nGhana,1100000\nCôte d'Ivoire,500000\n".encode()),
    ("notes.txt", b"Field notes from Geita.\n"),
    ("bundle.zip", zip_bytes({"a.pdf": PDF_BYTES, "data/b.csv": b"a,b\n1,2\n"})),
]

REFUSED = [
    ("page.pdf", HTML, "web page"),
    ("page.html", HTML, "web page"),
    ("logo.svg", SVG, "SVG"),
    ("logo.png", SVG, "SVG"),
    ("setup.pdf", EXE, "program"),
    ("tool.zip", zip_bytes({"report.pdf": PDF_BYTES, "setup.exe": EXE}), "program"),
    ("tool.zip", zip_bytes({"run.pdf": ELF}), "program"),
    ("site.zip", zip_bytes({"index.html": HTML}), "web page"),
    ("inner.zip", zip_bytes({"x.zip": zip_bytes({"a.pdf": PDF_BYTES})}), "ZIP inside a ZIP"),
    ("evil.zip", zip_bytes({"../../etc/passwd.txt": b"root\n"}), "unsafe path"),
    (
        "macro.docx",
        zip_bytes({"[Content_Types].xml": "<T/>", "word/vbaProject.bin": "x"}),
        "macros",
    ),
    ("report.docx", PDF_BYTES, "disguised"),
    ("report.pdf", b"just some text\n", "disguised"),
    ("report.pdf", DOCX, "disguised"),
    ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not accepted"),
    ("noise.bin", bytes(range(256)) * 4, "not accepted"),
    ("empty.pdf", b"", "could not be recognised"),
]


# Named by their index and file name: the bytes of a made ZIP or PDF hold the moment they
# were made, and each pytest-xdist worker must collect the same test ids.
@pytest.mark.parametrize(
    ("name", "content"), ACCEPTED, ids=[f"{n}-{name}" for n, (name, _) in enumerate(ACCEPTED)]
)
def test_allowed_types_pass(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    REFUSED,
    ids=[f"{n}-{name}-{reason}" for n, (name, _, reason) in enumerate(REFUSED)],
)
def test_disguised_and_dangerous_files_are_refused_with_a_reason(name, content, reason):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))
    assert reason.lower() in " ".join(refused.value.messages).lower()


def test_size_limit_comes_from_settings(settings):
    settings.ASMHUB_MAX_UPLOAD_SIZE = 1000
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("big.pdf", PDF_BYTES + b"\n" * 1000))
    assert "at most 1000" in " ".join(refused.value.messages)
    validate_upload(SimpleUploadedFile("small.pdf", PDF_BYTES))


def test_default_size_limit_is_200_mb(settings):
    assert settings.ASMHUB_MAX_UPLOAD_SIZE == 200 * 1024 * 1024


def test_pdf_page_count_and_broken_or_encrypted_pdfs_warn():
    assert inspect_pdf(SimpleUploadedFile("a.pdf", pdf_bytes(3))).page_count == 3
    broken = inspect_pdf(SimpleUploadedFile("b.pdf", b"%PDF-1.7\nthis is not a PDF body"))
    assert broken.page_count is None and "could not be read" in broken.warning
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(2))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    encrypted = inspect_pdf(SimpleUploadedFile("c.pdf", buffer.getvalue()))
    assert encrypted.page_count is None and "encrypted" in encrypted.warning


@pytest.mark.django_db
def test_saving_records_size_and_page_count_under_a_sanitised_path():
    resource = ResourceFactory(
        slug="gold-report",
        year=2022,
        external_url="",
        file=SimpleUploadedFile("../../etc/My Report (final).PDF", pdf_bytes(4)),
    )
    assert re.fullmatch(r"resources/2022/gold-report-[0-9a-f]{8}\.pdf", resource.file.name)
    assert resource.page_count == 4
    assert resource.file_size == len(pdf_bytes(4))


# Through the admin, as a partner would.


@pytest.fixture
def partner_and_draft(client):
    org = OrganisationFactory()
    partner = PartnerFactory(organisation=org)
    draft = ResourceFactory(
        title="Partner draft", slug="partner-draft", status=Status.DRAFT, owner=org
    )
    client.force_login(partner)
    return partner, draft


def post_change(client, resource, **files):
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    data = form_data(client.get(url), "resource_form")
    data.update(files)
    return client.post(url, data)


@pytest.mark.django_db
def test_admin_refuses_an_html_file_named_pdf_and_says_why(client, partner_and_draft):
    _partner, draft = partner_and_draft
    response = post_change(client, draft, file=SimpleUploadedFile("report.pdf", HTML))
    assert response.status_code == 200
    assert "web page" in str(response.context["adminform"].form.errors["file"])
    draft.refresh_from_db()
    assert not draft.file


@pytest.mark.django_db
def test_admin_accepts_a_broken_pdf_with_a_warning(client, partner_and_draft):
    _partner, draft = partner_and_draft
    response = post_change(
        client, draft, file=SimpleUploadedFile("r.pdf", b"%PDF-1.4\nbroken beyond repair")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.file and draft.page_count is None
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("could not be read" in m for m in messages)


@pytest.mark.django_db
def test_replacing_a_file_keeps_the_previous_one_for_curators(client, partner_and_draft):
    partner, draft = partner_and_draft
    post_change(client, draft, file=SimpleUploadedFile("v1.pdf", pdf_bytes(1)))
    draft.refresh_from_db()
    first_name = draft.file.name
    post_change(client, draft, file=SimpleUploadedFile("v2.pdf", pdf_bytes(2)))
    draft.refresh_from_db()
    assert draft.file.name != first_name and draft.page_count == 2
    previous = PreviousFile.objects.get(resource=draft)
    assert previous.file.name == first_name
    assert previous.replaced_by == partner
    url = reverse("admin:resources_resource_previous_file", args=[draft.pk, previous.pk])
    assert client.get(url).status_code == 403
    client.force_login(CuratorFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes(1)
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_language_versions_are_offered_and_downloadable(client, partner_and_draft):
    _partner, draft = partner_and_draft
    url = reverse("admin:resources_resource_change", args=[draft.pk])
    data = form_data(client.get(url), "resource_form")
    data["file"] = SimpleUploadedFile("en.pdf", pdf_bytes(1))
    data.update(
        {
            "versions-TOTAL_FORMS": "2",
            "versions-0-language": "fr",
            "versions-0-file": SimpleUploadedFile("fr.pdf", pdf_bytes(2)),
            "versions-1-language": "es",
            "versions-1-file": SimpleUploadedFile("es.docx", DOCX),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(ResourceFile.objects.filter(resource=draft).values_list("language", flat=True)) == {
        "fr",
        "es",
    }
    Resource.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    client.logout()
    page = client.get(draft.get_absolute_url()).content.decode()
    for language, expected in (("fr", pdf_bytes(2)), ("es", DOCX)):
        link = reverse("resources:download-version", args=[draft.slug, language])
        assert link in page
        response = client.get(link)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == expected
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert f"partner-draft.{language}." in response["Content-Disposition"]
    assert "2 pages" in page
    assert (
        client.get(reverse("resources:download-version", args=[draft.slug, "pt"])).status_code
        == 404
    )
    # Each language version's download is counted on the resource, naming its language.
    assert downloads_recorded(draft) == 2
    assert downloads_recorded(draft, variant="fr") == downloads_recorded(draft, variant="es") == 1


@pytest.mark.django_db
def test_main_download_is_an_attachment_that_is_never_sniffed(client):
    resource = ResourceFactory(with_file=True)
    response = client.get(resource.get_download_url())
    response.close()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_detail_page_with_language_versions_query_count(
    client, django_assert_max_num_queries, warm_facet_index
):
    resource = ResourceFactory(with_file=True)
    for language in ("fr", "es", "pt"):
        ResourceFile.objects.create(
            resource=resource,
            language=language,
            file=SimpleUploadedFile(f"{language}.pdf", PDF_BYTES),
        )
    # 1 resource + 6 prefetches (authors, countries, themes, tags, commodities, translated
    # titles) + 1 language versions + 1 related resources = 9, whatever the number of
    # versions; on PostgreSQL related resources come from the search index: content
    # version, ids, rows (+2).
    warm_facet_index()
    with django_assert_max_num_queries(11):
        response = client.get(resource.get_absolute_url())
    assert response.content.decode().count("/download/") >= 4


@pytest.mark.django_db
@pytest.mark.parametrize("in_memory", [True, False])
def test_admin_refuses_an_oversized_file(client, partner_and_draft, settings, in_memory):
    settings.ASMHUB_MAX_UPLOAD_SIZE = 2000
    if not in_memory:
        # Streamed to disk: the handler stops writing at the limit but counts it all.
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    _partner, draft = partner_and_draft
    response = post_change(client, draft, file=SimpleUploadedFile("big.pdf", pdf_bytes(4)))
    assert response.status_code == 200
    assert "at most 2.0" in str(response.context["adminform"].form.errors["file"])
    draft.refresh_from_db()
    assert not draft.file


def test_size_limited_handler_stops_writing_at_the_limit(settings):
    from resources.files.uploads import SizeLimitedUploadHandler

    settings.ASMHUB_MAX_UPLOAD_SIZE = 100
    handler = SizeLimitedUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", 1000)
    for start in range(0, 1000, 50):
        handler.receive_data_chunk(b"x" * 50, start)
    upload = handler.file_complete(1000)
    try:
        assert upload.size == 1000
        upload.seek(0, 2)
        assert upload.tell() == 100
        with pytest.raises(ValidationError):
            validate_upload(upload)
    finally:
        upload.close()


# Containers: every ZIP-based format obeys the same member rules (resources/files/containers.py).

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
SVG_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
XHTML = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>One</p>'


def content_types(*overrides, main=WORD_MAIN):
    entries = "".join(
        f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides
    )
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{entries}</Types>'
    )


def docx(parts=None, types=None):
    return zip_bytes(
        {
            "[Content_Types].xml": types or content_types(),
            "word/document.xml": "<w:document/>",
            **(parts or {}),
        }
    )


def odt(parts):
    return zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>", **parts}
    )


def epub(parts):
    return zip_bytes(
        {"mimetype": "application/epub+zip", "META-INF/container.xml": "<x/>", **parts}
    )


XLSM = zip_bytes(
    {
        "[Content_Types].xml": content_types(
            ("xl/vbaProject.bin", "application/vnd.ms-office.vbaProject")
        ),
        "xl/workbook.xml": "<workbook/>",
        "xl/vbaProject.bin": OLE,
    }
)

CONTAINERS_ACCEPTED = [
    ("images.docx", docx({"word/media/image1.svg": SVG_IMAGE, "word/media/image2.png": PNG})),
    ("chart.docx", docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": XLSX})),
    ("pictures.odt", odt({"Pictures/map.png": PNG, "styles.xml": "<office:styles/>"})),
    ("book.epub", epub({"OEBPS/ch1.xhtml": XHTML, "OEBPS/cover.svg": SVG_IMAGE})),
]

CONTAINERS_REFUSED = [
    # Programs, by name and by first bytes, in every kind of container.
    ("report.docx", docx({"word/embeddings/setup.exe": EXE}), "program"),
    ("report.docx", docx({"word/media/image1.png": ELF}), "program"),
    ("report.docx", docx({"word/run.ps1": b"Invoke-WebRequest http://x"}), "program"),
    ("report.odt", odt({"Pictures/tool.exe": EXE}), "program"),
    ("book.epub", epub({"OEBPS/app.js": b"alert(1)"}), "program"),
    ("book.epub", epub({"OEBPS/cover.png": b"#!/bin/sh\nrm -rf ~\n"}), "program"),
    # Web pages where the format has no use for them: by name, declared type, first bytes.
    ("report.docx", docx({"word/afchunk.htm": HTML}), "web page"),
    (
        "report.docx",
        docx({"word/chunk.dat": b"x"}, content_types(("word/chunk.dat", "text/html"))),
        "web page",
    ),
    ("report.docx", docx({"word/chunk.xml": HTML}), "web page"),
    ("report.odt", odt({"page.html": HTML}), "web page"),
    # Scripts, even where markup belongs.
    ("report.docx", docx({"word/media/image1.svg": SVG}), "script"),
    ("book.epub", epub({"OEBPS/ch1.xhtml": XHTML + b"<script>steal()</script>"}), "script"),
    ("book.epub", epub({"OEBPS/ch1.xhtml": XHTML + b'<a href="javascript:x()">a</a>'}), "script"),
    ("book.epub", epub({"OEBPS/ch1.xhtml": XHTML + b'<p class="a" onclick="x()">'}), "script"),
    # Macros by content type and by OLE signature, whatever the part is named.
    ("report.docx", docx({"word/media/image9.png": OLE}), "macros"),
    (
        "report.docx",
        docx(
            {"word/data.xml": b"<x/>"},
            content_types(("word/data.xml", "application/vnd.ms-office.vbaProject")),
        ),
        "macros",
    ),
    (
        "report.docx",
        docx(types=content_types(main=WORD_MAIN.replace("main", "macroEnabled.main"))),
        "macros",
    ),
    (
        "sheet.xlsx",
        zip_bytes(
            {
                "[Content_Types].xml": content_types(
                    ("xl/macrosheets/s1.xml", "application/vnd.ms-excel.macrosheet+xml")
                ),
                "xl/workbook.xml": "<workbook/>",
                "xl/macrosheets/s1.xml": "<xm:macrosheet/>",
            }
        ),
        "macros",
    ),
    ("report.docx", docx({"word/embeddings/Book.xlsx": XLSM}), "macros"),
    (
        "report.odt",
        odt(
            {"Basic/Standard/Module1.xml": b'<?xml version="1.0"?><script:module script:name="M">'}
        ),
        "macros",
    ),
    (
        "report.odt",
        odt(
            {"content.xml": b'<x><script:event-listener xlink:href="vnd.sun.star.script:A.b"/></x>'}
        ),
        "macros",
    ),
    ("book.epub", epub({"OEBPS/more.zip": zip_bytes({"a.pdf": PDF_BYTES})}), "ZIP inside a ZIP"),
    # Unsafe member paths, in a ZIP and in a document alike.
    ("evil.zip", zip_bytes({"C:/Windows/x.txt": b"x\n"}), "unsafe path"),
    ("evil.zip", zip_bytes({"C:\\Windows\\x.txt": b"x\n"}), "unsafe path"),
    ("evil.zip", zip_bytes({"docs\\x.txt": b"x\n"}), "unsafe path"),
    ("evil.zip", zip_bytes({"/etc/x.txt": b"x\n"}), "unsafe path"),
    ("report.docx", docx({"C:/x": b"x"}), "unsafe path"),
    ("book.epub", epub({"OEBPS/../../x.xhtml": XHTML}), "unsafe path"),
]


@pytest.mark.parametrize(
    ("name", "content"), CONTAINERS_ACCEPTED, ids=[name for name, _ in CONTAINERS_ACCEPTED]
)
def test_documents_with_ordinary_parts_pass(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    CONTAINERS_REFUSED,
    ids=[f"{n}-{name}-{reason}" for n, (name, _, reason) in enumerate(CONTAINERS_REFUSED)],
)
def test_every_container_obeys_the_member_rules(name, content, reason):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))
    assert reason.lower() in " ".join(refused.value.messages).lower()


def refusal(name, content):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("name", "first_members"),
    [("data.zip", {}), ("report.docx", {"[Content_Types].xml": content_types()})],
)
def test_a_zip_bomb_is_refused_by_the_default_compression_ratio(name, first_members):
    # 50 MB of one repeated line deflates to about 50 KB: 1000 to 1, against 100 to 1.
    bomb = {"word/document.xml" if first_members else "a.csv": b"0,0\n" * (50 * 1024 * 1024 // 4)}
    content = zip_bytes({**first_members, **bomb}, zipfile.ZIP_DEFLATED)
    assert len(content) < 100 * 1024
    assert "at most 100 to 1" in refusal(name, content)


def test_many_small_members_are_held_to_the_ratio_as_a_whole():
    # Each member stays under RATIO_FLOOR, so only the ratio of the whole can catch them.
    line = b"0,0\n" * (RATIO_FLOOR // 4)
    content = zip_bytes({f"part{n}.csv": line for n in range(8)}, zipfile.ZIP_DEFLATED)
    message = refusal("parts.zip", content)
    assert "“parts.zip” is compressed" in message


def test_the_uncompressed_size_and_ratio_come_from_settings(settings):
    members = {"a.csv": b"1,2\n" * 15_000, "b.csv": b"3,4\n" * 15_000}  # 120 kB in all
    stored = zip_bytes(members)
    validate_upload(SimpleUploadedFile("data.zip", stored))
    settings.ASMHUB_MAX_UNCOMPRESSED_SIZE = 100_000
    assert "expands to 117.2\xa0KB" in refusal("data.zip", stored)
    settings.ASMHUB_MAX_UNCOMPRESSED_SIZE = 10**9
    settings.ASMHUB_MAX_COMPRESSION_RATIO = 3
    big = zip_bytes({"a.csv": b"1,2\n" * RATIO_FLOOR}, zipfile.ZIP_DEFLATED)
    assert "at most 3 to 1" in refusal("data.zip", big)


def lie_about_size(data, size):
    """The archive with its one member's uncompressed size rewritten in both headers."""
    forged = bytearray(data)
    struct.pack_into("<I", forged, forged.find(b"PK\x03\x04") + 22, size)
    struct.pack_into("<I", forged, forged.find(b"PK\x01\x02") + 24, size)
    return bytes(forged)


def test_a_member_holding_more_than_its_header_says_is_refused():
    honest = zip_bytes({"notes.txt": b"Field notes from Geita.\n" * 1000}, zipfile.ZIP_DEFLATED)
    validate_upload(SimpleUploadedFile("notes.zip", honest))
    message = refusal("notes.zip", lie_about_size(honest, 24))
    assert "where its header says 24" in message


def test_a_word_document_made_by_python_docx_passes():
    import docx

    document = docx.Document()
    document.add_paragraph("Artisanal gold in Geita")
    buffer = io.BytesIO()
    document.save(buffer)
    validate_upload(SimpleUploadedFile("geita.docx", buffer.getvalue()))
