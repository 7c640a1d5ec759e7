"""Admin of learning groups and Outlooks: members, meetings and indicators inline."""

from django.contrib import admin

from resources.admin import CuratorHistoryAdmin, TranslationInline

from .models import (
    LearningGroup,
    LearningGroupTranslation,
    Meeting,
    Membership,
    OutlookIndicator,
    OutlookReport,
    OutlookReportTranslation,
)


class LearningGroupTranslationInline(TranslationInline):
    model = LearningGroupTranslation


class OutlookReportTranslationInline(TranslationInline):
    model = OutlookReportTranslation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "stakeholder_group", "role", "person_name", "name_consent"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    autocomplete_fields = ["documents"]
    fields = [("date", "place"), "purpose", "summary", "documents"]


@admin.register(LearningGroup)
class LearningGroupAdmin(CuratorHistoryAdmin):
    list_display = ["name", "country", "status", "started_on"]
    list_filter = ["status"]
    search_fields = ["name", "description", "country__code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "convenors", "outputs"]
    list_select_related = ["country"]
    inlines = [LearningGroupTranslationInline, MembershipInline, MeetingInline]


class OutlookIndicatorInline(admin.TabularInline):
    model = OutlookIndicator
    extra = 1
    fields = ["indicator", "value", "low", "high", "text_value", "unit", "source", "year"]


@admin.register(OutlookReport)
class OutlookReportAdmin(CuratorHistoryAdmin):
    list_display = ["__str__", "country", "year", "is_sample", "document"]
    list_filter = ["year", "is_sample"]
    search_fields = ["title", "country__code"]
    autocomplete_fields = ["country", "document"]
    list_select_related = ["country", "document"]
    inlines = [OutlookReportTranslationInline, OutlookIndicatorInline]
