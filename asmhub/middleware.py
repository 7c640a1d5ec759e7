"""Request log (one JSON line per request) and the 503 answer to a dependency outage."""

import logging
import re
import time
import uuid

from django.db import connections

from core.outages import outage_of, unavailable_response

from .logs import current_request_id

request_logger = logging.getLogger("asmhub.requests")
outage_logger = logging.getLogger("core.outages")

# A request id passed in by the proxy is kept only if it is short and plain.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class QueryCounter:
    """A database execute wrapper that counts queries, with DEBUG off too."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID, kept from the proxy when it sends one) and
    logs one line when it ends: method, path, status, duration and SQL query count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.id)
        counter = QueryCounter()
        started = time.perf_counter()
        try:
            with connections["default"].execute_wrapper(counter):
                response = self.get_response(request)
            response["X-Request-ID"] = request.id
            status = response.status_code
            request_logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "queries": counter.count,
                    "streaming": response.streaming,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class OutageMiddleware:
    """Turns a database or storage outage raised by a view into a 503 page that names it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        dependency = outage_of(exception)
        if dependency is None:
            return None
        outage_logger.warning(
            "%s unavailable: %s",
            dependency,
            exception,
            extra={"dependency": dependency, "error": type(exception).__name__},
        )
        return unavailable_response(dependency, request=request)
