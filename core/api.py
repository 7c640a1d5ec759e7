"""The JSON API's contract, shared by every app's endpoints under /api/, on Django REST
framework.

ApiView is the base of every endpoint: GET/HEAD only (OPTIONS answers 204), JSON whatever
the Accept header, unknown parameters refused, and on every 200 an ETag, Cache-Control and
a 304 for a matching conditional request. Errors are {"error": {"code", "detail",
"parameter"?}} with status 400, 404 or 405 (exception_handler). ApiPagination gives the
page envelope for ?page and ?page_size; StrictFilterBackend refuses what a lenient page
would only note; FilteredListView is every paginated list, a subclass naming its queryset,
FilterSet, order, row and serializer. CORS is django-cors-headers' (settings:
CORS_URLS_REGEX).
"""

import hashlib
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import APIException, MethodNotAllowed, NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import BasePagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

CACHE_SECONDS = 300
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PAGE_PARAMS = {"page", "page_size"}


class ApiError(APIException):
    """A request the API refuses: status, a machine-readable code and a sentence."""

    def __init__(self, detail, *, code="bad_request", status=400, parameter=None):
        super().__init__(detail, code)
        self.detail, self.code, self.status_code, self.parameter = detail, code, status, parameter

    def as_json(self):
        body = {"error": {"code": self.code, "detail": self.detail}}
        if self.parameter:
            body["error"]["parameter"] = self.parameter
        return body


def exception_handler(exc, context):
    """The API's error object for what DRF or a view refuses; None lets anything else
    through (an outage becomes the outage middleware's 503)."""
    headers = None
    if isinstance(exc, MethodNotAllowed):
        exc = ApiError("Only GET is allowed.", code="method_not_allowed", status=405)
        headers = {"Allow": ALLOWED_METHODS}
    elif isinstance(exc, Http404 | NotFound):
        exc = ApiError(str(exc) or "Not found.", code="not_found", status=404)
    elif isinstance(exc, APIException) and not isinstance(exc, ApiError):
        exc = ApiError(str(exc.detail), code=exc.default_code, status=exc.status_code)
    if not isinstance(exc, ApiError):
        return None
    return Response(exc.as_json(), status=exc.status_code, headers=headers)


class ApiRenderer(JSONRenderer):
    """JSON as the API has always written it: UTF-8 as is, Python's default separators."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class JsonWhateverAccept(BaseContentNegotiation):
    """The one renderer, whatever the Accept header asks: the API speaks only JSON."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Cacheable:
    """On a 200: an ETag of the body, Last-Modified if the view gave one, Cache-Control, and
    a 304 instead when the request's If-None-Match or If-Modified-Since matches."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code != 200:
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        response = get_conditional_response(request, etag=etag, last_modified=modified) or response
        response["ETag"] = etag
        if modified:
            response["Last-Modified"] = http_date(modified)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        response["Vary"] = "Accept-Encoding"
        return response


def last_modified(moment):
    """Response headers saying when the answer's record last changed (for Cacheable)."""
    return {"Last-Modified": http_date(moment.timestamp())}


def links(record, absolute, api_name, key="slug"):
    """The absolute URLs of record's answer in the API (api_name, by its slug or the
    field key names) and of its page, as the url and html_url of every answer that
    names it."""
    return {
        "url": absolute(reverse(api_name, args=[getattr(record, key)])),
        "html_url": absolute(record.get_absolute_url()),
    }


def link_fields():
    """The url and html_url fields, in that order, of a serializer describing what
    links() writes."""
    return serializers.URLField(), serializers.URLField()


def translations_field():
    """The translations field of a serializer describing what
    core.translations.translations_json writes."""
    return serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="The texts in other languages: each a language code and the translated "
        "fields (the record's own fields are in its original language).",
    )


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


class ApiView(Cacheable, GenericAPIView):
    """An endpoint of the read-only API: JSON only, no login, and only the parameters of
    its FilterSet and, when paginated, page and page_size."""

    filterset_class = None
    renderer_classes = [ApiRenderer]
    content_negotiation_class = JsonWhateverAccept
    parser_classes = []
    authentication_classes = []
    permission_classes = []

    def known_parameters(self):
        known = set(self.filterset_class.base_filters) if self.filterset_class else set()
        return known | PAGE_PARAMS if self.pagination_class else known

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            check_known(request, self.known_parameters())

    @property
    def default_response_headers(self):
        return {}  # Allow only on a 405 (exception_handler)

    def options(self, request, *args, **kwargs):
        # The CORS headers are added by django-cors-headers.
        return HttpResponse(status=204, content_type="application/json")


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


