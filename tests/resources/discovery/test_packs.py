"""Offline packs: a ZIP of a library state's files and a self-contained index.html, built
by make_packs outside requests, once per content version, and opened here from disk."""

import io
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import bibtexparser
import pytest
import rispy
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from lxml import html

from resources.discovery import packs
from resources.discovery.packs import make_packs
from resources.models import Country, OfflinePack, Resource, ResourceFile
from resources.search.version import content_version
from tests.factories import PDF_BYTES, CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = reverse("resources:pack")


@pytest.fixture
def ghana():
    country = CountryFactory(code="GH")
    report = ResourceFactory(
        with_file=True, title="Gold in Ghana", doi="10.1234/gold", countries=[country]
    )
    ResourceFile.objects.create(
        resource=report,
        language="fr",
        file=ContentFile(PDF_BYTES, name="rapport.pdf"),
    )
    ResourceFactory(title="Mercury online only", countries=[country])
    ResourceFactory(
        with_file=True,
        title="A draft nobody may see",
        status=Resource.Status.DRAFT,
        countries=[country],
    )
    ResourceFactory(with_file=True, title="Elsewhere", countries=[CountryFactory(code="PE")])
    return country


def download(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def index_of(data):
    """The text of the index.html of a pack's ZIP."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive.read(next(n for n in archive.namelist() if n.endswith("index.html"))).decode()


def unzip(data, tmp_path):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        archive.extractall(tmp_path)
        names = archive.namelist()
    (folder,) = {name.split("/")[0] for name in names}
    return tmp_path / folder, names


def local_links(index):
    """Every href and src of the page that names no scheme or host: the pack's own files."""
    tree = html.parse(str(index))
    links = [e.get("href") for e in tree.iter("a", "link")] + [
        e.get("src") for e in tree.iter("img", "script")
    ]
    return tree, [link for link in links if link and not urlsplit(link).scheme]


def test_a_pack_not_built_yet_answers_202_quickly_and_is_asked_for(client, ghana):
    response = client.get(f"{URL}?country=gh")
    assert response.status_code == 202
    assert response["Retry-After"] == "60"
    assert "being prepared" in response.content.decode()
    row = OfflinePack.objects.get()
    assert (row.query, row.language, row.file) == ("country=gh", "en", "")
    assert row.requested_at is not None


def test_a_pack_opened_from_disk_links_only_files_it_holds(client, ghana, tmp_path):
    make_packs()
    folder, names = unzip(download(client, "country=gh"), tmp_path)
    tree, links = local_links(folder / "index.html")
    text = tree.getroot().text_content()
    assert "offline pack: Country: Ghana" in text
    assert "Gold in Ghana" in text and "Mercury online only" in text
    assert "A draft nobody may see" not in text and "Elsewhere" not in text
    assert "doi.org/10.1234/gold" in text  # the formatted reference
    # The main file, the French version and both citation files, each linked and present.
    assert len(links) == 4
    for link in links:
        assert (folder / unquote(link)).is_file(), link
    assert (folder / "files").exists()
    stored = sorted(p.read_bytes() for p in (folder / "files").rglob("*.pdf"))
    assert stored == [PDF_BYTES, PDF_BYTES]
    # No external asset: no stylesheet, script or picture from anywhere else.
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src]")
    bib = bibtexparser.parse_string((folder / "citations.bib").read_text())
    assert not bib.failed_blocks and len(bib.entries) == 2
    assert len(rispy.loads((folder / "citations.ris").read_text())) == 2
    assert not [n for n in names if "draft" in n]


def test_the_size_shown_is_the_size_of_the_zip(client, ghana):
    pages = (reverse("resources:list") + "?country=gh", reverse("country-detail", args=["gh"]))
    for page in pages:  # seen first while the pack is being prepared (a cached page, on PG)
        assert "Offline pack (being prepared)" in client.get(page).content.decode()
    make_packs()
    data = download(client, "country=gh")
    files = len([n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if not n.endswith("/")])
    size = filesizeformat(len(data)).replace("\xa0", " ")
    expected = f"Download offline pack ({files} files, {size})"
    for page in pages:
        content = client.get(page).content.decode().replace("\xa0", " ")
        assert expected in content, page


def test_a_library_page_offers_a_pack_being_prepared_until_it_is_built(client, ghana):
    page = client.get(reverse("resources:list") + "?country=gh&q=gold").content.decode()
    assert "Offline pack (being prepared)" in page
    assert f'href="{URL}?country=gh&amp;q=gold"' in page


def test_the_pack_is_reused_for_the_same_content_and_rebuilt_after_a_change(client, ghana):
    assert make_packs() == (2, 2)  # Ghana and Peru (countries with published resources)
    row = OfflinePack.objects.get(query="country=gh")
    first = download(client, "country=gh")
    assert download(client, "country=gh") == first
    assert make_packs() == (0, 0)  # nothing changed: nothing checked
    # A change elsewhere makes a new content version: the Ghana pack is only re-stamped.
    ResourceFactory(title="Another Peruvian study", countries=[Country.objects.get(code="PE")])
    assert make_packs() == (1, 2)
    assert OfflinePack.objects.get(query="country=gh").file == row.file
    assert download(client, "country=gh") == first
    # A change to one of its resources: a new pack, the old file deleted.
    report = Resource.objects.get(title="Gold in Ghana")
    report.title = "Gold in Ghana, revised"
    report.save()
    packs_before = client.get(f"{URL}?country=gh")
    assert packs_before.status_code == 202  # stale until the next run
    make_packs()
    rebuilt = OfflinePack.objects.get(query="country=gh")
    assert rebuilt.file != row.file and rebuilt.version == content_version()
    assert not default_storage.exists(row.file)
    assert "Gold in Ghana, revised" in index_of(download(client, "country=gh"))


