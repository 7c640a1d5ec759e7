"""Hardening of a public service: deployment checks, security headers with a strict
Content Security Policy, and brute-force protection of the admin login."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, CountryFactory, CuratorFactory, ResourceFactory

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "hub.example.org",
        "ASMHUB_VAR_DIR": str(tmp_path),
    }
    # Set by the browser fixture for its own process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/resources/", "/admin/login/"])
def test_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_public_pages_have_no_inline_scripts_or_styles(client):
    resource = ResourceFactory(with_file=True, countries=[CountryFactory(code="GH")])
    paths = (
        "/",
        "/resources/",
        resource.get_absolute_url(),
        "/countries/",
        "/countries/gh/",
        "/learning-groups/",
        "/outlooks/",
        "/dialogues/",
        "/alerts/subscribe/",
    )
    for path in paths:
        html = client.get(path).content.decode()
        assert " style=" not in html and "<style" not in html, path
        for chunk in html.split("<script")[1:]:
            attributes = chunk.split(">", 1)[0]
            # JSON-LD is data, never run, so the policy does not apply to it.
            if 'type="application/ld+json"' in attributes:
                continue
            assert " src=" in attributes, f"inline script on {path}"


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, settings):
    curator = CuratorFactory(username="target")
    url = reverse("admin:login")
    answers = [
        client.post(url, {"username": "target", "password": "wrong"}).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Now even the right password is refused.
    locked = client.post(url, {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    from django.core.management import call_command

    call_command("axes_reset_username", "target")
    ok = client.post(url, {"username": "target", "password": PASSWORD})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(curator.pk)


def test_production_cookies_and_hsts_are_secure(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "hub.example.org",
        "ASMHUB_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "asmhub.settings",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/resources/", "/api/resources/", "/oai", "/feeds/resources.atom", "/admin/"]
)
def test_a_host_not_allowed_is_a_plain_400_without_a_traceback(client, settings, caplog, path):
    settings.DEBUG = False
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert errors == []
    # Operators still see the refused host, as one line.
    warnings = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert [r.levelno for r in warnings] == [logging.WARNING]


@pytest.mark.parametrize(
    ("proxy_count", "secure"), [(None, "False"), ("0", "False"), ("1", "True")]
)
def test_x_forwarded_proto_is_trusted_only_behind_a_proxy(tmp_path, proxy_count, secure):
    # Production settings as a server reads them at start-up; without a proxy of ours in
    # front, a client sending X-Forwarded-Proto must not pass for a secure request.
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "hub.example.org",
        "ASMHUB_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "asmhub.settings",
    }
    env.pop("ASMHUB_PROXY_COUNT", None)
    if proxy_count is not None:
        env["ASMHUB_PROXY_COUNT"] = proxy_count
    code = (
        "import django; django.setup();"
        "from django.test import RequestFactory;"
        "request = RequestFactory().get('/', HTTP_HOST='hub.example.org',"
        " HTTP_X_FORWARDED_PROTO='https');"
        "print(request.is_secure())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [secure], result.stderr


def test_proxy_ssl_header_needs_a_proxy(rf, settings):
    from asmhub.settings import proxy_ssl_header

    assert proxy_ssl_header(0) is None
    assert proxy_ssl_header(2) == ("HTTP_X_FORWARDED_PROTO", "https")
    for proxy_count, secure in ((0, False), (1, True)):
        settings.SECURE_PROXY_SSL_HEADER = proxy_ssl_header(proxy_count)
        assert rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure() is secure
