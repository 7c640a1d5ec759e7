"""The interface's languages in URLs: English unprefixed, every other language of
LANGUAGES under its code (/es/…), the same path after the prefix. One rule, so the
language switcher, hreflang alternates and the sitemap agree without resolving a URL; and
one order for labels in any of those languages (collation_key)."""

import functools
import unicodedata

from django.conf import settings
from django.utils import translation


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def unprefixed(path):
    """path without its language prefix: "/es/resources/?q=x" -> "/resources/?q=x"."""
    for code in language_codes():
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
        if path == prefix[:-1]:
            return "/"
    return path


def language_path(path, code):
    """path (with its query string, prefixed or not) in the language code."""
    path = unprefixed(path)
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def alternates(path):
    """(hreflang, path) for every language of path, then x-default (English)."""
    links = [(code, language_path(path, code)) for code in language_codes()]
    return [*links, ("x-default", language_path(path, settings.LANGUAGE_CODE))]


def local_name(code):
    """A language's name in that language, capitalised: "Español", "Kiswahili"."""
    name = translation.get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def collation_key(text):
    """A sort key for a label in any of the interface languages: case and accents
    ignored, so "Égypte" sorts among the E's and "Perú" beside "Peru"; the text itself
    breaks the remaining ties. Kept per text: a library page sorts a hundred labels."""
    return _collation_key(str(text))


@functools.lru_cache(maxsize=4096)
def _collation_key(text):
    base = unicodedata.normalize("NFKD", text.casefold())
    return ("".join(char for char in base if not unicodedata.combining(char)), text)


@functools.lru_cache(maxsize=8192)
def formatted(language, write, value):
    """write(value) for a writer whose text depends on the value and the active language
    alone (localize, intcomma, filesizeformat), kept per language, writer and value;
    language must be the active one, and values of one type (1 and 1.0 are one key). A
    library page writes a hundred numbers, and each writing reads the active language and
    its formats, through asgiref's Local and its lock, which a worker's threads contend
    for (docs/performance.md)."""
    return write(value)
