"""What a result row says about a resource before anyone taps it: its language, what
following it costs ("PDF, 2.3 MB" or "external link") and the picture of its first
page. Reads the same names on a Resource and on a ListedResource (resources/listing.py),
so no query either way.

A list's rows share the reader's language and the URL's prefix, read once for the list
(Shared): each reading of the active language, URL configuration or script prefix goes
through asgiref's Local and its lock, which the threads of a worker contend for, and a
page of twenty rows read them about two hundred times (docs/performance.md)."""

import functools

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.escaping import escaped
from core.i18n import formatted
from core.reversing import slug_urls
from core.translations import in_language, original_language
from resources import labels
from resources.models import ResultFields, safe_extension
from resources.pictures import THUMBNAIL_URL, logo_url, thumbnail_url

register = template.Library()

# A result row's summary is cut after this many words (as truncatewords would).
SUMMARY_WORDS = 40


@register.filter
def language_label(code):
    """The name of a resource's language in the reader's language."""
    return labels.language_label(code)


@functools.lru_cache(maxsize=16)
def _said(language):
    """The words a row says, in language (the active one), read once per language."""
    return {
        "file": _("file"),
        "external link": _("external link"),
        "Global": _("Global"),
        "first page": _("First page of “%(title)s”"),
    }


@register.simple_tag
def file_facts(resource, language=None):
    """ "PDF, 2.3 MB" for a resource with a file (its format alone when the size is not
    known), "external link" for one that only links elsewhere, else nothing. language:
    the active one, where the caller has read it."""
    language = language or get_language()
    said = _said(language)
    name = getattr(resource.file, "name", resource.file) or ""
    if name:
        extension = safe_extension(name).lstrip(".").upper() or said["file"]
        if resource.file_size:
            return f"{extension}, {formatted(language, filesizeformat, resource.file_size)}"
        return extension
    if resource.external_url:
        return said["external link"]
    return ""


@register.simple_tag
def thumbnail(resource, scale=2, shared=None):
    """The <img> of resource's first page, lazily loaded, at 1/scale of its pixel size
    (2 in a result row: sharp on a phone's dense screen), or nothing without one."""
    url = thumbnail_url(resource, shared.thumbnail_urls if shared else None)
    if not url:
        return ""
    said = _said(shared.language if shared else get_language())
    alt = said["first page"] % {"title": resource.title}
    return mark_safe(
        f'<img class="thumbnail" src="{escaped(url)}" width="{resource.thumbnail_width // scale}"'
        f' height="{resource.thumbnail_height // scale}" alt="{escaped(alt)}" loading="lazy"'
        ' decoding="async">'
    )


@register.simple_tag
def organisation_logo(organisation):
    """An organisation's logo at half its pixel size, beside its name (so no alt text of
    its own), or nothing without one."""
    url = logo_url(organisation) if organisation else ""
    if not url:
        return ""
    return format_html(
        '<img class="org-logo" src="{}" width="{}" height="{}" alt="" loading="lazy"'
        ' decoding="async">',
        url,
        (organisation.logo_width or 0) // 2,
        (organisation.logo_height or 0) // 2,
    )


@register.simple_tag
def author_list(names, limit=3):
    """Author names in order (a resource's author_names), "et al." after limit."""
    shown = "; ".join(escaped(name) for name in names[:limit])
    return mark_safe(shown + " et al." if len(names) > limit else shown)


def _text(value, language=None):
    """value as the template language prints a variable: localised (a number, a date),
    then escaped. language: the active one, where the caller has read it."""
    if isinstance(value, str):
        return escaped(value)
    if language is not None and type(value) is int:
        return escaped(formatted(language, localize, value))
    return escaped(localize(value))


@register.simple_tag
def listed_title(resource, marked="", language=None):
    """A resource's title as a list shows it: the original (marked, the words searched for
    marked in it) where the reader's language is the resource's or has no translation;
    else the title in the reader's language with its lang, then the original, smaller,
    with its own. Reads prefetched translations (a ListedResource keeps them)."""
    original = _text(marked or resource.title)
    shown = in_language(resource, "title", language)
    if shown.language == original_language(resource):
        return mark_safe(original)
    lang = "" if resource.language == "other" else f' lang="{_text(resource.language)}"'
    return mark_safe(
        f'<span lang="{_text(shown.language)}">{_text(shown.value)}</span>'
        f' <small class="original-title"{lang}>{original}</small>'
    )


class Shared:
    """What every row of a list shares, read once for the list: the active language, and
    the URLs of the resources' pages and thumbnails in it."""

    __slots__ = ("language", "page_urls", "thumbnail_urls")

    def __init__(self):
        self.language = get_language()
        self.page_urls = slug_urls(ResultFields.DETAIL_URL)
        self.thumbnail_urls = slug_urls(THUMBNAIL_URL)


@register.simple_tag
def result_rows(resources):
    """The <li> of each result in a list (Resources or ListedResources): one call for a
    page rather than an include per row, whose template machinery was a third of a
    library page's CPU time (docs/performance.md)."""
    shared = Shared()
    return mark_safe("".join(result_row(resource, shared) for resource in resources))


@register.simple_tag
def result_row(resource, shared=None):
    """One result: its picture, title (the words searched for marked), authors, year,
    type, publisher, language, file, snippet or summary, countries and themes."""
    shared = shared or Shared()
    language = shared.language
    authors = author_list(resource.author_names)
    meta = f"{authors}{' · ' if resource.author_names else ''}{_text(resource.year, language)} · "
    meta += _text(resource.type_label_in(language))
    if resource.publisher:
        meta += f" · {_text(resource.publisher)}"
    facts = file_facts(resource, language)
    access = _text(labels.language_label(resource.language, language))
    access += f" · {_text(facts)}" if facts else ""
    # A Resource read for a list has no snippet or marks unless a search set them.
    snippet = getattr(resource, "snippet", "")
    if snippet:
        summary = f'<p class="result-summary snippet">{_text(snippet)}</p>'
    elif resource.summary:
        cut = Truncator(resource.summary).words(SUMMARY_WORDS, truncate=" …")
        summary = f'<p class="result-summary">{_text(cut)}</p>'
    else:
        summary = ""
    countries = (
        "".join(
            f'<span class="pill">{_text(name)}</span> '
            for name in resource.country_names_in(language)
        )
        or f'<span class="pill">{_text(_said(language)["Global"])}</span> '
    )
    matched = getattr(resource, "matched_themes", ())
    themes = "".join(
        f'<span class="pill pill-theme">'
        f"{f'<mark>{_text(name)}</mark>' if name in matched else _text(name)}</span> "
        for name in resource.theme_names
    )
    title = listed_title(resource, getattr(resource, "marked_title", ""), language)
    return mark_safe(
        '<li class="result">\n'
        f"  {thumbnail(resource, shared=shared)}\n"
        f'  <h3 class="result-title"><a href="{_text(shared.page_urls(resource.slug))}">'
        f"{title}</a></h3>\n"
        '  <p class="result-meta">\n'
        f"    {meta}\n"
        "  </p>\n"
        f'  <p class="result-access">{access}</p>\n'
        f"  {summary}\n"
        '  <p class="result-tags">\n'
        f"    {countries}\n"
        f"    {themes}\n"
        "  </p>\n"
        "</li>\n"
    )
