"""Any text a partner types, in any field, makes exports that real clients read back as
written: BibTeX (bibtexparser), RIS (rispy), the Atom feed (feedparser) and a dialogue's
calendar (icalendar).

The text is drawn from an alphabet of what breaks formats: braces, backslashes, quotes,
%, #, &, TeX's ligatures (-- `` ''), line breaks, control characters and letters beyond
ASCII (Latin-1 and Latin Extended-A/B, Cyrillic, Chinese). What each format does to it
by design is undone before comparing, and nothing more:

- control characters are dropped everywhere (XML and LaTeX cannot hold them, RFC 5545
  forbids them); NUL is left out, since PostgreSQL refuses it in text.
- BibTeX and RIS fields are compared with whitespace collapsed: LaTeX reads any run of
  whitespace as one space, and RIS holds one line per field.
- XML and iCalendar read a line break as \\n, whichever it was; feedparser strips the
  whitespace around a text and re-decodes one that could be UTF-8 read as Latin-1.
- pylatexenc reads \\textquotedbl, \\textasciicircum and \\textperiodcentered, which the
  export writes for " ^ ·, as other characters; the decoder here is told what LaTeX prints.
"""

import itertools
import re
import string
from contextlib import contextmanager
from urllib.parse import unquote

import bibtexparser
import feedparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from core.xmlsafe import xml_safe
from resources.models import Resource
from tests.factories import DialogueFactory, ResourceFactory

pytestmark = pytest.mark.django_db

LETTERS = "".join(chr(c) for c in range(0xA0, 0x250)) + "москваЖЁ中文日本語"
CONTROLS = "\x01\x08\x0b\x0c\x1b\x1f\x7f"
ALPHABET = string.printable + LETTERS + CONTROLS + "\u2028"
TEXT = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda s: xml_safe(s).strip())
NAME = TEXT.filter(lambda s: "," not in s)
PERSON = st.builds(lambda family, given: f"{family}, {given}", NAME, NAME)
# A valid DOI: any printable suffix without spaces.
SUFFIX = "".join(c for c in string.printable + LETTERS if not c.isspace() and c.isprintable())
DOI = st.builds(
    lambda registrant, suffix: f"10.{registrant}/{suffix}",
    st.integers(1000, 999_999_999),
    st.text(SUFFIX, min_size=1, max_size=30),
)
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_context = get_default_latex_context_db()
_context.add_context_category(
    "as-latex-prints",
    prepend=True,
    macros=[
        MacroTextSpec("textquotedbl", '"'),
        MacroTextSpec("textasciicircum", "^"),
        MacroTextSpec("textperiodcentered", "·"),
    ],
)
decode_latex = LatexNodes2Text(latex_context=_context).latex_to_text


def one_line(text):
    """text as LaTeX and RIS read it: no control characters, whitespace collapsed."""
    return " ".join(xml_safe(text).split())


def as_read_from_lines(text, drop=""):
    """text as XML and iCalendar read it: without control characters (and those of
    drop), any line break a \\n."""
    text = re.sub(f"[{re.escape(drop)}]", "", xml_safe(text)) if drop else xml_safe(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture
def no_page_cache(settings):
    # Each example rolls its rows back; a feed kept under the content version would not.
    settings.ASMHUB_SEARCH_PAGE_CACHE = False


def as_feedparser_reads(text):
    """text as feedparser gives it back: read from XML, the whitespace around it stripped,
    and "repaired" if it could be UTF-8 read as Latin-1 (Â¡ becomes ¡), as feedparser
    does to every text of a UTF-8 feed."""
    text = as_read_from_lines(text).strip()
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except UnicodeError:
        return text


@contextmanager
def rolled_back():
    """One example's rows, gone before the next example: each test sees only its own."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


slugs = itertools.count()


def make_resource(title, summary, publisher, code, authors, tags, doi):
    return ResourceFactory(
        slug=f"fuzz-{next(slugs)}",
        resource_type=Resource.Type.REPORT,
        title=title,
        summary=summary,
        publisher=publisher,
        publisher_code=code,
        authors=authors,
        tags=tags,
        doi=doi,
    )


RESOURCE = {
    "title": TEXT,
    "summary": TEXT,
    "publisher": TEXT,
    "code": TEXT,
    "authors": st.lists(st.one_of(NAME, PERSON), min_size=1, max_size=3),
    "tags": st.lists(TEXT.map(str.strip), max_size=2, unique_by=str.casefold),
    "doi": DOI,
}


@FUZZ
@given(**RESOURCE)
def test_any_text_reads_back_from_bibtex(
    client, title, summary, publisher, code, authors, tags, doi
):
    with rolled_back():
        resource = make_resource(title, summary, publisher, code, authors, tags, doi)
        text = client.get(reverse("resources:cite-bib", args=[resource.slug])).text
        library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
        assert not library.failed_blocks, [b.error for b in library.failed_blocks]
        (entry,) = library.entries
        fields = {f.key: f.value for f in entry.fields}
        read = {
            key: one_line(decode_latex(value)) for key, value in fields.items() if key != "author"
        }
        assert read["title"] == one_line(title)
        assert read["abstract"] == one_line(summary)
        assert read["institution"] == one_line(publisher)
        assert read["number"] == one_line(code)
        assert read["doi"] == doi
        assert unquote(fields["url"].removeprefix("https://doi.org/")) == doi
        names = [one_line(decode_latex(name)) for name in fields["author"]]
        assert names == [one_line(name) for name in authors]
        words = [one_line(tag) for tag in resource.tags.names()]
        assert read.get("keywords", "") in {", ".join(p) for p in itertools.permutations(words)}


@FUZZ
@given(**RESOURCE)
def test_any_text_reads_back_from_ris(client, title, summary, publisher, code, authors, tags, doi):
    with rolled_back():
        resource = make_resource(title, summary, publisher, code, authors, tags, doi)
        text = client.get(reverse("resources:cite-ris", args=[resource.slug])).text
        (record,) = rispy.loads(text)
        assert text.count("ER  - ") == 1
        assert record["title"] == one_line(title)
        assert record["abstract"] == one_line(summary)
        assert record["publisher"] == one_line(publisher)
        assert record["note"] == one_line(code)
        assert record["doi"] == doi
        assert record["authors"] == [one_line(name) for name in authors]
        assert sorted(record.get("keywords", [])) == sorted(map(one_line, resource.tags.names()))


@FUZZ
@given(title=TEXT, summary=TEXT)
def test_any_summary_reads_back_from_the_atom_feed(client, no_page_cache, title, summary):
    with rolled_back():
        resource = make_resource(title, summary, "", "", [], [], "")
        feed = feedparser.parse(client.get(reverse("feeds:resources")).content)
        assert not feed.bozo, feed.get("bozo_exception")
        (entry,) = [e for e in feed.entries if e.link.endswith(resource.get_absolute_url())]
        assert entry.summary_detail.type == "text/plain"
        assert entry.summary == as_feedparser_reads(summary)
        assert entry.title == as_feedparser_reads(title)


@FUZZ
@given(title=TEXT, summary=TEXT)
def test_any_title_reads_back_from_the_calendar(client, title, summary):
    with rolled_back():
        dialogue = DialogueFactory(slug=f"fuzz-{next(slugs)}", title=title, summary=summary)
        response = client.get(dialogue.get_calendar_url())
        assert response.status_code == 200
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["SUMMARY"]) == as_read_from_lines(title, drop="\x7f")
        # The description is the summary, then the link, stripped of surrounding space.
        description = str(event["DESCRIPTION"]).lstrip()
        assert description.startswith(as_read_from_lines(summary, drop="\x7f").strip())
