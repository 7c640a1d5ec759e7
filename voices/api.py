"""Read-only JSON of the published voices under /api/, on the library API's contract
(core.api.ApiView: strict parameters, ETag). A voice that is not published is not found;
answers are revalidated on every use (no-cache), so a withdrawn voice leaves caches too."""

from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

from core import api
from resources.discovery.api import CountryRefSerializer, TermSerializer, country_ref

from .filters import VoiceFilter
from .models import Voice


def voice_json(voice, absolute):
    """A published voice; reads the listing's joined country, commodity and themes."""

    def link(name):
        return absolute(reverse(f"voices:{name}", args=[voice.pk]))

    return {
        "id": voice.pk,
        **api.links(voice, absolute, "api:voice", key="pk"),
        "text": voice.text,
        "name": voice.speaker,
        "role": voice.role or None,
        "role_label": str(voice.get_role_display()) if voice.role else None,
        "source": voice.source,
        "country": country_ref(voice.country, absolute) if voice.country else None,
        "commodity": {"slug": voice.commodity.slug, "name": voice.commodity.name}
        if voice.commodity
        else None,
        "themes": [{"slug": t.slug, "name": t.name} for t in voice.themes.all()],
        "photo_url": link("photo") if voice.photo else None,
        "photo_description": voice.photo_description,
        "audio_url": link("audio") if voice.audio else None,
        "audio_type": voice.audio_type or None,
        "transcript": voice.transcript,
        "learning_group": voice.learning_group.slug if voice.learning_group else None,
        "dialogue": voice.dialogue.slug if voice.dialogue else None,
        "published_at": voice.published_at.isoformat() if voice.published_at else None,
    }


class VoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url, html_url = api.link_fields()
    text = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="Null when anonymous.")
    role = serializers.ChoiceField(Voice.Role.choices, allow_null=True)
    role_label = serializers.CharField(allow_null=True)
    source = serializers.ChoiceField(Voice.Source.choices)
    country = CountryRefSerializer(allow_null=True)
    commodity = TermSerializer(allow_null=True)
    themes = TermSerializer(many=True)
    photo_url = serializers.URLField(allow_null=True)
    photo_description = serializers.CharField()
    audio_url = serializers.URLField(allow_null=True)
    audio_type = serializers.CharField(allow_null=True)
    transcript = serializers.CharField()
    learning_group = serializers.CharField(allow_null=True, help_text="Its slug.")
    dialogue = serializers.CharField(allow_null=True, help_text="Its slug.")
    published_at = serializers.DateTimeField(allow_null=True)


class Revalidated:
    """Caches may keep an answer but must ask again before each use."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code in (200, 304):
            response["Cache-Control"] = "public, no-cache"
        return response


@api.list_operation(
    "listVoices",
    "Published miners' voices, newest first: the voice list's filters",
    VoiceSerializer,
)
class VoiceList(Revalidated, api.FilteredListView):
    """Published voices, newest first: the voice list's filters, strict."""

    filterset_class = VoiceFilter
    queryset = Voice.objects.for_listing()
    row = staticmethod(voice_json)


class VoiceDetail(Revalidated, api.ApiView):
    """One published voice."""

    @api.operation("getVoice", "One published voice", VoiceSerializer)
    def get(self, request, pk):
        voice = api.found(
            Voice.objects.for_detail().filter(pk=pk).first(), f"No published voice {pk}."
        )
        return Response(
            voice_json(voice, request.build_absolute_uri),
            headers=api.last_modified(voice.updated_at),
        )
