"""The API's index, its OpenAPI document (generated from the views by drf-spectacular) and
its human documentation (Swagger UI from drf-spectacular-sidecar's own files)."""

from django.urls import reverse
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.response import Response

from core.api import ApiView, Cacheable, operation


class IndexSerializer(serializers.Serializer):
    openapi = serializers.URLField()
    docs = serializers.URLField()
    endpoints = serializers.DictField(child=serializers.URLField())


class Index(ApiView):
    """Where each endpoint lives: every list under /api/, the OpenAPI document and the
    documentation."""

    @operation("index", "Where each endpoint lives", IndexSerializer)
    def get(self, request):
        absolute = request.build_absolute_uri
        return Response(
            {
                "openapi": absolute(reverse("api:openapi")),
                "docs": absolute(reverse("api:docs")),
                "endpoints": {
                    reverse(f"api:{name}"): absolute(reverse(f"api:{name}")) for name in lists()
                },
            }
        )


def lists():
    """The names of the API's endpoints without a parameter in the path, in URL order."""
    from .api_urls import urlpatterns

    return [
        pattern.name
        for pattern in urlpatterns
        if "<" not in str(pattern.pattern)
        and issubclass(getattr(pattern.callback, "view_class", object), ApiView)
        and pattern.callback.view_class is not Index
    ]


class OpenApi(Cacheable, SpectacularJSONAPIView):
    """The OpenAPI 3 document of the whole API, with an ETag like every answer."""


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI over the OpenAPI document; its start-up script is a file of its own
    (?script), as the Content-Security-Policy allows no inline script or style."""

    template_name = "api/docs.html"
    url_name = "api:openapi"
