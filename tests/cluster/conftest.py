"""The cluster the `cluster` tests share: started once per session, ended in finally.

Resources come in the way people bring them: a partner logs in to the admin of one app
server, uploads a real PDF through the add form (every field as the rendered form has it,
inline management forms included) with "Save and submit"; a curator publishes it from
the confirmation page that shows what goes public. Setup (the organisation, the two accounts) goes
through manage.py against the cluster's database."""

import io
import os
import re
import shutil

import pytest
import requests
from pypdf import PdfWriter

from tests.forms import form_data

from .servers import Cluster, http_ok, wait_for

ORGANISATION = "cluster-partners"
CURATOR = ("curator", "cluster-curator-password-1")
ADD = "/admin/resources/resource/add/"

SETUP = f"""
from django.contrib.auth.models import Group, User
from resources.models import Country, Organisation, Theme
from resources.curation.roles import CURATORS
for code in ['TZ', 'GH', 'PE']:
    Country.objects.get_or_create(code=code)
# A submission needs a theme (services.resource_missing).
Theme.objects.get_or_create(slug='formalisation', defaults={{'name': 'Formalisation'}})
Organisation.objects.get_or_create(
    slug={ORGANISATION!r}, defaults={{'name': 'Cluster Partners', 'acronym': 'CLP'}}
)
curator = User.objects.create_user({CURATOR[0]!r}, 'curator@example.org', {CURATOR[1]!r})
curator.is_staff = True
curator.save()
curator.groups.add(Group.objects.get(name=CURATORS))
"""


@pytest.fixture(scope="session")
def cluster():
    if not shutil.which("redis-server"):
        pytest.fail("the cluster tests need redis-server (apt-get install redis-server)")
    instance = Cluster()
    try:
        instance.start()
        instance.manage("shell", "-c", SETUP)
        added = instance.manage("add_partner", "partner", "partner@example.org", ORGANISATION)
        password = re.search(r"password[^:]*: (\S+)", added.stdout)
        assert password, added.stdout
        instance.partner = ("partner", password.group(1))
        instance.curator = CURATOR
        instance.sessions = {}
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


def login(base_url, username, password):
    """A requests session logged in through the admin login form of one app server."""
    session = requests.Session()
    page = session.get(f"{base_url}/admin/login/", timeout=10)
    data = form_data(page, "login-form")
    data.update({"username": username, "password": password, "next": "/admin/"})
    response = session.post(f"{base_url}/admin/login/", data=data, timeout=10)
    assert response.url.endswith("/admin/"), f"admin login of {username} failed"
    return session


def logged_in(cluster, server, who):
    """The session of who ("partner" or "curator") on server, logged in once per run:
    sessions live in the shared database, so restarts of any server keep them."""
    key = (server.url, who)
    if key not in cluster.sessions:
        cluster.sessions[key] = login(server.url, *getattr(cluster, who))
    return cluster.sessions[key]


def pdf(size=0):
    """A real one-page PDF (pypdf reads it), grown by about size random bytes in an
    attachment, so every upload differs and large ones are large."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if size:
        writer.add_attachment("padding.bin", os.urandom(size))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def add_form(base_url, session):
    """The fields of the admin add form as the server renders it for this session's user
    (inline management forms, the edit version, defaults), ready to be filled in."""
    page = session.get(f"{base_url}{ADD}", timeout=10)
    assert page.status_code == 200, page.status_code
    data = form_data(page, "resource_form")
    data["_save"] = "Save"
    return data


def upload(base_url, session, *, slug, content, form=None, **fields):
    """POST the admin add form of one server with a file; form is the rendered add form
    (read again unless given). Answers the response, not following the redirect."""
    data = dict(form or add_form(base_url, session))
    # What a partner fills in; everything else stays as rendered.
    data.update(
        {
            "title": slug,
            "slug": slug,
            "resource_type": "report",
            "publisher": "IIED",
            "year": "2024",
        }
    )
    data.update(fields)
    return session.post(
        f"{base_url}{ADD}",
        data=data,
        files={"file": (f"{slug}.pdf", content, "application/pdf")},
        timeout=30,
        allow_redirects=False,
    )


def resource_id(cluster, slug):
    return cluster.sql(f"SELECT id FROM resources_resource WHERE slug='{slug}'")


def resource_status(cluster, slug):
    return cluster.sql(f"SELECT status FROM resources_resource WHERE slug='{slug}'")


def complete(cluster):
    """What a submission needs besides its file (services.resource_missing): a summary, the
    language, "global", a theme, an author and a rights statement."""
    return {
        "summary": "A report uploaded in a cluster test.",
        "language": "en",
        "is_global": "on",
        "themes": cluster.sql("SELECT id FROM resources_theme WHERE slug = 'formalisation'"),
        "licence": "CC BY 4.0",
        "authors-0-name": "Hilson, Gavin",
    }


def partner_uploads(cluster, *, slug, content, **fields):
    """A partner uploads a resource on A with "Save and submit"; answers its id."""
    session = logged_in(cluster, cluster.a, "partner")
    form = add_form(cluster.a.url, session)
    del form["_save"]
    form["_submit"] = "Save and submit"
    fields = {**complete(cluster), **fields}
    response = upload(cluster.a.url, session, slug=slug, content=content, form=form, **fields)
    assert response.status_code == 302, form_errors(response.text)
    assert resource_status(cluster, slug) == "in_review"
    return resource_id(cluster, slug)


def curator_publishes(cluster, pk):
    """A curator looks at what goes public on A's confirmation page, then publishes."""
    session = logged_in(cluster, cluster.a, "curator")
    url = f"{cluster.a.url}/admin/resources/resource/{pk}/publish/"
    assert session.get(url, timeout=10).status_code == 200
    response = session.post(
        url,
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": url},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code


def published(cluster, *, slug, content, **fields):
    """Partner upload and submit on A, then a curator publishes it on A."""
    pk = partner_uploads(cluster, slug=slug, content=content, **fields)
    curator_publishes(cluster, pk)
    assert resource_status(cluster, slug) == "published"
    return pk


def form_errors(html):
    """The error messages of an admin form page, for assertion messages."""
    found = re.findall(
        r'<(?:ul|p) class="(?:errorlist[^"]*|errornote)"[^>]*>(.*?)</(?:ul|p)>', html, re.S
    )
    return [re.sub(r"<[^>]+>", " ", error).strip() for error in found] or html[:3000]


def title_in(html, title):
    return re.search(re.escape(title), html) is not None


def facet_count(html, label):
    """The count beside a facet value on the library page (0 when the value is absent)."""
    found = re.search(re.escape(label) + r' <span class="count">([\d,]+)</span>', html)
    return int(found.group(1).replace(",", "")) if found else 0
