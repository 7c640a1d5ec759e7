"""Downloads: the bytes, the headers, the count, and who may download."""

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import BROWSER_AGENT
from tests.factories import PDF_BYTES, ResourceFactory
from tests.usage.events import downloads_recorded

pytestmark = pytest.mark.django_db


def fetch(client, url, method="get"):
    """Request url and read the whole body; the test client closes a streamed response
    (and its file) once it is read, as a WSGI server would."""
    response = getattr(client, method)(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_download_streams_the_file_as_an_attachment(client):
    resource = ResourceFactory(slug="gold-in-ghana", with_file=True)
    response, body = fetch(client, resource.get_download_url())
    assert response.status_code == 200
    assert response.streaming
    assert body == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="gold-in-ghana.pdf"'
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["X-Content-Type-Options"] == "nosniff"


def test_each_download_is_counted_once(client):
    resource = ResourceFactory(with_file=True)
    for _ in range(3):
        fetch(client, resource.get_download_url())
    fetch(client, resource.get_download_url(), method="head")
    assert downloads_recorded(resource) == 3


# Withdrawn: 410 Gone, as its page; a draft or one in review was never public: 404.
@pytest.mark.parametrize(
    ("status", "code"), [("draft", 404), ("in_review", 404), ("withdrawn", 410)]
)
def test_unpublished_files_are_not_downloadable(client, status, code):
    resource = ResourceFactory(status=status, with_file=True)
    response, _body = fetch(client, resource.get_download_url())
    assert response.status_code == code
    assert downloads_recorded(resource) == 0


def test_resource_without_a_file_has_no_download(client):
    resource = ResourceFactory(external_url="https://example.org/x")
    assert client.get(resource.get_download_url()).status_code == 404


def test_a_file_missing_from_storage_is_a_404_not_a_crash(client):
    resource = ResourceFactory(with_file=True)
    resource.file.storage.delete(resource.file.name)
    assert client.get(resource.get_download_url()).status_code == 404


def test_download_refuses_post(client):
    resource = ResourceFactory(with_file=True)
    assert client.post(resource.get_download_url()).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_concurrent_downloads_lose_no_increment(on_postgres):
    """Twelve threads download at once, each on its own PostgreSQL connection."""
    resource = ResourceFactory(with_file=True)
    url = resource.get_download_url()
    threads, per_thread, errors = 12, 5, []
    barrier = threading.Barrier(threads)

    def hammer():
        try:
            barrier.wait()
            client = Client(headers={"User-Agent": BROWSER_AGENT})
            for _ in range(per_thread):
                response, _body = fetch(client, url)
                assert response.status_code == 200
        except Exception as exc:  # noqa: BLE001 - reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert downloads_recorded(resource) == threads * per_thread
