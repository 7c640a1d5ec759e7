"""Citation exports read back by real reference-manager parsers: BibTeX with bibtexparser 2,
RIS with rispy; and the formatted reference on the detail page."""

import datetime as dt

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from pylatexenc.latex2text import LatexNodes2Text

from resources.models import Resource
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def parse_bibtex(text):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def bibtex_names(text):
    """(family, given) of every author of the first entry, as a reference manager splits
    them: split on the LaTeX source (braces protect an organisation), then decoded."""
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    decode = LatexNodes2Text().latex_to_text
    return [
        (decode(" ".join(name.last)), decode(" ".join(name.first)))
        for name in library.entries[0].fields_dict["author"].value
    ]


def parse_ris(text):
    records = rispy.loads(text)
    # rispy drops a record without its ER line silently: count the ER lines too.
    assert len(records) == text.count("ER  - ")
    return records


@pytest.fixture
def rich():
    """A report with accents, LaTeX specials, people and an organisation as authors."""
    return ResourceFactory(
        title="Formalización & 100% of ASM_miners: {gold} in Côte d'Ivoire #1",
        slug="formalizacion-cote-divoire",
        summary="Müller's study\nof $5 gold ~ mercury.",
        publisher="Société Minière & Co.",
        year=2021,
        date=dt.date(2021, 3, 9),
        doi="10.1234/abc_def",
        isbn="978-1-78431-869-8",
        publisher_code="16618IIED",
        language="fr",
        countries=[CountryFactory(code="CI")],
        themes=[ThemeFactory(slug="formalisation", name="Formalisation")],
        commodities=[CommodityFactory(slug="gold", name="Gold")],
        tags=["Minamata"],
        authors=["Hilson, Gavin", "Núñez-García, José María", "World Bank"],
    )


