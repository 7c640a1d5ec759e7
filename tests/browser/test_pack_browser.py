"""In a real Chromium, with no server at all: an offline pack unzipped to a folder and its
index.html opened from disk (file://), its picture shown, its file link followed to the
file beside it."""

import io
import zipfile
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from resources.curation.thumbnails import make_thumbnails
from resources.discovery.packs import make_packs
from tests.conftest import axe_violations
from tests.factories import PDF_BYTES, CountryFactory, ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pack_opened_from_disk_in_a_browser(page, client, tmp_path):
    ghana = CountryFactory(code="GH")
    ResourceFactory(title="Gold in Ghana", slug="gold-in-ghana", with_file=True, countries=[ghana])
    ResourceFactory(title="Mercury online only", countries=[ghana])
    made, _ = make_thumbnails()
    make_packs()
    response = client.get("/resources/offline-pack.zip?country=gh")
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
        index = next(n for n in archive.namelist() if n.endswith("index.html"))

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto((tmp_path / index).as_uri())
    assert "Gold in Ghana" in page.locator("h1 + p ~ ol").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    if made:
        assert page.locator("img").evaluate("img => img.naturalWidth") > 0
    page.get_by_role("link", name="gold-in-ghana/gold-in-ghana.pdf").click()
    page.wait_for_url("**/files/gold-in-ghana/gold-in-ghana.pdf")
    opened = Path(url2pathname(urlsplit(page.url).path))
    assert opened.is_relative_to(tmp_path) and opened.read_bytes() == PDF_BYTES
