"""Citations of resources: BibTeX and RIS records and a formatted reference (APA style).

Each function takes a resource fetched with Resource.objects.for_detail() (or for_listing()
plus commodities) and an absolute URL builder, and reads only prefetched relations.
"""

import re
from urllib.parse import quote

from pylatexenc.latexencode import (
    RULE_DICT,
    RULE_REGEX,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from core.xmlsafe import xml_safe
from resources.models import Resource

T = Resource.Type

# BibTeX entry types: the classic set every reference manager reads.
BIBTEX_TYPES = {
    T.REPORT: "techreport",
    T.POLICY_BRIEF: "techreport",
    T.WORKING_PAPER: "techreport",
    T.CASE_STUDY: "techreport",
    T.OUTLOOK: "techreport",
    T.TOOLKIT: "manual",
    T.ARTICLE: "article",
    T.BOOK: "book",
}
BIBTEX_DEFAULT = "misc"

# RIS reference types (the RIS specification's TY values).
RIS_TYPES = {
    T.REPORT: "RPRT",
    T.POLICY_BRIEF: "RPRT",
    T.WORKING_PAPER: "RPRT",
    T.CASE_STUDY: "RPRT",
    T.OUTLOOK: "RPRT",
    T.TOOLKIT: "RPRT",
    T.ARTICLE: "JOUR",
    T.BOOK: "BOOK",
    T.DATASET: "DATA",
    T.LAW_POLICY: "LEGAL",
    T.PRESENTATION: "SLIDE",
    T.VIDEO: "VIDEO",
    T.BLOG: "BLOG",
}
RIS_DEFAULT = "GEN"


def keywords(resource):
    """Themes, commodities and tags of a resource, each once, in that order."""
    return distinct_words(
        [t.name for t in resource.themes.all()],
        [c.name for c in resource.commodities.all()],
        [t.name for t in resource.listed_tags()],
    )


def distinct_words(*groups):
    """The words of groups in order, each once: a resource's keywords, however read."""
    return list(dict.fromkeys(word for group in groups for word in group))


def resource_url(resource, absolute):
    """Where to find the resource: its DOI, else the hub's page about it."""
    if resource.doi:
        # A DOI's suffix may hold any printable character: those a URL path cannot
        # (braces, backslashes, %, #, ?) are percent-encoded, as doi.org expects.
        return "https://doi.org/" + quote(resource.doi, safe="/:@!$&'()*+,;=~")
    return absolute(resource.get_absolute_url())


# -- BibTeX ---------------------------------------------------------------------------------


# pylatexenc's own table, with what it gets wrong for text that must read back as typed:
# TeX's ligatures (-- is a dash, '' and `` are quotes, ?` is ¿) are broken up, a straight
# double quote is not turned into a curly one, ű is not ú, and letters it has no
# faithful command for stay as they are.
_LATEX = UnicodeToLatexEncoder(
    conversion_rules=[
        UnicodeToLatexConversionRule(
            RULE_REGEX,
            [(re.compile(r"-(?=-)"), "-{}"), (re.compile(r"'(?=')"), "'{}")],
            replacement_latex_protection="none",
        ),
        UnicodeToLatexConversionRule(
            RULE_DICT,
            {
                ord('"'): r"\textquotedbl",
                ord("`"): r"\textasciigrave",
                ord("ű"): r"\H{u}",
                ord("Ű"): r"\H{U}",
                **{ord(c): c for c in "ĦħĸĿŀŉŦŧ"},
            },
        ),
        "defaults",
    ],
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
# "and" between spaces separates authors in BibTeX, whatever its case.
_AND = re.compile(r"(?<=\s)(and)(?=\s)", re.IGNORECASE)


def latex(text):
    """text with LaTeX's special characters escaped and accents as {\\'e}: braces come
    out balanced, so no value can close the field it is written in. Control characters,
    which LaTeX refuses, are dropped."""
    return _LATEX.unicode_to_latex(xml_safe(text))


def _bibtex_author(author):
    # An organisation is one braced name, so "International Institute for Environment
    # and Development" is not read as a person whose family name is "Development".
    if author.is_organisation or "," not in author.name:
        return "{" + latex(author.name) + "}"
    # A person's name with "and" in it would otherwise be read as two people.
    return _AND.sub(r"{\1}", latex(author.name))


def bibtex_key(resource):
    """A stable, ASCII citation key: the resource's unique slug."""
    return re.sub(r"[^A-Za-z0-9_:-]", "", resource.slug) or f"resource{resource.pk}"


def bibtex_entry(resource, absolute):
    """One BibTeX entry for resource."""
    entry_type = BIBTEX_TYPES.get(resource.resource_type, BIBTEX_DEFAULT)
    fields = []
    authors = list(resource.authors.all())
    if authors:
        fields.append(("author", " and ".join(_bibtex_author(a) for a in authors)))
    # Double braces keep the title's capitals (acronyms such as ASM) as written.
    fields.append(("title", "{" + latex(resource.title) + "}"))
    if resource.year:
        fields.append(("year", str(resource.year)))
    if resource.date:
        fields.append(("month", resource.date.strftime("%b").lower()))
    if resource.publisher:
        publisher_field = {
            "techreport": "institution",
            "manual": "organization",
            "article": "journal",
        }.get(entry_type, "publisher")
        fields.append((publisher_field, latex(resource.publisher)))
    if entry_type == "techreport":
        fields.append(("type", latex(resource.type_label)))
        if resource.publisher_code:
            fields.append(("number", latex(resource.publisher_code)))
    if resource.doi:
        fields.append(("doi", latex(resource.doi)))
    if resource.isbn:
        fields.append(("isbn", latex(resource.isbn)))
    fields.append(("url", resource_url(resource, absolute)))
    fields.append(("language", latex(resource.language)))
    words = keywords(resource)
    if words:
        fields.append(("keywords", ", ".join(latex(w) for w in words)))
    if resource.summary:
        fields.append(("abstract", latex(resource.summary)))
    if entry_type == "misc":
        fields.append(("howpublished", latex(resource.type_label)))
    lines = [f"@{entry_type}{{{bibtex_key(resource)},"]
    # BibTeX has no escape for a lone unbalanced brace, which latex() never leaves; the
    # url is written as it is (a verbatim field), and resource_url percent-encodes braces.
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- RIS ------------------------------------------------------------------------------------


def _ris_line(tag, value):
    # RIS is one field per line: a line break inside a value would start a bogus field.
    value = " ".join(xml_safe(str(value)).split())
    return f"{tag}  - {value}\r\n"


def ris_record(resource, absolute):
    """One RIS record for resource, CRLF line endings, ending with ER."""
    lines = [_ris_line("TY", RIS_TYPES.get(resource.resource_type, RIS_DEFAULT))]
    for author in resource.authors.all():
        lines.append(_ris_line("AU", author.name))
    lines.append(_ris_line("TI", resource.title))
    # RIS has one tag for a translated title; BibTeX has none, so it keeps the original only.
    lines.extend(_ris_line("TT", each.title) for each in resource.translations.all())
    if resource.year:
        lines.append(_ris_line("PY", resource.year))
    if resource.date:
        lines.append(_ris_line("DA", resource.date.strftime("%Y/%m/%d")))
    if resource.publisher:
        lines.append(_ris_line("PB", resource.publisher))
    if resource.publisher_code:
        lines.append(_ris_line("M1", resource.publisher_code))
    if resource.summary:
        lines.append(_ris_line("AB", resource.summary))
    if resource.doi:
        lines.append(_ris_line("DO", resource.doi))
    if resource.isbn:
        lines.append(_ris_line("SN", resource.isbn))
    lines.append(_ris_line("UR", absolute(resource.get_absolute_url())))
    if resource.external_url:
        lines.append(_ris_line("UR", resource.external_url))
    if resource.file:
        lines.append(_ris_line("L1", absolute(resource.get_download_url())))
    lines.append(_ris_line("LA", resource.language))
    for word in keywords(resource):
        lines.append(_ris_line("KW", word))
    lines.append(_ris_line("ER", ""))
    return "".join(lines)


# -- formatted reference ------------------------------------------------------------------


def _apa_author(author):
    if author.is_organisation or "," not in author.name:
        return author.name
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", author.given_names) if part)
    return f"{author.family_name}, {initials}" if initials else author.family_name


def _apa_authors(authors):
    names = [_apa_author(a) for a in authors]
    if len(names) > 20:
        names = names[:19] + ["…", names[-1]]
        return ", ".join(names)
    if len(names) > 1:
        return ", ".join(names[:-1]) + ", & " + names[-1]
    return names[0] if names else ""


def apa_reference(resource, absolute):
    """The reference in APA (7th edition) style, as (before_title, title, after_title), so
    a template can italicise the title without trusting any HTML."""
    authors = list(resource.authors.all())
    year = str(resource.year) if resource.year else "n.d."
    before = ""
    if authors:
        names = _apa_authors(authors)
        before = f"{names}{'' if names.endswith('.') else '.'} ({year}). "
    after = []
    kind = resource.resource_type
    if kind not in (T.ARTICLE, T.BOOK) and kind != T.OTHER:
        label = resource.type_label
        if resource.publisher_code:
            label = f"{label} {resource.publisher_code}"
        after.append(f" [{label}]")
    after.append(".")
    if not authors:
        after.append(f" ({year}).")
    if resource.publisher and not (authors and authors[0].name == resource.publisher):
        after.append(f" {resource.publisher.rstrip('.')}.")
    after.append(f" {resource_url(resource, absolute)}")
    return before, resource.title, "".join(after)


def apa_text(resource, absolute):
    """The APA reference as plain text."""
    return "".join(apa_reference(resource, absolute))
