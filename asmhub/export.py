"""The whole public hub as static files (``manage.py export_site DIR``), for any static
host or archive once the hub itself is gone (docs/offline.md).

Pages are rendered through the site's own views (Django's test client, no server) from
every language's home page and the sitemap, following every internal link, and saved
so that a plain static server finds them: a page at ``path/index.html``, a file at its
path (a download under its file name). A URL with a query string is exported only when
it is a listing's single filter and its pages (the facet links that appear): it becomes
a folder, ``/resources/?country=gh&page=2`` → ``/resources/~country-gh~page-2/``. Every
other query-string link is turned into a link to the same page without its query, and a
link to what cannot exist without the hub (the admin, the API, forms, searches) loses
its target and reads as plain text. Links are rewritten relative, so the folder may be
served under any path. OAI-PMH becomes one Static Repository file.
"""

import html
import logging
import posixpath
import re
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from resources.discovery.oai_static import static_repository

logger = logging.getLogger(__name__)

# Paths (after any language prefix) that need the running hub: never exported.
LIVE_ONLY = (
    "/admin/",
    "/api/",
    "/alerts/",
    "/search/",
    "/voices/share/",
    "/voices/withdraw/",
    "/healthz",
    "/readyz",
    "/resources/offline-pack.zip",
)
# Query parameters whose pages are not exported (a search, another order of a list).
UNEXPORTED = {"q", "sort"}
SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")
LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
FILENAME = re.compile(r'filename="?([^";]+)"?')
STATIC_OAI = "oai/static-repository.xml"


