"""Admin of dialogues: stages, stakeholder groups and documents inline."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from resources.admin import CuratorHistoryAdmin, TranslationInline

from .models import Dialogue, DialogueDocument, DialogueTranslation, Participation, Stage


class DialogueTranslationInline(TranslationInline):
    model = DialogueTranslation


class StageInline(admin.TabularInline):
    model = Stage
    extra = 1
    fields = ["kind", "starts_on", "ends_on", "place", "description"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1


class DialogueDocumentInline(admin.TabularInline):
    model = DialogueDocument
    extra = 1
    autocomplete_fields = ["resource"]
    fields = ["role", "resource", "position"]


@admin.register(Dialogue)
class DialogueAdmin(CuratorHistoryAdmin):
    list_display = ["title", "scope", "country", "starts_at", "status"]
    list_filter = ["scope", "status", "themes"]
    search_fields = ["title", "place", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["country", "themes", "organisers", "convenors", "learning_group"]
    list_select_related = ["country"]
    date_hierarchy = "starts_at"
    inlines = [
        DialogueTranslationInline,
        StageInline,
        ParticipationInline,
        DialogueDocumentInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "scope", "status", "summary", "themes"]}),
        (
            _("When and where"),
            {"fields": ["country", "place", "time_zone", "starts_at", "ends_at"]},
        ),
        (
            _("Who"),
            {
                "fields": [
                    "organisers",
                    "convenors",
                    "learning_group",
                    "participant_count",
                    "participant_note",
                ]
            },
        ),
    ]
