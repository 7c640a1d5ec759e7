"""Bulk import and export: dry run, idempotent re-runs, all-or-nothing with line-numbered
errors, the admin form for curators, and a round trip that loses nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from resources.curation.imports import export_csv, import_csv
from resources.models import Resource
from tests.factories import CommodityFactory, CuratorFactory, PartnerFactory, ThemeFactory

pytestmark = pytest.mark.django_db

DEMO_CSV = Path(__file__).resolve().parents[3] / "resources" / "demo" / "resources.csv"
HEADER = (
    "title,authors,year,publisher,resource_type,countries,commodities,themes,language,url,"
    "identifier,source_note\n"
)
GOOD = HEADER + (
    'Gold in Ghana,"McQuilken, J.; Hilson, G.",2016,IIED,report,GH,gold,mercury,en,'
    "https://example.org/gold,16618IIED; ISBN 9781784313302,from the catalogue\n"
    "Salt of the earth,UNEP,2019,UNEP,guidance,TZ;ET,,,fr,https://example.org/salt,,\n"
    "Untitled elsewhere,,,,dataset,,,,,https://example.org/data,doi:10.1000/xyz,"
    '"a note, with a comma"\n'
)


@pytest.fixture(autouse=True)
def vocabularies():
    ThemeFactory(slug="mercury", name="Mercury")
    CommodityFactory(slug="gold", name="Gold")


def lines(text):
    return io.StringIO(text)


def snapshot():
    """Everything an import may touch, to compare before and after."""
    rows = []
    for r in Resource.objects.order_by("pk"):
        rows.append(
            (
                r.title,
                r.year,
                r.doi,
                r.isbn,
                r.publisher_code,
                r.external_url,
                r.edit_version,
                tuple(r.countries.values_list("code", flat=True)),
                tuple(r.authors.values_list("name", flat=True)),
            )
        )
    return rows, Resource.history.count()


def test_dry_run_reports_and_changes_nothing():
    report = import_csv(lines(GOOD), dry_run=True)
    assert report.ok
    assert report.counts == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    assert Resource.objects.count() == 0


def test_import_creates_drafts_with_every_column():
    report = import_csv(lines(GOOD))
    assert report.applied
    gold = Resource.objects.get(publisher_code="16618IIED")
    assert gold.status == Resource.Status.DRAFT
    assert (gold.title, gold.year, gold.isbn) == ("Gold in Ghana", 2016, "9781784313302")
    assert [a.name for a in gold.authors.order_by("position")] == ["McQuilken, J.", "Hilson, G."]
    assert list(gold.countries.values_list("code", flat=True)) == ["GH"]
    assert list(gold.themes.values_list("slug", flat=True)) == ["mercury"]
    assert list(gold.commodities.values_list("slug", flat=True)) == ["gold"]
    salt = Resource.objects.get(title="Salt of the earth")
    assert salt.resource_type == "toolkit"  # "guidance" is the data set's name for it
    assert salt.language == "fr"
    assert salt.authors.get().is_organisation
    assert Resource.objects.get(doi="10.1000/xyz").source_note == "a note, with a comma"


def test_rerunning_the_same_file_changes_nothing():
    import_csv(lines(GOOD))
    before = snapshot()
    report = import_csv(lines(GOOD))
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert snapshot() == before


def test_matches_on_identifier_then_on_title_and_year():
    import_csv(lines(GOOD))
    changed = GOOD.replace("Gold in Ghana", "Gold in Ghana (revised)").replace(
        "Salt of the earth,UNEP,2019,UNEP", "Salt of the earth,UNEP,2019,UN Environment"
    )
    report = import_csv(lines(changed))
    assert report.counts == {"created": 0, "updated": 2, "unchanged": 1, "refused": 0}
    assert Resource.objects.get(publisher_code="16618IIED").title == "Gold in Ghana (revised)"
    assert Resource.objects.get(title="Salt of the earth").publisher == "UN Environment"
    assert Resource.objects.count() == 3


def test_a_file_with_bad_rows_changes_nothing_and_names_each_line():
    import_csv(lines(GOOD))
    before = snapshot()
    bad = HEADER + (
        "Fine row,,2020,,report,GH,,,en,https://example.org/fine,,\n"
        "Unknown country,,2020,,report,XX;GH,,,en,,,\n"
        "Unknown theme,,2020,,report,,,mercury;magic,en,,,\n"
        "Unknown type,,2020,,poem,,,,en,,,\n"
        '"Multi\nline title",,nineteen,,report,,,,en,,,\n'
        "Unknown commodity,,2020,,report,,unobtainium,,en,,,\n"
        "Bad language,,2020,,report,,,,klingon,not a url,,\n"
    )
    report = import_csv(lines(bad))
    assert not report.ok
    assert report.errors == [
        "line 3: unknown countries: XX",
        "line 4: unknown themes: magic",
        "line 5: unknown type 'poem'",
        "line 6: the year 'nineteen' is not a number",
        "line 8: unknown commodities: unobtainium",
        "line 9: unknown language 'klingon'",
        "line 9: the URL 'not a url' is not valid",
    ]
    assert snapshot() == before
    assert not Resource.objects.filter(title="Fine row").exists()


def test_a_row_with_a_bad_doi_is_refused_by_line():
    # A DOI that could break out of a BibTeX field is not a DOI: the file changes nothing.
    bad = HEADER + (
        "Fine row,,2020,,report,GH,,,en,,doi:10.1234/fine,\n"
        'Injected,,2020,,report,,,,en,,"doi:10.1/x}, title = {INJECTED}",\n'
    )
    report = import_csv(lines(bad))
    assert report.errors == ["line 3: the DOI '10.1/x}, title = {INJECTED}' is not valid"]
    assert report.counts["refused"] == 1
    assert not Resource.objects.exists()


def test_missing_columns_are_refused():
    report = import_csv(lines("title,year\nA,2020\n"))
    assert report.errors == [
        "line 1: missing columns: authors, publisher, resource_type, countries, commodities, "
        "themes, language, url, identifier, source_note"
    ]


def test_export_then_import_round_trip_loses_nothing():
    import_csv(lines(GOOD), status=Resource.Status.PUBLISHED)
    exported = io.StringIO()
    export_csv(Resource.objects.all(), exported)
    before = snapshot()
    report = import_csv(lines(exported.getvalue()))
    assert report.counts["unchanged"] == 3 and report.ok
    assert snapshot() == before
    # And into an empty library the same file makes the same records.
    Resource.objects.all().delete()
    import_csv(lines(exported.getvalue()))
    again = io.StringIO()
    export_csv(Resource.objects.all(), again)
    assert list(csv.DictReader(io.StringIO(again.getvalue()))) == list(
        csv.DictReader(io.StringIO(exported.getvalue()))
    )


def test_export_guards_against_spreadsheet_formulas_and_import_undoes_it():
    text = HEADER + '=HYPERLINK("http://evil"),,2020,,report,,,,en,,,\n'
    import_csv(lines(text))
    exported = io.StringIO()
    export_csv(Resource.objects.all(), exported)
    row = next(csv.DictReader(io.StringIO(exported.getvalue())))
    assert row["title"].startswith("'=")
    assert import_csv(lines(exported.getvalue())).counts["unchanged"] == 1


def test_the_demo_data_set_imports_cleanly_twice(tmp_path):
    call_command("load_demo")
    count = Resource.objects.count()
    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before
    exported = tmp_path / "export.csv"
    call_command("export_resources", str(exported))
    with exported.open(newline="", encoding="utf-8") as handle:
        report = import_csv(handle)
    assert report.counts["unchanged"] == count
    # The file the issue names, ../shared/data/resources.csv, is in the same layout.
    shared = DEMO_CSV.parents[3] / "shared" / "data" / "resources.csv"
    if shared.exists():
        with shared.open(newline="", encoding="utf-8") as handle:
            report = import_csv(handle, dry_run=True)
        assert report.ok and report.counts["created"] == 0


def test_command_dry_run_and_errors(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_resources", str(path), "--dry-run")
    assert "3 would be created" in capsys.readouterr().out
    assert Resource.objects.count() == 0
    call_command("import_resources", str(path), "--publish")
    assert Resource.objects.published().count() == 3
    path.write_text(HEADER + "X,,2020,,poem,,,,en,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_resources", str(path), stderr=OutputWrapper(io.StringIO()))


def test_admin_import_for_curators_only(client):
    url = reverse("admin:resources_resource_import")
    client.force_login(PartnerFactory())
    assert client.post(url, {"file": SimpleUploadedFile("a.csv", GOOD.encode())}).status_code == 403
    client.force_login(CuratorFactory())
    dry = client.post(url, {"file": SimpleUploadedFile("a.csv", GOOD.encode()), "dry_run": "on"})
    assert dry.context["report"].counts["created"] == 3
    assert Resource.objects.count() == 0
    real = client.post(url, {"file": SimpleUploadedFile("a.csv", GOOD.encode())})
    assert real.context["report"].applied
    assert Resource.objects.count() == 3
    export = client.get(reverse("admin:resources_resource_export"))
    assert export["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(export.content.decode())))) == 3


def test_admin_import_of_a_file_that_is_not_utf8(client):
    client.force_login(CuratorFactory())
    response = client.post(
        reverse("admin:resources_resource_import"),
        {"file": SimpleUploadedFile("a.csv", GOOD.replace("Côte", "C").encode("utf-16"))},
    )
    assert response.status_code == 200
    assert "not UTF-8" in str(response.context["form"].errors["file"])
    assert Resource.objects.count() == 0


@pytest.mark.parametrize("memory_size", [0, 2_621_440], ids=["streamed-to-disk", "in-memory"])
def test_admin_import_refuses_a_file_over_the_upload_limit(client, settings, memory_size):
    """All or nothing: a file past the limit is refused whole, never imported as far as
    the part that was kept (the upload handler stops writing at the limit)."""
    big = HEADER + "".join(
        f"Report number {n},,2020,,report,GH,,,en,https://example.org/{n},,{'A note. ' * 70}\n"
        for n in range(200)
    )
    size = len(big.encode())
    # Past the first 64 KB chunk the upload handler writes, short of the whole file.
    limit = 100_000
    assert 65_536 < limit < size
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_size
    settings.ASMHUB_MAX_UPLOAD_SIZE = limit
    client.force_login(CuratorFactory())
    response = client.post(
        reverse("admin:resources_resource_import"),
        {"file": SimpleUploadedFile("big.csv", big.encode())},
    )
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["file"] == [
        f"The file is {filesizeformat(size)}; files may be at most {filesizeformat(limit)}. "
        "Nothing was imported."
    ]
    assert Resource.objects.count() == 0
