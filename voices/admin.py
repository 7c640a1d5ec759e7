"""The curators' desk for voices: the moderation queue (every shared voice waits there),
editing for safety, publishing, rejecting with a private reason, withdrawing, and voices
gathered in person at learning-group meetings and dialogues. Files a curator uploads are
stripped of their metadata as the public form's are."""

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources.admin import CuratorHistoryAdmin
from resources.search.version import bump_version

from . import media, services
from .models import Voice


class VoiceAdminForm(forms.ModelForm):
    consent_recorded = forms.BooleanField(
        label=_("Consent to publish recorded"),
        required=False,
        help_text=_("For a voice gathered in person: the person agreed to publication."),
    )

    class Meta:
        model = Voice
        fields = [
            "text",
            "transcript",
            "themes",
            "naming",
            "name",
            "role",
            "country",
            "commodity",
            "photo",
            "photo_description",
            "audio",
            "learning_group",
            "meeting",
            "dialogue",
            "rejection_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_recorded"].initial = bool(self.instance.consent_at)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            return media.clean_photo(photo)
        return photo

    def clean_audio(self):
        audio = self.cleaned_data.get("audio")
        if isinstance(audio, UploadedFile):
            audio, self.instance.audio_type = media.clean_audio(audio)
        return audio

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_recorded") and not self.instance.consent_at:
            self.instance.consent_at = timezone.now()
        if self.instance.status == Voice.Status.WITHDRAWN:
            raise forms.ValidationError(_("A withdrawn voice cannot be edited."))
        return cleaned


@admin.register(Voice)
class VoiceAdmin(CuratorHistoryAdmin):
    form = VoiceAdminForm
    list_display = ["__str__", "status", "role", "country", "source", "submitted_at"]
    list_filter = ["status", "source", "role", "country"]
    search_fields = ["text", "name", "transcript"]
    list_select_related = ["country"]
    autocomplete_fields = ["country", "commodity", "themes", "learning_group", "dialogue"]
    readonly_fields = [
        "status",
        "source",
        "consent_at",
        "submitted_at",
        "published_at",
        "withdrawn_at",
        "audio_type",
        "language",
    ]
    date_hierarchy = "submitted_at"
    actions = ["publish", "reject", "withdraw"]
    fieldsets = [
        (None, {"fields": ["status", "source", "text", "transcript", "themes"]}),
        (_("Who"), {"fields": ["naming", "name", "role", "country", "commodity"]}),
        (_("Files"), {"fields": ["photo", "photo_description", "audio", "audio_type"]}),
        (_("Gathered at"), {"fields": ["learning_group", "meeting", "dialogue"]}),
        (
            _("Moderation"),
            {
                "fields": [
                    "consent_recorded",
                    "consent_at",
                    "rejection_reason",
                    "language",
                    "submitted_at",
                    "published_at",
                    "withdrawn_at",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Voice.Source.IN_PERSON
        super().save_model(request, obj, form, change)
        if obj.status == Voice.Status.PUBLISHED:
            bump_version()

    @admin.action(description=_("Publish the selected voices"))
    def publish(self, request, queryset):
        done = 0
        for voice in queryset.exclude(status=Voice.Status.WITHDRAWN):
            if voice.consent_at is None:
                self.message_user(
                    request,
                    _("%(voice)s has no consent recorded; it was not published.")
                    % {"voice": voice},
                    messages.WARNING,
                )
                continue
            services.voice_publish(voice=voice)
            done += 1
        self.message_user(
            request, ngettext("%d voice published.", "%d voices published.", done) % done
        )

    @admin.action(description=_("Reject the selected voices (with the reason in each)"))
    def reject(self, request, queryset):
        voices = list(queryset.exclude(status=Voice.Status.WITHDRAWN))
        for voice in voices:
            services.voice_reject(voice=voice, reason=voice.rejection_reason)
        done = len(voices)
        self.message_user(
            request, ngettext("%d voice rejected.", "%d voices rejected.", done) % done
        )

    @admin.action(description=_("Withdraw the selected voices (deletes text and files)"))
    def withdraw(self, request, queryset):
        voices = list(queryset.exclude(status=Voice.Status.WITHDRAWN))
        for voice in voices:
            services.voice_withdraw(voice=voice)
        done = len(voices)
        self.message_user(
            request, ngettext("%d voice withdrawn.", "%d voices withdrawn.", done) % done
        )
