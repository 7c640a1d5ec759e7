"""manage.py export_site: the demo hub written as static files, served by a plain static
server (python -m http.server) and crawled for broken links."""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from django.core.management import CommandError, call_command
from lxml import etree, html

from resources.models import Resource

pytestmark = pytest.mark.django_db

PORT = 8103
NS = {
    "sr": "http://www.openarchives.org/OAI/2.0/static-repository",
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@pytest.fixture
def exported(tmp_path):
    """The demo data exported in English and French, with a quarter of its resources
    (every language and every resource are exported the same way: fewer keep the test
    short), one withdrawn and the rest sent back to draft, neither of which is public."""
    target = tmp_path / "site"
    call_command("load_demo")
    call_command("load_programme_demo")
    resources = list(Resource.objects.published().order_by("pk"))
    for status, chosen in (
        (Resource.Status.WITHDRAWN, resources[:1]),
        (Resource.Status.DRAFT, resources[21:]),
    ):
        for resource in chosen:
            resource.status = status
            resource.save()
    withdrawn = resources[0]
    published = set(Resource.objects.published().values_list("slug", flat=True))
    call_command("export_site", str(target), language=["en", "fr"])
    return target, published, withdrawn.slug


@pytest.fixture
def server(exported):
    """A plain static server on loopback over the export, started and ended by its PID."""
    target = exported[0]
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(PORT), "--bind", "127.0.0.1"],
        cwd=target,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get_content_type(), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def crawl(base):
    """{url: (status, type, body)} of every internal URL reachable from the home pages."""
    seen, queue = {}, deque([base, urljoin(base, "fr/")])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen[url] = answer = get(url)
        status, content_type, body = answer
        if status != 200:
            continue
        links = []
        if content_type == "text/html":
            tree = html.fromstring(body)
            links = tree.xpath("//a/@href | //link/@href | //img/@src | //script/@src")
        elif content_type == "text/css":
            links = re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode())
        for link in links:
            target = urljoin(url, link).split("#")[0]
            if urlsplit(target).netloc == urlsplit(base).netloc and target not in seen:
                queue.append(target)
    return seen


def test_the_exported_demo_hub_served_statically_has_no_broken_link(exported, server):
    """One export (it takes a while), several checks."""
    crawled = crawl(server)
    broken = [url for url, (status, _, _) in crawled.items() if status != 200]
    assert not broken
    assert len(crawled) > 300  # pages, files, feeds, assets: the crawl went everywhere
    every_published_resource_is_there_in_each_language(exported, server, crawled)
    the_feeds_and_the_static_oai_repository(exported, server)
    live_only_links_become_plain_text(exported)


def every_published_resource_is_there_in_each_language(exported, server, crawled):
    _, published, withdrawn = exported
    for prefix in ("", "fr/"):
        pages = {
            urlsplit(url).path.split("/")[-2]
            for url in crawled
            if urlsplit(url).path.startswith(f"/{prefix}resources/")
            and urlsplit(url).path.count("/") == 3 + bool(prefix)
        }
        assert published <= pages, published - pages
        assert withdrawn not in pages
    pdfs = [body for url, (_, kind, body) in crawled.items() if url.endswith(".pdf")]
    assert pdfs and all(body.startswith(b"%PDF") for body in pdfs)
    status, kind, page = get(f"{server}fr/resources/")
    assert status == 200 and b'lang="fr"' in page
    # A facet link of the library is a folder of its own.
    assert any("/resources/~country-" in url for url in crawled)
    assert any("/resources/~theme-" in url and "~page-" not in url for url in crawled)


def the_feeds_and_the_static_oai_repository(exported, server):
    target, published, _ = exported
    status, _, body = get(f"{server}feeds/resources.atom")
    feed = feedparser.parse(body)
    assert status == 200 and not feed.bozo and feed.entries
    status, _, body = get(f"{server}oai/static-repository.xml")
    root = etree.fromstring(body)
    assert root.tag == f"{{{NS['sr']}}}Repository"
    assert root.findtext("sr:Identify/oai:granularity", namespaces=NS) == "YYYY-MM-DD"
    assert root.findtext("sr:Identify/oai:deletedRecord", namespaces=NS) == "no"
    records = root.findall("sr:ListRecords/oai:record", namespaces=NS)
    assert len(records) == len(published)
    assert not root.findall(".//oai:setSpec", namespaces=NS)
    assert all(len(r.findtext("oai:header/oai:datestamp", namespaces=NS)) == 10 for r in records)
    assert (target / "sitemap.xml").is_file() and (target / "robots.txt").is_file()


def live_only_links_become_plain_text(exported):
    target = exported[0]
    page = (target / "resources" / "index.html").read_text()
    assert "/admin/" not in page and "/alerts/subscribe/" not in page
    assert 'href="/' not in page  # every link is relative


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError):
        call_command("export_site", str(tmp_path))
