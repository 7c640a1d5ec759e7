"""A resource's title and summary in other languages: shown to readers of that language
beside the original, found by their words, carried by JSON-LD, RIS and OAI-PMH, and by the
CSV import and export."""

import csv
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from lxml import etree

from resources.curation.imports import REFUSED, UNCHANGED, UPDATED, export_csv, import_csv
from resources.models import ResourceTranslation
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

SWAHILI = "Matumizi ya zebaki katika uchimbaji mdogo wa dhahabu"


def url(resource, code="en", suffix=""):
    """The resource's page in a language (each request activates its page's language)."""
    with translation.override(code):
        return resource.get_absolute_url() + suffix


@pytest.fixture
def resource():
    resource = ResourceFactory(
        title="Mercury use in small-scale gold mining",
        summary="How miners use mercury.",
        language="en",
        year=2019,
        publisher_code="MERC-1",
    )
    ResourceTranslation.objects.create(resource=resource, language="sw", title=SWAHILI)
    ResourceTranslation.objects.create(
        resource=resource,
        language="es",
        title="El uso del mercurio en la minería aurífera",
        summary="Cómo usan el mercurio los mineros.",
    )
    return resource


def test_a_swahili_title_is_found_by_a_swahili_search_and_shown_on_the_swahili_page(
    client, resource
):
    # "matumizi" (use) is in the Swahili title only, and in no thesaurus entry.
    found = client.get("/sw/resources/?q=matumizi").content.decode()
    assert "use in small-scale gold mining" in found
    assert "use in small-scale gold mining" not in (
        client.get("/sw/resources/?q=zzmatumiziqq").content.decode()
    )
    page = client.get(url(resource, "sw")).content.decode()
    assert f'<span lang="sw">{SWAHILI}</span>' in page
    assert '<h1 lang="en">Mercury use in small-scale gold mining</h1>' in page


def test_a_translated_summary_is_shown_first_and_says_it_is_a_translation(client, resource):
    page = client.get(url(resource, "es")).content.decode()
    summary = page.index('id="summary-heading"')
    translated = page.index("Cómo usan el mercurio los mineros.", summary)
    original = page.index("How miners use mercury.", summary)
    assert translated < original
    assert 'lang="es"' in page and "El uso del mercurio en la minería aurífera" in page


def test_a_reader_without_a_translation_sees_only_the_original(client, resource):
    page = client.get(url(resource, "fr")).content.decode()
    assert 'class="translated-title"' not in page
    assert f'<span lang="sw">{SWAHILI}' not in page


def test_a_translation_edited_later_is_searchable_at_once(client, resource):
    translation = resource.translations.get(language="sw")
    translation.title = "Tathmini ya zebaki"
    translation.save()
    assert "Mercury use" in client.get("/sw/resources/?q=tathmini").content.decode()
    translation.delete()
    assert "Mercury use" not in client.get("/sw/resources/?q=tathmini").content.decode()


def test_json_ld_names_every_version_with_its_language(client, resource):
    page = client.get(url(resource)).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    names = [json.loads(block).get("name") for block in blocks]
    assert {
        "@value": SWAHILI,
        "@language": "sw",
    } in next(name for name in names if isinstance(name, list))
    assert {"@value": resource.title, "@language": "en"} in next(
        name for name in names if isinstance(name, list)
    )


def test_ris_adds_the_translated_titles_and_bibtex_keeps_the_original(client, resource):
    ris = client.get(url(resource, suffix="cite.ris")).content.decode()
    assert f"TI  - {resource.title}\r\n" in ris
    assert f"TT  - {SWAHILI}\r\n" in ris
    bib = client.get(url(resource, suffix="cite.bib")).content.decode()
    assert SWAHILI not in bib


def test_oai_dc_has_a_title_per_language(client, resource):
    xml = client.get(
        "/oai",
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": f"oai:asmhub.example.org:resource/{resource.pk}",
        },
    ).content
    titles = etree.fromstring(xml).findall(".//{http://purl.org/dc/elements/1.1/}title")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [(t.get(lang), t.text) for t in titles] == [
        ("en", resource.title),
        ("es", "El uso del mercurio en la minería aurífera"),
        ("sw", SWAHILI),
    ]


def test_a_translation_in_the_resource_s_own_language_is_refused(resource):
    with pytest.raises(ValidationError):
        ResourceTranslation(resource=resource, language="en", title="Again").full_clean()


def exported(queryset):
    stream = io.StringIO()
    export_csv(queryset, stream)
    return stream.getvalue()


def test_the_csv_round_trip_carries_translations(resource):
    text = exported(type(resource).objects.filter(pk=resource.pk))
    assert "title_sw" in text.splitlines()[0] and SWAHILI in text
    report = import_csv(io.StringIO(text))
    assert [row.action for row in report.rows] == [UNCHANGED]

    changed = text.replace(SWAHILI, "Zebaki katika uchimbaji")
    report = import_csv(io.StringIO(changed))
    assert [row.action for row in report.rows] == [UPDATED]
    assert resource.translations.get(language="sw").title == "Zebaki katika uchimbaji"
    assert resource.translations.get(language="es").summary == "Cómo usan el mercurio los mineros."


def test_a_file_without_translation_columns_leaves_translations_alone(resource):
    text = exported(type(resource).objects.filter(pk=resource.pk))
    header, row = text.splitlines()[:2]
    keep = header.split(",").index("source_note") + 1
    cells = next(csv.reader([row]))[:keep]
    plain = ",".join(header.split(",")[:keep]) + "\r\n" + _csv_line(cells)
    report = import_csv(io.StringIO(plain.replace("2019", "2020")))
    assert [row.action for row in report.rows] == [UPDATED]
    assert resource.translations.count() == 2


def _csv_line(cells):
    stream = io.StringIO()
    csv.writer(stream).writerow(cells)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("title_en", "Same language", "own language"),
        ("summary_fr", "Un résumé sans titre", "needs a title_fr"),
        ("title_pt", "x" * 401, "longer than 400"),
    ],
)
def test_bad_translation_cells_are_refused_with_what_to_fix(resource, column, value, message):
    text = exported(type(resource).objects.filter(pk=resource.pk))
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0][column] = value
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    report = import_csv(io.StringIO(stream.getvalue()))
    assert report.rows[0].action == REFUSED
    assert any(message in error for error in report.rows[0].errors)
    assert resource.translations.count() == 2
