"""The other download mode: counted, then redirected to a short-lived signed URL."""

import pytest
import requests

from .conftest import pdf, published
from .servers import AppServer

pytestmark = pytest.mark.cluster


def test_redirect_to_a_signed_url_counts_and_serves_the_same_bytes(running):
    content = pdf(100_000)
    published(running, slug="signed", content=content, title="Signed")
    env = {**running.env(), "ASMHUB_DOWNLOAD_REDIRECT": "true"}
    server = AppServer("c", running.root, running.app_ports["b"] + 1, env)
    server.start()
    try:
        url = f"{server.url}/resources/signed/download/"
        redirect = requests.get(url, allow_redirects=False, timeout=10)
        assert redirect.status_code == 302
        signed = redirect.headers["Location"]
        assert signed.startswith(running.seaweedfs.endpoint) and "X-Amz-Signature" in signed
        got = requests.get(signed, timeout=10)
        assert got.content == content
        assert 'filename="signed.pdf"' in got.headers["Content-Disposition"]
        # The bucket serves Range itself.
        part = requests.get(signed, headers={"Range": "bytes=10-19"}, timeout=10)
        assert part.status_code == 206 and part.content == content[10:20]
    finally:
        server.stop()
    assert (
        running.sql(
            "SELECT count(*) FROM usage_event WHERE kind = 2 AND item_kind = 'resource'"
            " AND item_id = (SELECT id FROM resources_resource WHERE slug='signed')"
        )
        == 1
    )
