"""Production serving: liveness, readiness, the request log and the 503 page of outages."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError

from asmhub.logs import RequestIdFilter
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

# Nothing listens here: it stands for a Redis that has gone away.
DEAD_REDIS = "redis://127.0.0.1:8199/0"


def test_healthz_answers_without_asking_any_dependency(client, django_assert_num_queries):
    # Liveness must not depend on the database: an outage there is not a reason to
    # restart a healthy process.
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_storage_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_an_unreachable_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_names_unusable_storage(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_readyz_names_an_unreachable_database(client):
    with mock.patch("asmhub.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


def test_site_keeps_serving_uncached_when_redis_is_gone(client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOGGER = "asmhub.cache"
    from django.core.cache import cache

    with caplog.at_level(logging.ERROR, logger="asmhub.cache"):
        cache.set("k", "v")
        assert cache.get("k") is None
        assert client.get("/resources/").status_code == 200
    assert any(r.name == "asmhub.cache" for r in caplog.records)


def test_one_log_line_per_request_with_id_status_duration_and_queries(client, caplog):
    ResourceFactory()
    with caplog.at_level(logging.INFO, logger="asmhub.requests"):
        response = client.get("/resources/?country=gh", headers={"X-Request-ID": "proxy-id-1234"})
    assert response["X-Request-ID"] == "proxy-id-1234"
    (record,) = [r for r in caplog.records if r.name == "asmhub.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/resources/", 200)
    assert record.queries > 0
    assert record.duration_ms > 0
    assert RequestIdFilter().filter(record) and record.request_id == "proxy-id-1234"


def test_an_odd_request_id_from_outside_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "x" * 300})
    assert len(response["X-Request-ID"]) == 32


def test_the_json_formatter_writes_one_parsable_line():
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s")
    record = logging.LogRecord("asmhub.requests", logging.INFO, "", 0, "GET / 200", (), None)
    record.status = 200
    RequestIdFilter().filter(record)
    line = formatter.format(record)
    assert "\n" not in line
    assert json.loads(line)["status"] == 200


def test_database_outage_gives_a_503_page_not_a_traceback(client):
    resource = ResourceFactory()
    with mock.patch(
        "resources.views.ResourceDetailView.get_object",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(resource.get_absolute_url())
    assert response.status_code == 503
    assert "database cannot be reached" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_ordinary_errors_are_still_errors(client):
    with mock.patch("resources.views.ResourceDetailView.get_object", side_effect=KeyError):
        with pytest.raises(KeyError):
            client.get("/resources/anything/")


def test_an_error_log_line_carries_its_traceback():
    from pythonjsonlogger.json import JsonFormatter

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "Internal Server Error", (), sys.exc_info()
        )
    RequestIdFilter().filter(record)
    line = JsonFormatter("%(levelname)s %(message)s %(request_id)s").format(record)
    assert "\n" not in line
    assert "Traceback" in json.loads(line)["exc_info"] and "boom" in json.loads(line)["exc_info"]


def test_unhandled_error_gives_the_plain_500_page_without_the_database(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch("resources.views.ResourceDetailView.get_object", side_effect=KeyError):
        response = client.get("/resources/anything/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_an_outage_that_escapes_the_middleware_still_gets_the_503_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with (
        mock.patch("asmhub.middleware.OutageMiddleware.process_exception", return_value=None),
        mock.patch(
            "resources.views.ResourceDetailView.get_object", side_effect=OperationalError("down")
        ),
    ):
        response = client.get("/resources/anything/")
    assert response.status_code == 503
    assert "database cannot be reached" in response.content.decode()


FILTERSET = "resources.discovery.api.resource_filterset"

API_OUTAGE = {
    "error": {
        "code": "database_unavailable",
        "detail": "The library’s database cannot be reached just now.",
    }
}


def test_the_api_answers_a_database_outage_in_json(client):
    with mock.patch(
        "resources.discovery.api.resource_filterset", side_effect=OperationalError("down")
    ):
        response = client.get("/api/resources/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == API_OUTAGE
    assert response["Retry-After"] == "30"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_api_answers_an_outage_that_escapes_the_middleware_in_json(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with (
        mock.patch("asmhub.middleware.OutageMiddleware.process_exception", return_value=None),
        mock.patch(
            "resources.discovery.api.resource_filterset", side_effect=OperationalError("down")
        ),
    ):
        response = client.get("/api/resources/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == API_OUTAGE


@pytest.mark.parametrize(
    "path, status, code",
    [("/api/no-such-endpoint/", 404, "not_found"), ("/api/resources/x/y/z/", 404, "not_found")],
)
def test_the_api_answers_an_unknown_address_in_json(client, settings, path, status, code):
    settings.DEBUG = False
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_outside_the_api_keep_the_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_api_answers_an_unexpected_error_in_json(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch(FILTERSET, side_effect=KeyError("bug")):
        response = client.get("/api/resources/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "server_error", "detail": "Something went wrong on our side."}
    }
