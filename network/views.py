"""Public pages of the network: organisations (/organisations/) and news (/news/)."""

import mimetypes

from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from core.filters import ignored_notes
from core.querystrings import query_string
from core.translations import language_tagged
from core.views import FilteredListPage
from resources import labels
from resources.discovery import metadata
from resources.models import Organisation
from resources.pictures import logo_url
from usage.mixins import CountedDetailMixin
from usage.recording import NEWS

from . import querysets
from .filters import PARTNER_CHOICES, NewsFilter, OrganisationFilter
from .models import News

# How many of an organisation's newest resources and news its page lists.
NEWEST_RESOURCES = 5
NEWEST_NEWS = 5


class OrganisationListView(FilteredListPage):
    """Every organisation, filtered by a search, country, kind and partnership, with the
    count beside each filter value."""

    template_name = "network/organisation_list.html"
    context_object_name = "organisations"
    filterset_class = OrganisationFilter

    def listing(self):
        return querysets.organisations_for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        self.filterset.errors  # noqa: B018 - cleans the form
        cleaned = self.filterset.form.cleaned_data
        names = {
            "country": labels.country_names(),
            "kind": dict(Organisation.Kind.choices),
            "partner": dict(PARTNER_CHOICES),
        }
        titles = {"country": _("Country"), "kind": _("Kind"), "partner": _("Partner")}
        facets, chips = [], []
        for name, rows in self.filterset.facet_counts().items():
            chosen = [str(v).lower() for v in cleaned.get(name) or []]
            items = []
            for value, n in rows:
                selected = value.lower() in chosen
                items.append(
                    {
                        "label": names[name].get(value.upper() if name == "country" else value)
                        or value,
                        "count": n,
                        "selected": selected,
                        "url": query_string(
                            params,
                            remove=(name, value) if selected else None,
                            add=None if selected else (name, value),
                        ),
                    }
                )
            facets.append({"name": name, "title": titles[name], "items": items})
            for value in cleaned.get(name) or []:
                label = names[name].get(value) or value
                chips.append(
                    {
                        "label": f"{titles[name]}: {label}",
                        "url": query_string(params, remove=(name, value)),
                    }
                )
        if cleaned.get("q"):
            chips.insert(
                0,
                {
                    "label": _("Search: “%s”") % cleaned["q"],
                    "url": query_string(params, set={"q": None}),
                },
            )
        context.update(
            facets=facets,
            chips=chips,
            notes=ignored_notes(self.filterset),
            search_query=cleaned.get("q") or "",
        )
        return context


def organisation_jsonld(organisation, absolute):
    """A schema.org Organization of an organisation's page."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute(organisation.get_absolute_url()),
    }
    if organisation.acronym:
        data["alternateName"] = organisation.acronym
    if organisation.website:
        data["sameAs"] = organisation.website
    if organisation.description:
        data["description"] = organisation.description
    if organisation.logo:
        data["logo"] = absolute(logo_url(organisation))
    if organisation.country_id:
        data["address"] = {"@type": "PostalAddress", "addressCountry": organisation.country_id}
    return data


class OrganisationDetailView(DetailView):
    """One organisation: what it is, its newest published resources (and a link to all
    of them in the library), its learning groups, dialogues and news."""

    template_name = "network/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.select_related("country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        absolute = self.request.build_absolute_uri
        resources = list(querysets.organisation_resources(organisation)[: NEWEST_RESOURCES + 1])
        listing = reverse("network:organisation-list")
        # As the visible breadcrumbs: the organisations of its country, not the country.
        country = organisation.country
        in_country = [(country.name, f"{listing}?country={country.slug}")] if country else []
        context.update(
            logo_url=logo_url(organisation),
            resources=resources[:NEWEST_RESOURCES],
            more_resources=len(resources) > NEWEST_RESOURCES,
            library_url=reverse("resources:list") + "?organisation=" + organisation.slug,
            groups=querysets.organisation_groups(organisation),
            dialogues=querysets.organisation_dialogues(organisation),
            news=News.objects.about(organisation=organisation)[:NEWEST_NEWS],
            jsonld=[
                organisation_jsonld(organisation, absolute),
                metadata.breadcrumbs_jsonld(
                    [
                        (_("Home"), reverse("home")),
                        (_("Organisations"), listing),
                        *in_country,
                        (organisation.name, organisation.get_absolute_url()),
                    ],
                    absolute,
                ),
            ],
        )
        return context


class NewsListView(FilteredListPage):
    """Published news, newest first, filtered by country and theme."""

    template_name = "network/news_list.html"
    context_object_name = "news_list"
    filterset_class = NewsFilter
    feed = "feeds:news"

    def listing(self):
        return News.objects.for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = News.objects.published()
        country_names = labels.country_names()
        countries = published.values_list("countries", flat=True).distinct()
        context.update(
            # Only the countries and themes some published news is about.
            country_choices=sorted(
                ((code, country_names.get(code, code)) for code in countries if code),
                key=lambda pair: str(pair[1]),
            ),
            theme_choices=published.filter(themes__isnull=False)
            .values_list("themes__slug", "themes__name")
            .distinct()
            .order_by("themes__name"),
            selected=self.filterset.form.cleaned_data if self.filterset.is_bound else {},
            notes=ignored_notes(self.filterset),
        )
        return context


class NewsDetailView(CountedDetailMixin, DetailView):
    """One published news item with what it links to."""

    template_name = "network/news_detail.html"
    context_object_name = "item"
    usage_kind = NEWS

    def get_queryset(self):
        return News.objects.for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, absolute = self.object, self.request.build_absolute_uri
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": language_tagged(item, "title"),
            "inLanguage": item.language,
            "url": absolute(item.get_absolute_url()),
            "datePublished": item.published_at.isoformat() if item.published_at else None,
        }
        if item.organisation:
            data["publisher"] = {"@type": "Organization", "name": item.organisation.name}
        if item.image:
            data["image"] = absolute(reverse("network:news-image", args=[item.slug]))
        context["jsonld"] = [data]
        return context


def _picture(field):
    """The stored picture of field (cleaned when it was saved), inline, kept a day by
    browsers and proxies: uploads are never served from /media/."""
    if not field:
        raise Http404
    try:
        handle = field.storage.open(field.name, "rb")
    except (FileNotFoundError, OSError) as e:
        raise Http404 from e
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def organisation_logo(request, slug):
    """The logo's former address: a permanent redirect to /logos/<slug>.webp, where
    resources.pictures serves it."""
    return HttpResponsePermanentRedirect(reverse("logo", args=[slug]))


def news_image(request, slug):
    """The picture of a published news item."""
    return _picture(get_object_or_404(News.objects.published().only("image"), slug=slug).image)
