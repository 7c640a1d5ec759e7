"""Faults under load: PostgreSQL restarted, object storage gone, Redis gone, an app server
killed. Visitors get 503 pages, never tracebacks; service comes back by itself; nothing
that was acknowledged is lost and nothing half-written is left behind."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .conftest import add_form, logged_in, pdf, published, upload
from .servers import BUCKET, wait_for

pytestmark = pytest.mark.cluster

# A request must end well before this: gunicorn's timeout in the cluster is 20 s.
CLIENT_TIMEOUT = 25


class Load:
    """Threads sending GETs round-robin to some URLs until stopped, recording each answer
    as (url, status or exception name, seconds taken, start time, body excerpt)."""

    def __init__(self, urls, threads=6):
        self.urls = urls
        self.threads = threads
        self.results = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def _run(self, offset):
        n = offset
        session = requests.Session()
        while not self.stopping.is_set():
            url = self.urls[n % len(self.urls)]
            n += 1
            started = time.monotonic()
            try:
                response = session.get(url, timeout=CLIENT_TIMEOUT)
                outcome, body = response.status_code, response.text[:3000]
            except requests.RequestException as error:
                outcome, body = type(error).__name__, ""
                session = requests.Session()
                time.sleep(0.05)
            with self.lock:
                self.results.append((url, outcome, time.monotonic() - started, started, body))

    def __enter__(self):
        self.pool = ThreadPoolExecutor(max_workers=self.threads)
        self.futures = [self.pool.submit(self._run, i) for i in range(self.threads)]
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for future in self.futures:
            future.result()
        self.pool.shutdown()


class Uploads:
    """A thread of a partner uploading resources with two authors through A's admin until
    stopped, recording the status of each (slug → status or exception name)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.outcomes = {}
        self.stopping = threading.Event()

    def _run(self):
        n = 0
        while not self.stopping.is_set():
            slug = f"pg-outage-{n}"
            n += 1
            authors = {
                "authors-TOTAL_FORMS": "2",
                "authors-0-position": "0",
                "authors-0-name": "Hilson, Gavin",
                "authors-1-position": "1",
                "authors-1-name": "IIED",
                "authors-1-is_organisation": "on",
            }
            try:
                response = upload(
                    self.cluster.a.url,
                    self.session,
                    slug=slug,
                    content=self.content,
                    form=self.form,
                    **authors,
                )
                self.outcomes[slug] = response.status_code
            except requests.RequestException as error:
                self.outcomes[slug] = type(error).__name__
            time.sleep(0.1)

    def __enter__(self):
        # Logged in and the add form read before the load starts: neither may meet the
        # outage (the form is the same each time; its CSRF token is the session's).
        self.session = logged_in(self.cluster, self.cluster.a, "partner")
        self.form = add_form(self.cluster.a.url, self.session)
        self.content = pdf()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()


def readiness(server):
    return requests.get(f"{server.url}/readyz", timeout=CLIENT_TIMEOUT)


def test_readiness_fails_and_recovers_as_each_dependency_stops_and_starts(running):
    for name, service in (
        ("database", running.postgres),
        ("storage", running.seaweedfs),
        ("cache", running.redis),
    ):
        service.stop()
        try:
            wait_for(lambda: readiness(running.a).status_code == 503, f"{name} noticed")
            answer = readiness(running.a).json()
            assert answer["failed"] == [name], answer
            # Liveness is not readiness: the process itself is fine.
            assert requests.get(f"{running.a.url}/healthz", timeout=5).status_code == 200
        finally:
            service.start()
        wait_for(lambda: readiness(running.a).status_code == 200, f"{name} recovered")
        wait_for(lambda: readiness(running.b).status_code == 200, f"{name} recovered on B")


