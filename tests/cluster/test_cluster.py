"""Two app servers over one PostgreSQL, one SeaweedFS and one Redis: what one server
writes, the other serves at once; counts from both add up exactly."""

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from .conftest import admin_session, admin_upload, facet_count, resource_form, title_in
from .servers import BUCKET

pytestmark = pytest.mark.cluster


def test_upload_on_a_downloads_from_b_byte_for_byte(running):
    content = b"%PDF-1.4\n" + os.urandom(300_000)
    session = admin_session(running.a.url)
    response = admin_upload(
        running.a.url, session, slug="uploaded-on-a", content=content, title="Uploaded on A"
    )
    assert response.status_code == 302, response.text[:2000]
    # The file is in the bucket, not on A's disk.
    assert running.seaweedfs.objects(BUCKET)["resources/2024/uploaded-on-a.pdf"] == content

    download = requests.get(f"{running.b.url}/resources/uploaded-on-a/download/", timeout=10)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).digest() == hashlib.sha256(content).digest()
    assert download.headers["Content-Disposition"] == 'attachment; filename="uploaded-on-a.pdf"'


def test_a_range_request_resumes_a_download_from_object_storage(running):
    content = os.urandom(1_500_000)
    session = admin_session(running.a.url)
    admin_upload(running.a.url, session, slug="resumable", content=content, title="Resumable")
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
    counted = running.sql("SELECT download_count FROM resources_resource WHERE slug='resumable'")
    assert counted == 1


def test_publish_on_a_shows_at_once_on_b(running):
    session = admin_session(running.a.url)
    title = "Mercury-free processing in Peru, published on A"
    response = admin_upload(
        running.a.url,
        session,
        slug="published-on-a",
        content=b"%PDF-1.4 draft",
        title=title,
        status="draft",
        countries=["PE"],
    )
    assert response.status_code == 302
    assert not title_in(requests.get(f"{running.b.url}/resources/", timeout=10).text, title)
    facet_before = requests.get(f"{running.b.url}/resources/?country=pe", timeout=10).text
    peru_before = facet_count(requests.get(f"{running.b.url}/resources/", timeout=10).text, "Peru")

    pk = running.sql("SELECT id FROM resources_resource WHERE slug='published-on-a'")
    session.get(f"{running.a.url}/admin/resources/resource/{pk}/change/", timeout=10)
    response = session.post(
        f"{running.a.url}/admin/resources/resource/{pk}/change/",
        data=resource_form(
            session, slug="published-on-a", title=title, status="published", countries=["PE"]
        ),
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:2000]

    library = requests.get(f"{running.b.url}/resources/", timeout=10).text
    assert title_in(library, title)
    assert facet_count(library, "Peru") == peru_before + 1
    filtered = requests.get(f"{running.b.url}/resources/?country=pe", timeout=10).text
    assert title_in(filtered, title) and not title_in(facet_before, title)
    detail = requests.get(f"{running.b.url}/resources/published-on-a/", timeout=10)
    assert detail.status_code == 200


def test_download_counts_from_both_servers_add_up_exactly(running):
    session = admin_session(running.a.url)
    admin_upload(running.a.url, session, slug="counted", content=b"%PDF-1.4 counted " * 1000)
    urls = [f"{server.url}/resources/counted/download/" for server in (running.a, running.b)]

    def download(n):
        return requests.get(urls[n % 2], timeout=20).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(download, range(240)))
    assert statuses.count(200) == 240
    assert running.sql("SELECT download_count FROM resources_resource WHERE slug='counted'") == 240


def test_both_servers_share_one_redis_cache(running):
    running.manage(
        "shell", "-c", "from django.core.cache import cache; cache.set('shared-probe', 42)"
    )
    client = redis.Redis(port=running.redis.port)
    assert any(b"shared-probe" in key for key in client.keys("asmhub*"))
    for server in (running.a, running.b):
        checks = requests.get(f"{server.url}/readyz", timeout=10).json()["checks"]
        assert checks == {"database": "ok", "storage": "ok", "cache": "ok"}