def test_theme_and_search_packs(client, ghana):
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    Resource.objects.get(title="Gold in Ghana").themes.add(mercury)
    ResourceFactory(title="Theme only", themes=[mercury])
    make_packs()
    assert OfflinePack.objects.filter(query="theme=mercury").exists()
    assert download(client, "theme=mercury")
    assert client.get(f"{URL}?q=gold").status_code == 202
    make_packs()
    assert "Gold in Ghana" in index_of(download(client, "q=gold"))


def test_a_pack_is_capped_and_says_so(client, settings, ghana, tmp_path):
    settings.ASMHUB_PACK_MAX_RESOURCES = 1
    for n in range(2):
        ResourceFactory(with_file=True, title=f"Later {n}", year=2024, countries=[ghana])
    make_packs()
    folder, _ = unzip(download(client, "country=gh"), tmp_path / "one")
    text = (folder / "index.html").read_text()
    assert "first 1 of 4 resources" in text
    settings.ASMHUB_PACK_MAX_RESOURCES = 200
    settings.ASMHUB_PACK_MAX_BYTES = len(PDF_BYTES)  # room for one file only
    OfflinePack.objects.update(version=None)
    make_packs()
    folder, _ = unzip(download(client, "country=gh"), tmp_path / "two")
    assert len(list((folder / "files").rglob("*.pdf"))) == 1
    assert "did not fit in this pack" in (folder / "index.html").read_text()
    _, links = local_links(folder / "index.html")
    assert all((folder / unquote(link)).is_file() for link in links)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("country=zz", 400),
        ("theme=nothing-like-it", 400),
        ("year_from=abc", 400),
        ("q=" + "x" * 300, 400),
        ("q=%00", 202),  # no search left: the whole library's pack
        ("country=pe&year_from=1999&year_to=2000", 404),
        ("page=-1&sort=bogus", 400),
    ],
)
def test_bad_queries_answer_400_or_404(client, ghana, query, status):
    assert client.get(f"{URL}?{query}").status_code == status


def test_packs_nobody_asks_for_are_deleted(client, ghana):
    client.get(f"{URL}?q=gold")
    make_packs()
    row = OfflinePack.objects.get(query="q=gold")
    assert default_storage.exists(row.file)
    OfflinePack.objects.filter(pk=row.pk).update(
        requested_at=timezone.now() - packs.KEEP_UNASKED - timezone.timedelta(days=1)
    )
    make_packs()
    assert not OfflinePack.objects.filter(query="q=gold").exists()
    assert not default_storage.exists(row.file)
    assert OfflinePack.objects.filter(query="country=gh").exists()  # a country's stays


def test_a_pack_is_written_in_the_reader_s_language(client, ghana):
    client.get("/fr" + URL + "?country=gh")
    make_packs()
    row = OfflinePack.objects.get(language="fr")
    assert row.file
    data = b"".join(client.get("/fr" + URL + "?country=gh").streaming_content)
    assert 'lang="fr"' in index_of(data)
    (index,) = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".html")]
    assert Path(index).parent.name == "asm-hub-pays-ghana"


def test_a_pack_whose_file_is_gone_is_skipped_and_the_others_are_built(client, ghana, caplog):
    Resource.objects.get(title="Gold in Ghana").file.delete(save=False)
    assert make_packs() == (1, 2)  # Peru built; Ghana's missing file logged, tried next run
    assert "not built" in caplog.text
    assert client.get(f"{URL}?country=gh").status_code == 202
    assert download(client, "country=pe")


def pack_reads(client, path):
    """(the page, how many statements read the offline packs to write it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    return page, sum("resources_offlinepack" in q["sql"] for q in queries)


@pytest.mark.usefixtures("on_postgres")  # the page cache serves the index's backend only
def test_what_pages_say_of_packs_is_read_once_until_a_pack_is_built_or_lost(client, ghana):
    list_url = reverse("resources:list")
    page, reads = pack_reads(client, f"{list_url}?country=gh")
    assert "Offline pack (being prepared)" in page and reads == 1
    # The same state in another order: the same pack, known to this process.
    page, reads = pack_reads(client, f"{list_url}?country=gh&sort=oldest")
    assert "Offline pack (being prepared)" in page and reads == 0
    make_packs()  # built: the artefacts stamp changes, and the pages say so
    page, reads = pack_reads(client, f"{list_url}?country=gh&sort=title")
    assert "Download offline pack" in page and reads == 1
    page, reads = pack_reads(client, f"{list_url}?country=gh&sort=newest")
    assert "Download offline pack" in page and reads == 0
    # Another state: its pack is known not built from the same read.
    page, reads = pack_reads(client, f"{list_url}?country=gh&q=gold")
    assert "Offline pack (being prepared)" in page and reads == 0
    packs.mark_stale(OfflinePack.objects.get(query="country=gh"))  # its file was lost
    page, reads = pack_reads(client, f"{list_url}?country=gh&q=")
    assert "Offline pack (being prepared)" in page and reads == 1
