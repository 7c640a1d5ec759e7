"""Two app servers over one PostgreSQL, one SeaweedFS and one Redis: what one server
writes, the other serves at once; counts from both add up exactly."""

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from .conftest import (
    curator_publishes,
    facet_count,
    partner_uploads,
    pdf,
    published,
    resource_status,
    title_in,
)
from .servers import BUCKET

pytestmark = pytest.mark.cluster


def stored_name(cluster, slug):
    return cluster.sql(f"SELECT file FROM resources_resource WHERE slug='{slug}'")


def test_upload_on_a_downloads_from_b_byte_for_byte(running):
    content = pdf(300_000)
    published(running, slug="uploaded-on-a", content=content)
    # The file is in the bucket, not on A's disk, under a name the uploader did not choose.
    name = stored_name(running, "uploaded-on-a")
    assert name.startswith("resources/2024/uploaded-on-a-") and name.endswith(".pdf")
    assert running.seaweedfs.objects(BUCKET)[name] == content

    download = requests.get(f"{running.b.url}/resources/uploaded-on-a/download/", timeout=10)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).digest() == hashlib.sha256(content).digest()
    assert download.headers["Content-Disposition"] == 'attachment; filename="uploaded-on-a.pdf"'


def test_a_range_request_resumes_a_download_from_object_storage(running):
    content = pdf(1_500_000)
    published(running, slug="resumable", content=content)
    url = f"{running.b.url}/resources/resumable/download/"

    first = requests.get(url, stream=True, timeout=10)
    received = b""
    for chunk in first.iter_content(64 * 1024):  # the slow connection drops
        received += chunk
        if len(received) >= 500_000:
            break
    first.close()
    rest = requests.get(
        url,
        headers={"Range": f"bytes={len(received)}-", "If-Range": first.headers["ETag"]},
        timeout=10,
    )
    assert rest.status_code == 206
    assert (
        rest.headers["Content-Range"] == f"bytes {len(received)}-{len(content) - 1}/{len(content)}"
    )
    assert received + rest.content == content
    counted = running.sql(
        "SELECT count(*) FROM usage_event WHERE kind = 2 AND item_kind = 'resource'"
        " AND item_id = (SELECT id FROM resources_resource WHERE slug='resumable')"
    )
    assert counted == 1


def public_views(server, slug, title):
    """What B shows anyone of one resource: library, Peru filter, detail, feed, API."""
    get = lambda path: requests.get(f"{server.url}{path}", timeout=10)  # noqa: E731
    library = get("/resources/").text
    api = get("/api/resources/").json()
    return {
        "library": title_in(library, title),
        "peru": facet_count(library, "Peru"),
        "filtered": title_in(get("/resources/?country=pe").text, title),
        "detail": get(f"/resources/{slug}/").status_code,
        "feed": title_in(get("/feeds/resources.atom").text, title),
        "api": any(item["title"] == title for item in api["results"]),
        "api_detail": get(f"/api/resources/{slug}/").status_code,
    }


def test_publish_on_a_shows_at_once_on_b(running):
    title = "Mercury-free processing in Peru, published on A"
    pk = partner_uploads(
        running, slug="published-on-a", content=pdf(), title=title, countries=["PE"]
    )
    assert resource_status(running, "published-on-a") == "in_review"
    before = public_views(running.b, "published-on-a", title)
    assert before == {
        "library": False,
        "peru": before["peru"],
        "filtered": False,
        "detail": 404,
        "feed": False,
        "api": False,
        "api_detail": 404,
    }

    curator_publishes(running, pk)

    # Nothing cached on B (its pages, the facet counts in Redis) hides the change.
    assert public_views(running.b, "published-on-a", title) == {
        "library": True,
        "peru": before["peru"] + 1,
        "filtered": True,
        "detail": 200,
        "feed": True,
        "api": True,
        "api_detail": 200,
    }


def test_download_counts_from_both_servers_add_up_exactly(running):
    published(running, slug="counted", content=pdf(20_000))
    urls = [f"{server.url}/resources/counted/download/" for server in (running.a, running.b)]

    def download(n):
        return requests.get(urls[n % 2], timeout=20).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(download, range(240)))
    assert statuses.count(200) == 240
    assert (
        running.sql(
            "SELECT count(*) FROM usage_event WHERE kind = 2 AND item_kind = 'resource'"
            " AND item_id = (SELECT id FROM resources_resource WHERE slug='counted')"
        )
        == 240
    )


def test_both_servers_share_one_redis_cache(running):
    running.manage(
        "shell", "-c", "from django.core.cache import cache; cache.set('shared-probe', 42)"
    )
    client = redis.Redis(port=running.redis.port)
    assert any(b"shared-probe" in key for key in client.keys("asmhub*"))
    for server in (running.a, running.b):
        checks = requests.get(f"{server.url}/readyz", timeout=10).json()["checks"]
        assert checks == {"database": "ok", "storage": "ok", "cache": "ok"}
