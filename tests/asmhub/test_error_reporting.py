"""Error reporting: off without SENTRY_DSN; with it, an unhandled error reaches the
service (here a local HTTP server standing in for Sentry's ingest endpoint)."""

import gzip
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("sentry_sdk", reason="sentry-sdk is the optional extra asmhub[sentry]")

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")
django.setup()
import sentry_sdk
from django.test import Client
from django.urls import clear_url_caches, path
import asmhub.urls

print("active", sentry_sdk.get_client().is_active())
if sentry_sdk.get_client().is_active():
    def broken(request):
        raise RuntimeError("reported-boom")

    asmhub.urls.urlpatterns.insert(0, path("broken/", broken))
    clear_url_caches()
    print("status", Client(raise_request_exception=False).get("/broken/").status_code)
    sentry_sdk.flush(5)
"""


class Ingest(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Ingest.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def run(env):
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "ASMHUB_VAR_DIR": env.pop("VAR"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_off_without_a_dsn(tmp_path):
    result = run({"VAR": str(tmp_path)})
    assert "active False" in result.stdout, result.stderr


def test_an_unhandled_error_is_reported_when_a_dsn_is_set(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 8198), Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run({"VAR": str(tmp_path), "SENTRY_DSN": "http://public@127.0.0.1:8198/1"})
    finally:
        server.shutdown()
        server.server_close()
    assert "active True" in result.stdout and "status 500" in result.stdout, result.stderr
    assert any(b"reported-boom" in body for body in Ingest.received)
