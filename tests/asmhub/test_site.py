"""Home, country pages, health, and what the public never sees."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from resources.models import Country, Resource
from tests.factories import CountryFactory, ResourceFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mixed():
    ghana = CountryFactory(
        code="GH",
        is_programme_country=True,
        est_asm_miners=1_100_000,
        figures_source="Delve",
        figures_year=2020,
    )
    ResourceFactory(title="Published Ghana report", countries=[ghana])
    for status in ("draft", "in_review", "withdrawn"):
        ResourceFactory(title=f"Secret {status} report", countries=[ghana], status=status)
    return ghana


@pytest.mark.parametrize(
    "path", ["/", "/resources/", "/countries/gh/", "/resources/?q=report", "/resources/?country=gh"]
)
def test_unpublished_resources_are_invisible_on_public_pages(client, mixed, path):
    body = client.get(path).content.decode()
    # (A search marks the words it found: strip the marks.)
    body = body.replace("<mark>", "").replace("</mark>", "")
    assert "Published Ghana report" in body
    assert "Secret" not in body


def test_home_lists_programme_countries_and_latest(client, mixed):
    CountryFactory(code="FJ")
    body = client.get("/").content.decode()
    assert 'href="/countries/gh/"' in body
    assert 'href="/countries/fj/"' not in body
    assert "Search 1 resource on ASM" in body


def test_country_profile_shows_figures_and_links_to_the_library(client, mixed):
    body = client.get("/countries/gh/").content.decode()
    assert "1,100,000" in body and "Delve" in body and "2020" in body
    assert 'href="/resources/?country=gh"' in body


def test_country_list_puts_programme_countries_first(client, mixed):
    CountryFactory(code="FJ", region="East Asia & Pacific")
    body = client.get("/countries/").content.decode()
    assert body.index("Ghana") < body.index("Fiji")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_load_demo_is_idempotent(settings):
    call_command("load_demo")
    counts = (Resource.objects.count(), Country.objects.count())
    files = sorted(Resource.objects.exclude(file="").values_list("file", flat=True))
    call_command("load_demo")
    assert (Resource.objects.count(), Country.objects.count()) == counts
    assert sorted(Resource.objects.exclude(file="").values_list("file", flat=True)) == files
    assert counts[0] == 79
    # Every demo resource is published and downloadable or linked.
    assert Resource.objects.published().count() == 79
    assert not Resource.objects.filter(file="", external_url="").exists()


def test_local_admin_is_refused_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for development"):
        call_command("load_demo", "--with-local-admin")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "hub.example.org"},
            "DJANGO_SECRET_KEY must be set",
        ),
        (
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50},
            "DJANGO_ALLOWED_HOSTS must be set",
        ),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false"),
    ],
)
def test_production_settings_fail_loudly(env, message):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "asmhub.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_home_shows_what_curators_feature(client, mixed):
    ResourceFactory(title="Chosen by a curator", is_featured=True)
    ResourceFactory(title="Featured but a draft", is_featured=True, status="draft")
    body = client.get("/").content.decode()
    assert 'id="featured-heading"' in body
    assert "Chosen by a curator" in body
    assert "Featured but a draft" not in body


def test_home_has_no_featured_section_without_featured_resources(client, mixed):
    assert 'id="featured-heading"' not in client.get("/").content.decode()