def test_postgres_restart_under_load_gives_503s_then_recovers_and_loses_nothing(running):
    published(running, slug="under-load", content=pdf())
    download = "/resources/under-load/download/"
    before = running.sql(
        "SELECT count(*) FROM usage_event WHERE kind = 2 AND item_kind = 'resource'"
        " AND item_id = (SELECT id FROM resources_resource WHERE slug='under-load')"
    )
    urls = [f"{s.url}{path}" for s in (running.a, running.b) for path in ("/resources/", download)]
    writer = Uploads(running)
    with Load(urls) as load, writer:
        time.sleep(2.5)  # long enough for some uploads to succeed first
        running.postgres.stop()
        outage_started = time.monotonic()
        time.sleep(2)
        running.postgres.start()
        outage_ended = time.monotonic()
        time.sleep(3)
    statuses = [outcome for _url, outcome, *_ in load.results]
    assert set(statuses) <= {200, 503}, set(statuses)
    during = [
        o for _u, o, _d, started, _b in load.results if outage_started < started < outage_ended
    ]
    assert 503 in during
    for _url, outcome, _took, _started, body in load.results:
        if outcome == 503:
            assert "database cannot be reached" in body and "Traceback" not in body
    # Recovered by itself: the last second of requests all succeeded.
    last = [o for _u, o, _d, started, _b in load.results if started > time.monotonic() - 1.5]
    assert last and set(last) == {200}
    # Every download that was answered 200 was counted, and no other.
    served = sum(
        1 for url, outcome, *_ in load.results if url.endswith(download) and outcome == 200
    )
    after = running.sql(
        "SELECT count(*) FROM usage_event WHERE kind = 2 AND item_kind = 'resource'"
        " AND item_id = (SELECT id FROM resources_resource WHERE slug='under-load')"
    )
    assert after - before == served
    # Uploads with two authors each went on through the outage: every one acknowledged is
    # there, and every row there is whole (both authors, its file in the bucket).
    assert set(writer.outcomes.values()) <= {302, 503}, writer.outcomes
    assert 302 in writer.outcomes.values() and 503 in writer.outcomes.values()
    rows = running.sql(
        "SELECT json_agg(json_build_array(r.slug, r.file, "
        "(SELECT count(*) FROM resources_resourceauthor a WHERE a.resource_id = r.id))) "
        "FROM resources_resource r WHERE r.slug LIKE 'pg-outage-%'"
    )
    stored = set(running.seaweedfs.objects(BUCKET))
    assert {slug for slug, *_ in rows} >= {s for s, o in writer.outcomes.items() if o == 302}
    for slug, file, authors in rows:
        assert authors == 2 and file in stored, (slug, file, authors)


def test_object_storage_outage_pages_render_downloads_503_uploads_refused(running):
    published(running, slug="before-storage-outage", content=pdf())
    rows = running.sql("SELECT count(*) FROM resources_resource")
    session = logged_in(running, running.a, "partner")
    form = add_form(running.a.url, session)
    running.seaweedfs.stop()
    try:
        page = requests.get(f"{running.b.url}/resources/before-storage-outage/", timeout=10)
        assert page.status_code == 200
        assert requests.get(f"{running.b.url}/resources/", timeout=10).status_code == 200
        download = requests.get(
            f"{running.b.url}/resources/before-storage-outage/download/", timeout=CLIENT_TIMEOUT
        )
        assert download.status_code == 503
        assert "file store cannot be reached" in download.text
        refused = upload(
            running.a.url, session, slug="during-storage-outage", content=pdf(), form=form
        )
        assert refused.status_code == 503
        assert "Traceback" not in refused.text
        assert running.sql("SELECT count(*) FROM resources_resource") == rows
    finally:
        running.seaweedfs.start()
    # Back to normal, and no row points at a file the bucket lacks.
    wait_for(
        lambda: (
            requests.get(
                f"{running.b.url}/resources/before-storage-outage/download/", timeout=10
            ).status_code
            == 200
        ),
        "downloads after the storage outage",
    )
    stored = set(running.seaweedfs.objects(BUCKET))
    referenced = running.sql("SELECT array_agg(file) FROM resources_resource WHERE file <> ''")
    assert set(referenced) <= stored


def test_redis_outage_keeps_the_site_serving_uncached_and_logs_it(running):
    logged = len(running.a.log.read_bytes())
    running.redis.stop()
    try:
        for server in (running.a, running.b):
            assert requests.get(f"{server.url}/resources/", timeout=10).status_code == 200
        # A request that uses the cache (readiness writes and reads a value) logs the outage.
        assert readiness(running.a).status_code == 503
        wait_for(
            lambda: b'"logger": "asmhub.cache"' in running.a.log.read_bytes()[logged:],
            "the cache outage in A's log",
            timeout=5,
        )
    finally:
        running.redis.start()


def test_one_app_server_killed_mid_load_the_other_keeps_serving(running):
    urls = [f"{running.a.url}/resources/", f"{running.b.url}/resources/"]
    with Load(urls, threads=6) as load:
        time.sleep(1.5)
        running.b.kill()
        killed_at = time.monotonic()
        time.sleep(3)
    a_results = [r for r in load.results if r[0].startswith(running.a.url)]
    b_after = [r for r in load.results if r[0].startswith(running.b.url) and r[3] > killed_at + 0.5]
    assert a_results and {outcome for _u, outcome, *_ in a_results} == {200}
    assert b_after and all(outcome == "ConnectionError" for _u, outcome, *_ in b_after)
    # Nothing hung: every request ended, the longest well inside its timeout.
    assert max(took for _u, _o, took, *_ in load.results) < CLIENT_TIMEOUT - 5
