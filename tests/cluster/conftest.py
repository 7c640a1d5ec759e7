"""The cluster the `cluster` tests share: started once per session, ended in finally."""

import re
import shutil

import pytest
import requests

from .servers import Cluster, http_ok, wait_for

ADMIN = ("curator", "cluster-curator-password-1")


@pytest.fixture(scope="session")
def cluster():
    if not shutil.which("redis-server"):
        pytest.fail("the cluster tests need redis-server (apt-get install redis-server)")
    instance = Cluster()
    try:
        instance.start()
        instance.manage(
            "createsuperuser",
            "--no-input",
            "--username",
            ADMIN[0],
            "--email",
            "curator@example.org",
            env={**instance.env(), "DJANGO_SUPERUSER_PASSWORD": ADMIN[1]},
        )
        instance.manage(
            "shell",
            "-c",
            "from resources.models import Country\n"
            "for code in ['TZ', 'GH', 'PE']: Country.objects.get_or_create(code=code)",
        )
        yield instance
    finally:
        instance.stop()
        shutil.rmtree(instance.root, ignore_errors=True)


@pytest.fixture
def running(cluster):
    """The cluster with every server up, restarting any a previous test left stopped."""
    if not cluster.postgres.is_running():
        cluster.postgres.start()
    if cluster.redis.process is None:
        cluster.redis.start()
    if cluster.seaweedfs.process is None:
        cluster.seaweedfs.start()
    for app in cluster.apps.values():
        if app.process is None or app.process.poll() is not None:
            app.start()
    for app in cluster.apps.values():
        wait_for(lambda app=app: http_ok(f"{app.url}/readyz"), f"{app.name} ready", timeout=30)
    return cluster


def admin_session(base_url):
    """A requests session logged in to the admin of one app server as the superuser."""
    session = requests.Session()
    session.get(f"{base_url}/admin/login/", timeout=10)
    response = session.post(
        f"{base_url}/admin/login/",
        data={
            "username": ADMIN[0],
            "password": ADMIN[1],
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        timeout=10,
    )
    assert response.url.endswith("/admin/"), "admin login failed"
    return session


def resource_form(session, **fields):
    """The admin form of a resource, with the CSRF token of the session."""
    data = {
        "title": "Untitled",
        "slug": "",
        "summary": "",
        "resource_type": "report",
        "language": "en",
        "status": "draft",
        "publisher": "IIED",
        "year": "2024",
        "date": "",
        "owner": "",
        "licence": "",
        "is_open_access": "on",
        "tags": "",
        "external_url": "",
        "doi": "",
        "isbn": "",
        "publisher_code": "",
        "source_note": "",
        "authors-TOTAL_FORMS": "0",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "1000",
        "_save": "Save",
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    data.update(fields)
    return data


def admin_upload(base_url, session, *, slug, content, status="published", **fields):
    """Upload a resource with a file through the admin add form of one app server."""
    session.get(f"{base_url}/admin/resources/resource/add/", timeout=10)
    return session.post(
        f"{base_url}/admin/resources/resource/add/",
        data=resource_form(session, slug=slug, status=status, **fields),
        files={"file": (f"{slug}.pdf", content, "application/pdf")},
        timeout=30,
        allow_redirects=False,
    )


def title_in(html, title):
    return re.search(re.escape(title), html) is not None


def facet_count(html, label):
    """The count beside a facet value on the library page (0 when the value is absent)."""
    found = re.search(re.escape(label) + r' <span class="count">([\d,]+)</span>', html)
    return int(found.group(1).replace(",", "")) if found else 0
