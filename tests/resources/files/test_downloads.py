"""Downloads: streamed in chunks, counted once, resumable with HTTP Range."""

from unittest import mock

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.base import ContentFile

from resources.files.downloads import CHUNK_SIZE, UNSATISFIABLE, parse_range
from resources.models import Resource
from tests.factories import ResourceFactory
from tests.usage.events import downloads_recorded

pytestmark = pytest.mark.django_db

# 200 KiB of bytes that differ from position to position, so a wrong offset shows.
BODY = bytes(range(256)) * 800


@pytest.fixture
def resource():
    return ResourceFactory(
        slug="gold-report", external_url="", file=ContentFile(BODY, name="gold.pdf")
    )


def get(client, resource, **headers):
    return client.get(resource.get_download_url(), headers=headers)


def body_of(response):
    return b"".join(response.streaming_content)


def downloads(resource):
    return downloads_recorded(resource)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=1000-", UNSATISFIABLE),
        ("bytes=-0", UNSATISFIABLE),
        ("bytes=5-2", None),  # invalid: ignored, the whole file is sent
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


def test_whole_download_with_headers_and_one_count(client, resource):
    response = get(client, resource)
    assert response.status_code == 200
    assert body_of(response) == BODY
    assert response["Content-Length"] == str(len(BODY))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="gold-report.pdf"'
    assert response["ETag"].startswith('"')
    assert downloads(resource) == 1


def test_an_interrupted_download_resumes_where_it_stopped(client, resource):
    first = get(client, resource)
    # The reader's connection drops after two chunks have arrived.
    received = b"".join(list(first.streaming_content)[:2])
    assert 0 < len(received) < len(BODY)
    rest = get(client, resource, Range=f"bytes={len(received)}-", If_Range=first["ETag"])
    assert rest.status_code == 206
    assert rest["Content-Range"] == f"bytes {len(received)}-{len(BODY) - 1}/{len(BODY)}"
    assert rest["Content-Length"] == str(len(BODY) - len(received))
    assert received + body_of(rest) == BODY
    # The resumed part is the same download: counted once.
    assert downloads(resource) == 1


def test_a_range_from_the_start_counts_a_range_elsewhere_does_not(client, resource):
    assert body_of(get(client, resource, Range="bytes=0-9")) == BODY[:10]
    assert body_of(get(client, resource, Range="bytes=-10")) == BODY[-10:]
    assert downloads(resource) == 1


def test_if_range_of_another_version_sends_the_whole_file(client, resource):
    response = get(client, resource, Range="bytes=100-", If_Range='"an-older-version"')
    assert response.status_code == 200
    assert body_of(response) == BODY


def test_range_past_the_end_is_416(client, resource):
    response = get(client, resource, Range=f"bytes={len(BODY)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(BODY)}"
    assert downloads(resource) == 0


def test_head_sends_headers_without_counting(client, resource):
    response = client.head(resource.get_download_url())
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(BODY))
    assert downloads(resource) == 0


def test_large_file_is_streamed_in_bounded_chunks(client, media_root):
    big = ResourceFactory(external_url="", file=ContentFile(b"x" * (3 * 1024 * 1024), "big.pdf"))
    response = get(client, big)
    sizes = [len(chunk) for chunk in response.streaming_content]
    assert sum(sizes) == 3 * 1024 * 1024
    assert max(sizes) <= CHUNK_SIZE


def test_missing_file_is_404(client, resource):
    resource.file.storage.delete(resource.file.name)
    assert get(client, resource).status_code == 404
    assert downloads(resource) == 0


def test_unreachable_storage_is_503_with_a_message(client, resource):
    with mock.patch(
        "django.core.files.storage.FileSystemStorage.open",
        side_effect=EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
    ):
        response = get(client, resource)
    assert response.status_code == 503
    assert "file store cannot be reached" in response.content.decode()
    assert response["Retry-After"]
    assert downloads(resource) == 0


def test_unpublished_resource_has_no_download(client, resource):
    Resource.objects.filter(pk=resource.pk).update(status=Resource.Status.DRAFT)
    assert get(client, resource).status_code == 404


def test_database_gone_while_counting_is_a_503_not_a_download(client, resource):
    from django.db import OperationalError

    with mock.patch("resources.views._count_download", side_effect=OperationalError("gone")):
        response = get(client, resource)
    assert response.status_code == 503
    assert "database cannot be reached" in response.content.decode()
