"""Reading offline, as the server writes it: the service worker at /sw.js (root scope,
JavaScript, revalidated, small, naming the offline page in every language), the rule of
what it never stores, the hidden "Keep for offline reading" button of a resource's page
with every word translated, and "My offline reading". What the worker does with them in
a browser: tests/browser/test_offline_browser.py."""

import json
import re

import pytest
from django.templatetags.static import static

from asmhub.offline import NEVER_KEPT
from tests.factories import CuratorFactory, ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_worker_is_served_from_the_root_small_and_revalidated(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):  # nothing in it comes from the database
        response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert len(response.content) < 6 * 1024
    config = json.loads(re.search(r"^const C = (\{.*\});$", response.content.decode(), re.M)[1])
    assert config["shell"] == [
        "/offline/",
        "/es/offline/",
        "/fr/offline/",
        "/pt/offline/",
        "/sw/offline/",
        static("css/hub.css"),
        static("js/offline.js"),
    ]
    assert config["neverKept"] == NEVER_KEPT
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert client.post("/sw.js").status_code == 405
    assert client.get("/es/sw.js").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/resources/resource/12/change/",
        "/es/admin/login/",
        "/accounts/login/",
        "/alerts/subscribe/",
        "/fr/alerts/unsubscribe/a-token/",
        "/voices/share/",
        "/sw/voices/withdraw/a-token/",
        "/resources/a-draft/preview/",
        "/api/resources/",
        "/oai",
        "/feeds/resources.atom",
        "/sw.js",
    ],
)
def test_the_worker_never_keeps_personal_pages_or_machine_doors(path):
    assert re.search(NEVER_KEPT, path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/resources/",
        "/es/resources/mercury-ghana/",
        "/resources/mercury-ghana/download/",
        "/voices/",
        "/voices/12/",
        "/countries/gh/",
        "/administration-of-mining/",
        "/offline/",
    ],
)
def test_the_worker_keeps_public_pages(path):
    assert not re.search(NEVER_KEPT, path)


def test_personal_pages_tell_every_cache_not_to_store_them(client):
    """The second rule the worker obeys, whatever the path: `private` or `no-store`."""
    resource = ResourceFactory(slug="a-draft", status="draft")
    client.force_login(CuratorFactory())
    for url in ("/admin/", "/voices/share/", f"/resources/{resource.slug}/preview/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.search(r"private|no-store", response["Cache-Control"]), url


def test_a_resource_page_offers_keeping_its_page_and_files_translated(client):
    resource = ResourceFactory(slug="mercury-ghana", with_file=True)
    resource.versions.create(language="fr", file=resource.file.name)
    html = client.get("/fr/resources/mercury-ghana/").content.decode()
    box = re.search(r"<div class=\"offline-keep\" hidden data-urls='([^']+)'(.*?)>", html)
    assert json.loads(box[1]) == [
        "/fr/resources/mercury-ghana/",
        "/fr/resources/mercury-ghana/download/",
        "/fr/resources/mercury-ghana/download/fr/",
    ]
    assert 'data-keep="Garder pour lire hors ligne"' in box[2]
    assert 'data-failed="Impossible de le garder' in box[2]
    assert '<a href="/fr/offline/">Mes lectures hors ligne</a>' in html
    script = f'<script src="{static("js/offline.js")}" data-worker="/sw.js" defer></script>'
    assert script in html
    # Every page carries the offline mark, hidden until the worker shows a stored copy.
    assert '<p class="offline-mark" hidden>Copie hors ligne :' in html
    assert "Cache-Control" not in client.get("/fr/resources/mercury-ghana/")


def test_a_preview_offers_no_keeping(client):
    ResourceFactory(slug="a-draft", status="draft")
    client.force_login(CuratorFactory())
    html = client.get("/resources/a-draft/preview/").content.decode()
    assert "offline-keep" not in html
    assert "js/offline.js" not in html


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("", "My offline reading"), ("/es", "Mi lectura sin conexión"), ("/sw", "Usomaji wangu")],
)
def test_the_offline_page_explains_without_javascript(
    client, prefix, heading, django_assert_num_queries
):
    with django_assert_num_queries(0):  # the list is the browser's, not the server's
        response = client.get(f"{prefix}/offline/")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf"<h1>{heading}", html)
    assert '<p id="offline-needs-js" class="notice">' in html
    assert '<div id="offline-list" hidden' in html
    assert '<meta name="robots" content="noindex">' in html
