"""Thumbnails: the first page of a real multi-page PDF rendered small, stored beside the
file, shown in result rows and on the resource page with width, height, lazy loading
and alt text; none for a broken file, and no crash."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from fpdf import FPDF
from PIL import Image

from resources.curation.thumbnails import make_thumbnails, needing_thumbnails
from resources.files.thumbnails import render_thumbnail
from resources.models import Resource
from tests.factories import ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def report_pdf(pages=3, colour=(200, 120, 0)):
    """A real PDF of several pages, text and a filled box on each."""
    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=24)
        pdf.cell(text=f"Page {number}: gold and mercury")
        pdf.set_fill_color(*colour)
        pdf.rect(20, 60, 170, 120, style="F")
    return bytes(pdf.output())


def with_pdf(data, **kwargs):
    return ResourceFactory(file=ContentFile(data, name="report.pdf"), external_url="", **kwargs)


def test_the_first_page_of_a_multi_page_pdf_becomes_a_small_webp():
    made = render_thumbnail(report_pdf(pages=5), "report.pdf")
    assert (made.width, made.height) == (160, 227)  # A4's proportions
    assert len(made.data) < 8 * 1024
    with Image.open(io.BytesIO(made.data)) as image:
        assert image.format == "WEBP"
        # The orange box of the first page is in the picture, where the page has it.
        red, green, blue = image.convert("RGB").getpixel((80, 110))
        assert red > 150 and 80 < green < 160 and blue < 60


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 broken", b"not a pdf at all", b"", report_pdf()[: len(report_pdf()) // 3]]
)
def test_a_broken_pdf_gives_no_thumbnail_and_no_error(data, caplog):
    assert render_thumbnail(data, "broken.pdf") is None
    assert "No thumbnail of broken.pdf" in caplog.text


def test_the_command_stores_it_beside_the_file_and_rows_show_it(client):
    resource = with_pdf(report_pdf(), title="Gold fields")
    broken = with_pdf(b"%PDF-1.4 broken", title="Broken")
    ResourceFactory(title="A link only")
    assert set(needing_thumbnails()) == {resource, broken}
    call_command("make_thumbnails", stdout=io.StringIO())
    resource.refresh_from_db()
    broken.refresh_from_db()
    stem = resource.file.name.rsplit(".", 1)[0]
    assert resource.thumbnail == f"{stem}.thumb.webp"
    assert resource.file.storage.exists(resource.thumbnail)
    assert (resource.thumbnail_width, resource.thumbnail_height) == (160, 227)
    # The broken file is remembered, not tried on every run.
    assert broken.thumbnail == "" and broken.thumbnail_source == broken.file.name
    assert list(needing_thumbnails()) == []
    assert make_thumbnails() == (0, 0)

    html = client.get("/resources/").content.decode()
    (img,) = re.findall(r'<img class="thumbnail"[^>]*>', html)
    assert 'width="80" height="113"' in img
    assert 'loading="lazy"' in img and 'alt="First page of “Gold fields”"' in img
    src = re.search(r'src="([^"]+)"', img).group(1).replace("&amp;", "&")
    response = client.get(src)
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert len(body) < 8 * 1024 and body[8:12] == b"WEBP"
    detail = client.get(resource.get_absolute_url()).content.decode()
    assert re.search(r'<img class="thumbnail" src="[^"]+" width="80" height="113"', detail)


def test_a_replaced_file_hides_the_old_picture_until_the_next_run(client):
    resource = with_pdf(report_pdf(), title="Gold fields")
    make_thumbnails()
    resource.refresh_from_db()
    old = resource.thumbnail
    resource.file = ContentFile(report_pdf(colour=(0, 0, 200)), name="second.pdf")
    resource.save()
    assert list(needing_thumbnails()) == [resource]
    assert 'class="thumbnail"' not in client.get("/resources/").content.decode()
    assert client.get(f"/thumbnails/{resource.slug}.webp").status_code == 404
    assert make_thumbnails() == (1, 1)
    resource.refresh_from_db()
    assert resource.thumbnail != old and not resource.file.storage.exists(old)
    assert 'class="thumbnail"' in client.get("/resources/").content.decode()


def test_only_a_published_resource_shows_its_thumbnail(client):
    resource = with_pdf(report_pdf())
    make_thumbnails()
    response = client.get(f"/thumbnails/{resource.slug}.webp")
    assert response.status_code == 200 and b"".join(response.streaming_content)
    Resource.objects.filter(pk=resource.pk).update(status=Resource.Status.DRAFT)
    assert client.get(f"/thumbnails/{resource.slug}.webp").status_code == 404
    assert client.get("/thumbnails/no-such-thing.webp?v=%00").status_code == 404


def test_a_page_of_results_with_thumbnails_stays_under_150_kb(client):
    """The issue's budget: the library page under 150 KB compressed with a page of
    thumbnails (its HTML, stylesheet and every picture it shows)."""
    import gzip

    from django.contrib.staticfiles import finders

    first = with_pdf(report_pdf())
    make_thumbnails()
    first.refresh_from_db()
    for _ in range(19):
        other = ResourceFactory()
        # One file and its rendering shared: twenty would only slow the test down.
        Resource.objects.filter(pk=other.pk).update(
            file=first.file.name,
            thumbnail=first.thumbnail,
            thumbnail_source=first.file.name,
            thumbnail_width=first.thumbnail_width,
            thumbnail_height=first.thumbnail_height,
        )
    html = client.get("/resources/").content
    images = re.findall(rb'<img class="thumbnail" src="([^"]+)"', html)
    assert len(images) == 20
    total = len(gzip.compress(html))
    with open(finders.find("css/hub.css"), "rb") as handle:
        total += len(gzip.compress(handle.read()))
    for src in images:
        response = client.get(src.decode().replace("&amp;", "&"))
        total += len(b"".join(response.streaming_content))
    assert total < 150 * 1024, total