def test_bibtex_of_one_resource_reads_back_exactly(client, rich):
    response = client.get(reverse("resources:cite-bib", args=[rich.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "{\\'o}" in text and "{\\&}" in text  # accents and specials escaped for LaTeX

    library = parse_bibtex(text)
    assert len(library.entries) == 1
    entry = library.entries[0]
    assert entry.entry_type == "techreport"
    assert entry.key == "formalizacion-cote-divoire"
    fields = {f.key: f.value for f in entry.fields}
    assert "Formalización & 100% of ASM_miners: {gold} in Côte d'Ivoire #1" in fields["title"]
    assert bibtex_names(text) == [
        ("Hilson", "Gavin"),
        ("Núñez-García", "José María"),
        ("World Bank", ""),
    ]
    assert fields["institution"] == "Société Minière & Co."
    assert fields["year"] == "2021"
    assert fields["doi"] == "10.1234/abc_def"
    assert fields["isbn"] == "978-1-78431-869-8"
    assert fields["number"] == "16618IIED"
    assert fields["language"] == "fr"
    assert fields["url"] == "https://doi.org/10.1234/abc_def"
    assert fields["keywords"] == "Formalisation, Gold, Minamata"
    assert fields["abstract"] == "Müller's study\nof $5 gold ~ mercury."


@pytest.mark.parametrize(
    ("resource_type", "bibtex_type", "ris_type"),
    [
        (Resource.Type.ARTICLE, "article", "JOUR"),
        (Resource.Type.BOOK, "book", "BOOK"),
        (Resource.Type.DATASET, "misc", "DATA"),
        (Resource.Type.WORKING_PAPER, "techreport", "RPRT"),
        (Resource.Type.VIDEO, "misc", "VIDEO"),
        (Resource.Type.LAW_POLICY, "misc", "LEGAL"),
    ],
)
def test_entry_types_follow_the_resource_type(client, resource_type, bibtex_type, ris_type):
    resource = ResourceFactory(resource_type=resource_type)
    bib = parse_bibtex(client.get(reverse("resources:cite-bib", args=[resource.slug])).text)
    assert bib.entries[0].entry_type == bibtex_type
    ris = parse_ris(client.get(reverse("resources:cite-ris", args=[resource.slug])).text)
    assert ris[0]["type_of_reference"] == ris_type


def test_ris_of_one_resource_reads_back_exactly(client, rich):
    rich.file = None
    response = client.get(reverse("resources:cite-ris", args=[rich.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert not response.content.startswith(b"\xef\xbb\xbf")  # no BOM
    (record,) = parse_ris(response.content.decode())
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == ["Hilson, Gavin", "Núñez-García, José María", "World Bank"]
    assert record["title"] == rich.title
    assert record["year"] == "2021"
    assert record["date"] == "2021/03/09"
    assert record["publisher"] == "Société Minière & Co."
    assert record["doi"] == "10.1234/abc_def"
    assert record["issn"] == "978-1-78431-869-8"
    assert record["language"] == "fr"
    assert record["keywords"] == ["Formalisation", "Gold", "Minamata"]
    assert record["abstract"] == "Müller's study of $5 gold ~ mercury."
    assert record["urls"] == [
        "http://testserver/resources/formalizacion-cote-divoire/",
        rich.external_url,
    ]


def test_ris_links_the_pdf_of_a_resource_with_a_file(client):
    resource = ResourceFactory(with_file=True)
    (record,) = parse_ris(client.get(reverse("resources:cite-ris", args=[resource.slug])).text)
    assert record["file_attachments1"] == f"http://testserver/resources/{resource.slug}/download/"


def test_hidden_resources_have_no_citation(client):
    for status in (Resource.Status.DRAFT, Resource.Status.WITHDRAWN):
        resource = ResourceFactory(status=status)
        for name in ("resources:cite-bib", "resources:cite-ris"):
            assert client.get(reverse(name, args=[resource.slug])).status_code == 404


@pytest.fixture
def library():
    gh = CountryFactory(code="GH")
    made = [ResourceFactory(title=f"Ghana study {n}", countries=[gh]) for n in range(3)]
    made += [ResourceFactory(title="Peru study", countries=[CountryFactory(code="PE")])]
    ResourceFactory(title="Draft Ghana study", countries=[gh], status=Resource.Status.DRAFT)
    return made


def test_list_export_applies_the_library_filters(client, library):
    response = client.get(reverse("resources:list-bib"), {"country": "gh"})
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    entries = parse_bibtex(text).entries
    assert len(entries) == 3
    assert {e.key for e in entries} == {r.slug for r in library[:3]}

    response = client.get(reverse("resources:list-ris"), {"q": "study"})
    records = parse_ris(b"".join(response.streaming_content).decode())
    assert sorted(r["title"] for r in records) == sorted(r.title for r in library)


def test_list_export_is_capped(client, library, settings):
    settings.ASMHUB_EXPORT_LIMIT = 2
    response = client.get(reverse("resources:list-ris"))
    assert response["X-Export-Limit"] == "2"
    assert len(parse_ris(b"".join(response.streaming_content).decode())) == 2


def test_list_export_query_count_does_not_grow_with_results(
    client, library, django_assert_max_num_queries, warm_facet_index
):
    # 1 for the resources (owner joined) + 5 prefetches (authors, countries, themes, tags,
    # commodities) + 1 for the tags' content type while Django has not cached it yet; on
    # PostgreSQL 2 more: the content version and the page of ids from the search index.
    warm_facet_index()
    with django_assert_max_num_queries(9):
        response = client.get(reverse("resources:list-bib"))
        b"".join(response.streaming_content)


def test_detail_page_shows_an_apa_reference(client, rich):
    response = client.get(rich.get_absolute_url())
    html = response.content.decode()
    assert "Hilson, G., Núñez-García, J. M., &amp; World Bank. (2021). " in html
    title = "Formalización &amp; 100% of ASM_miners: {gold} in Côte d&#x27;Ivoire #1"
    assert f"<em>{title}</em>" in html
    assert "[Report 16618IIED]. Société Minière &amp; Co. https://doi.org/10.1234/abc_def" in html
    assert reverse("resources:cite-bib", args=[rich.slug]) in html
    assert reverse("resources:cite-ris", args=[rich.slug]) in html


@pytest.mark.parametrize(
    "doi",
    [
        "10.1/x}, title = {INJECTED}",
        "10.1234/with space",
        "doi:10.1234/abc",
        "https://doi.org/10.1234/abc",
        "10.12/too-short-a-registrant",
        "10.1234/",
        "10.1234/abc\n",
        "10.1234/zero\u200bwidth",
        "11.1234/abc",
    ],
)
def test_a_doi_that_is_not_one_is_refused(doi):
    resource = ResourceFactory.build(slug="x", doi=doi)
    with pytest.raises(ValidationError) as refused:
        resource.full_clean(exclude=["slug", "file"], validate_unique=False)
    assert set(refused.value.message_dict) == {"doi"}


@pytest.mark.parametrize(
    "doi",
    [
        "10.1016/j.exis.2014.01.002",  # the DOIs of the demo data set
        "10.3390/ijerph120708133",
        "10.1234/abc_def",
        "10.1000.10/182",
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        "10.1234/{odd}\\but-real",
    ],
)
def test_a_real_doi_is_accepted(doi):
    ResourceFactory.build(slug="x", doi=doi).full_clean(exclude=["slug", "file"])


def test_no_value_breaks_out_of_its_bibtex_field(client):
    # A DOI saved before DOIs were checked, and every other field holding what could
    # close a field: one entry, each field read back as written, nothing injected.
    injected = "10.1/x}, title = {INJECTED}"
    resource = ResourceFactory(
        title="Closing } brace and \\ backslash",
        doi=injected,
        publisher="Publisher}, note = {x",
        publisher_code="\\}",
        authors=["Smith and Jones, Ann", "Org}, and {Other"],
    )
    text = client.get(reverse("resources:cite-bib", args=[resource.slug])).text
    (entry,) = bibtexparser.parse_string(text).entries
    assert not bibtexparser.parse_string(text).failed_blocks
    decode = LatexNodes2Text().latex_to_text
    fields = {f.key: decode(f.value) for f in entry.fields}
    assert "note" not in fields
    assert fields["title"] == "Closing } brace and \\ backslash"
    assert fields["doi"] == injected
    assert fields["institution"] == "Publisher}, note = {x"
    assert fields["number"] == "\\}"
    assert (
        entry.fields_dict["url"].value == "https://doi.org/10.1/x%7D,%20title%20=%20%7BINJECTED%7D"
    )
    assert len(bibtex_names(text)) == 2


def test_a_line_break_never_starts_a_ris_field(client):
    resource = ResourceFactory(
        title="Two\nTI  - lines", summary="Para\r\nER  - \nAU  - Forger", publisher="P\rQ"
    )
    (record,) = parse_ris(client.get(reverse("resources:cite-ris", args=[resource.slug])).text)
    assert record["title"] == "Two TI - lines"
    assert record["abstract"] == "Para ER - AU - Forger"
    assert record["publisher"] == "P Q"
    assert "authors" not in record
