"""Read-only JSON of the dialogues under /api/, on the library API's contract
(core.api.ApiView: strict parameters, ETag), each answer described for the OpenAPI
document by the serializer beside the function that writes it. Documents are only the
published resources the detail queryset prefetches."""

from rest_framework import serializers
from rest_framework.response import Response

from core import api
from core.translations import translations_json
from learning_groups.api import LearningGroupRefSerializer, learning_group_ref
from learning_groups.models import StakeholderGroup
from resources.discovery.api import (
    CountryRefSerializer,
    OrganisationRefSerializer,
    ResourceRefSerializer,
    TermSerializer,
    country_ref,
    organisation_ref,
    resource_ref,
)

from .filters import DialogueFilter
from .models import Dialogue, DialogueDocument, Stage


def dialogue_json(dialogue, absolute):
    """A dialogue as listed; reads the listing's joined country, group and themes.
    Times are given in the place's time zone, with its offset."""
    return {
        "uid": str(dialogue.uid),
        "slug": dialogue.slug,
        **api.links(dialogue, absolute, "api:dialogue"),
        "calendar_url": absolute(dialogue.get_calendar_url()),
        "title": dialogue.title,
        "scope": dialogue.scope,
        "scope_label": str(dialogue.get_scope_display()),
        "status": dialogue.status,
        "status_label": str(dialogue.get_status_display()),
        "country": country_ref(dialogue.country, absolute) if dialogue.country else None,
        "place": dialogue.place,
        "time_zone": dialogue.time_zone,
        "starts_at": dialogue.local_start.isoformat(),
        "ends_at": dialogue.local_end.isoformat(),
        # False when the sources give only the days: then only the dates mean anything.
        "times_known": dialogue.times_known,
        "start_date": dialogue.local_start.date().isoformat(),
        "end_date": dialogue.local_end.date().isoformat(),
        "summary": dialogue.summary,
        "translations": translations_json(dialogue),
        "themes": [{"slug": t.slug, "name": t.name} for t in dialogue.themes.all()],
        "learning_group": learning_group_ref(dialogue.learning_group, absolute)
        if dialogue.learning_group
        else None,
        "updated_at": dialogue.updated_at.isoformat(),
    }


class DialogueSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    slug = serializers.CharField()
    url, html_url = api.link_fields()
    calendar_url = serializers.URLField()
    title = serializers.CharField()
    scope = serializers.ChoiceField(Dialogue.Scope.choices)
    scope_label = serializers.CharField()
    status = serializers.ChoiceField(Dialogue.Status.choices)
    status_label = serializers.CharField()
    country = CountryRefSerializer(allow_null=True)
    place = serializers.CharField()
    time_zone = serializers.CharField()
    starts_at = serializers.DateTimeField(help_text="In the place's time zone.")
    ends_at = serializers.DateTimeField()
    times_known = serializers.BooleanField(
        help_text="False when only the days are known: use the dates."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    summary = serializers.CharField()
    translations = api.translations_field()
    themes = TermSerializer(many=True)
    learning_group = LearningGroupRefSerializer(allow_null=True)
    updated_at = serializers.DateTimeField()


@api.list_operation(
    "listDialogues",
    "Dialogues, latest start first: the dialogue list's filters",
    DialogueSerializer,
)
class DialogueList(api.FilteredListView):
    """Dialogues, latest start first: the list page's filters (scope, country, theme,
    year), strict."""

    queryset = Dialogue.objects.for_listing()
    filterset_class = DialogueFilter
    ordering = ("-starts_at", "title", "pk")
    row = staticmethod(dialogue_json)


class ParticipationSerializer(serializers.Serializer):
    stakeholder_group = serializers.ChoiceField(StakeholderGroup.choices)
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)


class StageSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(Stage.Kind.choices)
    label = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    place = serializers.CharField()
    description = serializers.CharField()


class DialogueDocumentSerializer(serializers.Serializer):
    role = serializers.ChoiceField(DialogueDocument.Role.choices)
    role_label = serializers.CharField()
    resource = ResourceRefSerializer()


class DialogueDetailSerializer(DialogueSerializer):
    organisers = OrganisationRefSerializer(many=True)
    convenors = OrganisationRefSerializer(many=True)
    participant_count = serializers.IntegerField(allow_null=True)
    participant_note = serializers.CharField()
    participation = ParticipationSerializer(many=True)
    stages = StageSerializer(many=True)
    documents = DialogueDocumentSerializer(many=True)


class DialogueDetail(api.ApiView):
    """One dialogue with its organisers, who sat at the table, stages and documents."""

    @api.operation(
        "getDialogue",
        "One dialogue: organisers, who sat at the table, stages, documents",
        DialogueDetailSerializer,
    )
    def get(self, request, slug):
        absolute = request.build_absolute_uri
        dialogue = api.found(
            Dialogue.objects.for_detail().filter(slug=slug).first(), f"No dialogue {slug[:60]!r}."
        )
        data = {
            **dialogue_json(dialogue, absolute),
            "organisers": [organisation_ref(o, absolute) for o in dialogue.organisers.all()],
            "convenors": [organisation_ref(o, absolute) for o in dialogue.convenors.all()],
            "participant_count": dialogue.participant_count,
            "participant_note": dialogue.participant_note,
            "participation": [
                {
                    "stakeholder_group": row.stakeholder_group,
                    "label": str(row.get_stakeholder_group_display()),
                    "count": row.count,
                }
                for row in dialogue.participation.all()
            ],
            "stages": [
                {
                    "kind": stage.kind,
                    "label": str(stage.get_kind_display()),
                    "starts_on": stage.starts_on.isoformat(),
                    "ends_on": stage.ends_on.isoformat() if stage.ends_on else None,
                    "place": stage.place,
                    "description": stage.description,
                }
                for stage in dialogue.stages.all()
            ],
            "documents": [
                {
                    "role": document.role,
                    "role_label": str(document.get_role_display()),
                    "resource": resource_ref(document.resource, absolute),
                }
                for document in dialogue.public_documents
            ],
        }
        return Response(data, headers=api.last_modified(dialogue.updated_at))
