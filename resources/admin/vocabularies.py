"""The controlled vocabularies: countries, themes and commodities (curators only)."""

from django.contrib import admin

from resources.models import (
    Commodity,
    Country,
    CountryTranslation,
    Theme,
)

from .translations import TranslationInline


class CountryTranslationInline(TranslationInline):
    model = CountryTranslation


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "is_programme_country", "est_asm_miners"]
    list_filter = ["is_programme_country", "region"]
    search_fields = ["code", "region"]
    ordering = ["code"]
    inlines = [CountryTranslationInline]

    def get_search_results(self, request, queryset, search_term):
        """Also find a country by its name, which lives in django-countries, not the table."""
        from django_countries import countries

        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            codes = [code for code, name in countries if search_term.lower() in name.lower()]
            queryset |= self.model.objects.filter(code__in=codes)
        return queryset, may_have_duplicates


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