class ApiPagination(BasePagination):
    """?page and ?page_size; the answer is the envelope (count, page, page_size, num_pages,
    next, previous) with the results. A view may add keys around the results; their schema
    is extra_schema."""

    extra_schema = {}

    def paginate_queryset(self, queryset, request, view=None):
        allowed = settings.ASMHUB_API_MAX_PAGE_SIZE
        page_size = int_param(request, "page_size", settings.ASMHUB_API_PAGE_SIZE, 1, allowed)
        number = int_param(request, "page", 1, 1, None)
        paginator = Paginator(queryset, page_size)
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

        self.envelope = {
            "count": paginator.count,
            "page": number,
            "page_size": page_size,
            "num_pages": paginator.num_pages,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None,
        }
        return page.object_list

    def get_paginated_response(self, data, *, before=(), after=()):
        return Response({**self.envelope, **dict(before), "results": data, **dict(after)})

    def get_paginated_response_schema(self, schema):
        integer, link = {"type": "integer"}, {"type": "string", "format": "uri", "nullable": True}
        envelope = {"count": integer, "page": integer, "page_size": integer}
        envelope |= {"num_pages": integer, "next": link, "previous": link}
        return {
            "type": "object",
            "required": [*envelope, "results", *self.extra_schema],
            "properties": {**envelope, "results": schema, **self.extra_schema},
        }

    def get_schema_operation_parameters(self, view):
        maximum, default = settings.ASMHUB_API_MAX_PAGE_SIZE, settings.ASMHUB_API_PAGE_SIZE
        return [
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {
                "name": "page_size",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
            },
        ]


class StrictFilterBackend(DjangoFilterBackend):
    """The view's FilterSet bound to the query, refusing any value its page would drop
    with a note (an unknown value of a lenient filter, an invalid year): here a 400."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        return None if filterset is None else strict_filterset(filterset)

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs


def strict_filterset(filterset):
    """filterset, after refusing any value its page would drop with a note."""
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


# -- the OpenAPI description of the answers (drf-spectacular) -------------------------------

ERROR = OpenApiResponse(
    inline_serializer(
        "Error",
        {
            "error": inline_serializer(
                "ErrorDetail",
                {
                    "code": serializers.CharField(),
                    "detail": serializers.CharField(),
                    "parameter": serializers.CharField(required=False),
                },
            )
        },
    ),
    description="What was wrong with the request.",
)
CACHE_HEADERS = [
    OpenApiParameter(name, str, OpenApiParameter.HEADER, response=[200])
    for name in ("ETag", "Cache-Control")
]


def answers(serializer):
    """The responses of a GET: the answer (a serializer as is, so that drf-spectacular sees
    a list and documents its filters and pages), 304, or a JSON error (400, 404)."""
    return {
        200: serializer,
        304: OpenApiResponse(description="Not modified since the ETag or date given."),
        400: ERROR,
        404: ERROR,
    }


def operation(operation_id, summary, serializer, parameters=()):
    """The OpenAPI description of an endpoint's GET: its id, summary, the cache headers
    and any other parameters, and its answers (see answers)."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        parameters=[*CACHE_HEADERS, *parameters],
        responses=answers(serializer),
    )


def found(record, detail):
    """record, or a 404 in the API's error object saying detail when there is none."""
    if record is None:
        raise ApiError(detail, code="not_found", status=404)
    return record


def list_operation(operation_id, summary, serializer, parameters=()):
    """A class decorator describing a FilteredListView's GET for the OpenAPI document: a
    list of what serializer describes, with the view's filters and page parameters."""
    return extend_schema_view(
        get=operation(operation_id, summary, serializer(many=True), parameters)
    )


class FilteredListView(ApiView):
    """A paginated list: the view's queryset, filtered strictly by its FilterSet (if it has
    one), in `ordering` (when given; else the queryset's own order), each record written
    by `row(record, absolute)`. A subclass names
    these, and is described for the OpenAPI document by list_operation."""

    filter_backends = [StrictFilterBackend]
    pagination_class = ApiPagination
    ordering = ()

    def row(self, record, absolute):
        """One record of the list as JSON."""
        raise NotImplementedError

    def get(self, request):
        absolute = request.build_absolute_uri
        records = self.filter_queryset(self.get_queryset())
        if self.ordering:
            records = records.order_by(*self.ordering)
        return self.get_paginated_response(
            [self.row(record, absolute) for record in self.paginate_queryset(records)]
        )
