"""Read-only JSON of the news under /api/news/, on the library API's contract
(core.api.ApiView: strict parameters, ETag): the list page's filters, published news
only, each answer described for the OpenAPI document by the serializer beside it.
(Organisations are answered by resources.discovery.api.)"""

from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

from core.api import (
    ApiView,
    FilteredListView,
    found,
    last_modified,
    link_fields,
    links,
    list_operation,
    operation,
    translations_field,
)
from core.translations import translations_json
from resources.discovery.api import (
    CountryRefSerializer,
    OrganisationRefSerializer,
    ResourceRefSerializer,
    country_ref,
    organisation_ref,
    resource_ref,
)

from .filters import NewsFilter
from .models import News


def news_json(item, absolute):
    """A news item as listed: reads the listing's organisation and countries."""
    return {
        "slug": item.slug,
        **links(item, absolute, "api:news-item"),
        "title": item.title,
        "language": item.language,
        "translations": translations_json(item),
        "organisation": organisation_ref(item.organisation, absolute)
        if item.organisation
        else None,
        "countries": [country_ref(c, absolute) for c in item.countries.all()],
        "image_url": absolute(reverse("network:news-image", args=[item.slug]))
        if item.image
        else None,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "updated_at": item.updated_at.isoformat(),
    }


class NewsSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url, html_url = link_fields()
    title = serializers.CharField()
    language = serializers.CharField(help_text="The language code the news is written in.")
    translations = translations_field()
    organisation = OrganisationRefSerializer(allow_null=True)
    countries = CountryRefSerializer(many=True)
    image_url = serializers.URLField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class NewsDetailSerializer(NewsSerializer):
    text = serializers.CharField(help_text="The Markdown as written.")
    html = serializers.CharField(help_text="The text as sanitised HTML.")
    themes = serializers.ListField(child=serializers.CharField(), help_text="Theme slugs.")
    resources = ResourceRefSerializer(many=True)


@list_operation("listNews", "Published news, newest first: the news page's filters", NewsSerializer)
class NewsList(FilteredListView):
    """Published news, newest first: the news page's filters (country, theme), strict."""

    filterset_class = NewsFilter
    queryset = News.objects.for_listing()
    row = staticmethod(news_json)


class NewsDetail(ApiView):
    """One published news item with its text and the resources it links to."""

    @operation("getNews", "One published news item", NewsDetailSerializer)
    def get(self, request, slug):
        absolute = request.build_absolute_uri
        item = found(
            News.objects.for_detail().filter(slug=slug).first(), f"No news item {slug[:60]!r}."
        )
        data = {
            **news_json(item, absolute),
            "text": item.body,
            "html": item.body_html,
            "themes": [theme.slug for theme in item.themes.all()],
            "resources": [resource_ref(r, absolute) for r in item.public_resources],
        }
        return Response(data, headers=last_modified(item.updated_at))
