"""Admin of the library: every model, searchable, filterable, with autocomplete."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Commodity,
    Country,
    Organisation,
    Resource,
    ResourceAuthor,
    Subscription,
    Theme,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "is_programme_country", "est_asm_miners"]
    list_filter = ["is_programme_country", "region"]
    search_fields = ["code", "region"]
    ordering = ["code"]

    def get_search_results(self, request, queryset, search_term):
        """Also find a country by its name, which lives in django-countries, not the table."""
        from django_countries import countries

        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            codes = [code for code, name in countries if search_term.lower() in name.lower()]
            queryset |= self.model.objects.filter(code__in=codes)
        return queryset, may_have_duplicates


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
    pass


@admin.register(Commodity)
class CommodityAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["parent"]


class ResourceAuthorInline(admin.TabularInline):
    model = ResourceAuthor
    extra = 1
    fields = ["position", "name", "is_organisation"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "resource_type", "status", "owner", "download_count"]
    list_filter = ["status", "resource_type", "language", "is_open_access", "year", "themes"]
    search_fields = ["title", "summary", "slug", "doi", "isbn", "publisher_code", "authors__name"]
    autocomplete_fields = ["countries", "themes", "commodities", "owner"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["download_count", "file_size", "created_at", "updated_at", "published_at"]
    date_hierarchy = "created_at"
    inlines = [ResourceAuthorInline]
    list_select_related = ["owner"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "resource_type", "language", "status"]}),
        (
            _("Publication"),
            {"fields": ["publisher", "year", "date", "owner", "licence", "is_open_access"]},
        ),
        (_("Subject"), {"fields": ["countries", "themes", "commodities", "tags"]}),
        (_("File and link"), {"fields": ["file", "file_size", "external_url"]}),
        (_("Identifiers"), {"fields": ["doi", "isbn", "publisher_code"]}),
        (
            _("Record"),
            {
                "fields": [
                    "source_note",
                    "is_demo",
                    "download_count",
                    "created_at",
                    "updated_at",
                    "published_at",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """E-mail alerts: curators can see and remove them (e.g. on request), not invent them."""

    list_display = ["email", "query", "frequency", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "query"]
    readonly_fields = ["email", "query", "created_at", "confirmed_at", "sent_until", "last_sent_at"]

    def has_add_permission(self, request):
        # Only the address's owner may subscribe it (double opt-in).
        return False