def language_prefixes():
    return [""] + [f"/{code}" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def without_language(path):
    for prefix in language_prefixes()[1:]:
        if path == prefix or path.startswith(prefix + "/"):
            return path[len(prefix) :] or "/"
    return path


def exportable(path, pairs):
    """Whether the URL of path and its query pairs becomes a file of the export."""
    bare = without_language(path)
    if any(bare.startswith(live) for live in LIVE_ONLY) or bare == "/oai":
        return False
    if not pairs:
        return True
    if not all(SAFE_VALUE.match(k) and SAFE_VALUE.match(v) for k, v in pairs):
        return False
    filters = [k for k, _ in pairs if k != "page"]
    return len(filters) <= 1 and not set(filters) & UNEXPORTED


def url_key(path, pairs):
    return path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")


def query_suffix(pairs):
    return "".join(f"~{k}-{v}" for k, v in pairs)


def output_path(path, pairs, *, is_html, filename=""):
    """Where a URL's answer is saved, relative to the export's root (POSIX)."""
    suffix = query_suffix(pairs)
    if path.endswith("/"):
        folder = path.strip("/") + (f"/{suffix}" if suffix else "")
        folder = folder.strip("/")
        name = "index.html" if is_html else (filename or "file")
        return f"{folder}/{name}" if folder else name
    stem, dot, extension = path.rpartition(".")
    if suffix and dot and "/" not in extension:
        return f"{stem}{suffix}.{extension}".lstrip("/")
    return (path + suffix).lstrip("/") + ("/index.html" if is_html else "")


class SiteExport:
    """One export run into target (a new or empty folder)."""

    def __init__(self, target, *, languages=None):
        self.target = Path(target)
        base = urlsplit(settings.ASMHUB_BASE_URL)
        # A robot's agent: an export is no use of the hub, and COUNTER's list says so.
        self.client = Client(
            HTTP_HOST=base.netloc,
            secure=base.scheme == "https",
            HTTP_USER_AGENT="ASM Hub static export (crawler)",
        )
        codes = languages or [code for code, _ in settings.LANGUAGES]
        self.prefixes = ["" if code == settings.LANGUAGE_CODE else f"/{code}" for code in codes]
        self.saved = {}  # url key -> output path, or None when it answered no 200
        self.pages = []  # (output path, url key) of every saved HTML page
        self.queue = deque()

    # -- crawling ---------------------------------------------------------------------------

    def run(self):
        self.target.mkdir(parents=True, exist_ok=True)
        for prefix in self.prefixes:
            self.enqueue(f"{prefix}/")
        for seed in ("/sitemap.xml", "/robots.txt"):
            self.enqueue(seed)
        while self.queue:
            self.fetch(*self.queue.popleft())
        self.write(STATIC_OAI, static_repository(settings.ASMHUB_BASE_URL + "/" + STATIC_OAI))
        for output, key in self.pages:
            self.rewrite(output, key)
        return {
            "pages": len(self.pages),
            "files": sum(isinstance(v, str) for v in self.saved.values()) - len(self.pages),
            "missing": sorted(k for k, v in self.saved.items() if v is None),
        }

    def split(self, url, base="/"):
        """(path, pairs) of an internal URL, or None for an external one or a fragment."""
        parts = urlsplit(urljoin(base, html.unescape(url)))
        own = urlsplit(settings.ASMHUB_BASE_URL)
        if parts.scheme not in ("", "http", "https") or (
            parts.netloc and parts.netloc != own.netloc
        ):
            return None
        return parts.path or "/", sorted(parse_qsl(parts.query))

    def enqueue(self, url, base="/"):
        split = self.split(url, base)
        if split is None:
            return
        path, pairs = split
        if not self.in_languages(path) or not exportable(path, pairs):
            return
        key = url_key(path, pairs)
        if key not in self.saved:
            self.saved[key] = None
            self.queue.append((path, pairs))

    def in_languages(self, path):
        prefix = next(
            (p for p in language_prefixes()[1:] if path == p or path.startswith(p + "/")), ""
        )
        return prefix in self.prefixes

    def fetch(self, path, pairs):
        key = url_key(path, pairs)
        response = self.client.get(path, dict(pairs), follow=False)
        # The client closes the response itself (a streamed one once read to its end).
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code in (301, 302, 307, 308):
            location = response["Location"]
            self.enqueue(location, key)
            target = self.split(location, key)
            if target:
                self.saved[key] = ("alias", url_key(*target))
            return
        if response.status_code != 200:
            if path.startswith(settings.STATIC_URL):
                return self.fetch_static(path, key)
            logger.info("Not exported: %s answered %s", key, response.status_code)
            return
        content_type = response.get("Content-Type", "")
        is_html = content_type.startswith("text/html")
        match = FILENAME.search(response.get("Content-Disposition", ""))
        filename = posixpath.basename(match.group(1)) if match else ""
        output = output_path(path, pairs, is_html=is_html, filename=filename)
        self.saved[key] = output
        self.write(output, body)
        if is_html:
            self.pages.append((output, key))
            for _, url, _ in LINK.findall(body.decode()):
                self.enqueue(url, key)
        elif content_type.startswith("text/css"):
            for url in CSS_URL.findall(body.decode()):
                self.enqueue(url, key)
        elif path == "/sitemap.xml" or path.startswith("/sitemap-"):
            for loc in re.findall(r"<loc>([^<]+)</loc>", body.decode()):
                self.enqueue(urlsplit(html.unescape(loc))._replace(scheme="", netloc="").geturl())

    def fetch_static(self, path, key):
        """A static asset the app does not serve itself (no collected files): from the
        finders, under its unhashed name when the manifest's is unknown to them."""
        name = path.removeprefix(settings.STATIC_URL)
        found = finders.find(name) or finders.find(re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name))
        if found:
            output = path.lstrip("/")
            (self.target / output).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, self.target / output)
            self.saved[key] = output

    def write(self, output, body):
        destination = self.target / output
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(body)

    # -- links ------------------------------------------------------------------------------

    def resolve(self, key, seen=0):
        """The output path a URL key ends at, following redirects, or None."""
        value = self.saved.get(key)
        if isinstance(value, tuple) and seen < 5:
            return self.resolve(value[1], seen + 1)
        return value if isinstance(value, str) else None

    def link_for(self, url, page_key, page_output):
        """What a link of the page at page_key becomes: a relative link, or None."""
        split = self.split(url, page_key)
        if split is None:
            return url
        path, pairs = split
        fragment = urlsplit(html.unescape(url)).fragment
        if without_language(path) == "/oai":
            output = STATIC_OAI
        else:
            output = self.resolve(url_key(path, pairs)) or self.resolve(url_key(path, []))
        if output is None:
            return None
        here = posixpath.dirname(page_output) or "."
        relative = posixpath.relpath(output, here)
        if relative.endswith("index.html"):
            relative = relative.removesuffix("index.html") or "./"
        return html.escape(relative) + (f"#{fragment}" if fragment else "")

    def rewrite(self, output, key):
        page = self.target / output
        text = page.read_text()

        def replace(match):
            start, url, end = match.groups()
            if url.startswith("#"):
                return match.group(0)
            link = self.link_for(url, key, output)
            if link is None:
                return ""  # no target without the hub: the link reads as plain text
            return f"{start}{link}{end}"

        page.write_text(LINK.sub(replace, text))


def export_site(target, *, languages=None):
    """Export the public hub into target; returns counts and the URLs that were linked but
    answered no 200 (their links were made plain text)."""
    return SiteExport(target, languages=languages).run()
