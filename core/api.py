"""The JSON API's contract, shared by every app's endpoints under /api/.

Small function views behind one decorator (api_view) that gives every endpoint the same
contract: GET/HEAD only, CORS open, an ETag and Cache-Control on every answer, 304 on a
matching conditional request, and a JSON error with status 400 (or 404) that says what was
wrong; paginate for ?page and ?page_size; check_known and strict_filterset refuse what a
lenient page would only note.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

CACHE_SECONDS = 300


class ApiError(Exception):
    """A request the API refuses: status, a machine-readable code and a sentence."""

    def __init__(self, detail, *, code="bad_request", status=400, parameter=None):
        super().__init__(detail)
        self.detail, self.code, self.status, self.parameter = detail, code, status, parameter

    def as_json(self):
        body = {"error": {"code": self.code, "detail": self.detail}}
        if self.parameter:
            body["error"]["parameter"] = self.parameter
        return body


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def api_view(view):
    """view(request, **kwargs) returns data or (data, last_modified); this makes the
    JSON answer with CORS, caching headers and conditional GET."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = JsonResponse({}, status=204)
            response.content = b""
            return _cors(response)
        if request.method not in ("GET", "HEAD"):
            error = ApiError("Only GET is allowed.", code="method_not_allowed", status=405)
            response = JsonResponse(error.as_json(), status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return _cors(response)
        try:
            result = view(request, *args, **kwargs)
        except ApiError as error:
            return _cors(JsonResponse(error.as_json(), status=error.status))
        data, last_modified = result if isinstance(result, tuple) else (result, None)
        content = json.dumps(data, ensure_ascii=False, default=str).encode()
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        modified = int(last_modified.timestamp()) if last_modified else None
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        if response is None:
            response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
            response.content = content
        response["ETag"] = etag
        if modified:
            response["Last-Modified"] = http_date(modified)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        response["Vary"] = "Accept-Encoding"
        return _cors(response)

    wrapper.csrf_exempt = True
    return wrapper


def paginate(request, items, *, extra_params=()):
    """Page of items for ?page and ?page_size; returns (page, envelope dict)."""
    allowed_size = settings.ASMHUB_API_MAX_PAGE_SIZE
    page_size = int_param(request, "page_size", settings.ASMHUB_API_PAGE_SIZE, 1, allowed_size)
    number = int_param(request, "page", 1, 1, None)
    paginator = Paginator(items, page_size)
    if number > max(paginator.num_pages, 1):
        raise ApiError(
            f"page {number} is past the last page ({paginator.num_pages}).",
            code="page_out_of_range",
            status=404,
            parameter="page",
        )
    page = paginator.page(number)

    def link(n):
        params = request.GET.copy()
        params["page"] = n
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    envelope = {
        "count": paginator.count,
        "page": number,
        "page_size": page_size,
        "num_pages": paginator.num_pages,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
    }
    return page, envelope


def int_param(request, name, default, low, high):
    values = request.GET.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise ApiError(f"{name} is given more than once.", code="bad_parameter", parameter=name)
    try:
        value = int(values[0])
    except ValueError:
        raise ApiError(
            f"{name} must be a whole number, not {values[0][:40]!r}.",
            code="bad_parameter",
            parameter=name,
        ) from None
    if value < low or (high is not None and value > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ApiError(f"{name} must be {limit}.", code="bad_parameter", parameter=name)
    return value


def check_known(request, known):
    """Refuse parameters the endpoint does not know, naming the first."""
    for name in request.GET:
        if name not in known:
            raise ApiError(
                f"Unknown parameter {name[:40]!r}; this endpoint takes: "
                f"{', '.join(sorted(known)) or 'none'}.",
                code="unknown_parameter",
                parameter=name[:40],
            )


def strict_filterset(filterset):
    """filterset, after refusing any value its page would drop with a note (an unknown
    value of a lenient filter, an invalid year): on the API that is a 400."""
    filterset.form.is_valid()
    for name, field in filterset.form.fields.items():
        rejected = getattr(field, "rejected", [])
        if rejected:
            raise ApiError(
                f"Unknown {name} value {rejected[0][:60]!r}.",
                code="bad_parameter",
                parameter=name,
            )
    for name, errors in filterset.form.errors.items():
        raise ApiError(f"{name}: {' '.join(errors)}", code="bad_parameter", parameter=name)
    return filterset
