"""Read-only JSON of the learning groups and the National ASM Outlooks under /api/, on the
library API's contract (core.api.ApiView: strict parameters, ETag), each answer described
for the OpenAPI document by the serializer beside the function that writes it.

A member's person name is given only when they consented to it being public, exactly as on
the group's page; resources are only ever the published ones the querysets prefetch.
"""

from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

from core import api
from core.translations import translations_json
from resources.discovery.api import (
    CountryRefSerializer,
    OrganisationRefSerializer,
    ResourceRefSerializer,
    country_ref,
    organisation_ref,
    resource_ref,
)

from .filters import LearningGroupFilter, OutlookFilter
from .models import Indicator, LearningGroup, Membership, OutlookReport, StakeholderGroup


def number(value):
    """A stored decimal as a JSON number: whole numbers as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value):
    return value.isoformat() if value else None


def learning_group_ref(group, absolute):
    return {
        "slug": group.slug,
        "name": group.name,
        **api.links(group, absolute, "api:learning-group"),
    }


class LearningGroupRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url, html_url = api.link_fields()


def learning_group_json(group, absolute):
    """A group as listed; reads the listing's annotations and prefetched convenors."""
    return {
        **learning_group_ref(group, absolute),
        "country": country_ref(group.country, absolute),
        "status": group.status,
        "status_label": str(group.get_status_display()),
        "description": group.description,
        "translations": translations_json(group),
        "started_on": _date(group.started_on),
        "ended_on": _date(group.ended_on),
        "convenors": [organisation_ref(o, absolute) for o in group.convenors.all()],
        "updated_at": group.updated_at.isoformat(),
    }


class LearningGroupSerializer(LearningGroupRefSerializer):
    country = CountryRefSerializer()
    status = serializers.ChoiceField(LearningGroup.Status.choices)
    status_label = serializers.CharField()
    description = serializers.CharField()
    translations = api.translations_field()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    convenors = OrganisationRefSerializer(many=True)
    updated_at = serializers.DateTimeField()


class LearningGroupListedSerializer(LearningGroupSerializer):
    member_count = serializers.IntegerField()
    meeting_count = serializers.IntegerField()


def membership_json(member, absolute):
    return {
        "organisation": organisation_ref(member.organisation, absolute),
        "stakeholder_group": member.stakeholder_group,
        "stakeholder_group_label": str(member.get_stakeholder_group_display()),
        "role": member.role,
        "role_label": str(member.get_role_display()),
        # Only with the person's recorded consent, as on the public page.
        "person_name": member.public_person_name or None,
    }


class MembershipSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    stakeholder_group = serializers.ChoiceField(StakeholderGroup.choices)
    stakeholder_group_label = serializers.CharField()
    role = serializers.ChoiceField(Membership.Role.choices)
    role_label = serializers.CharField()
    person_name = serializers.CharField(
        allow_null=True, help_text="Only when the person consented."
    )


def meeting_json(meeting, absolute):
    return {
        "date": meeting.date.isoformat(),
        "place": meeting.place,
        "purpose": meeting.purpose,
        "summary": meeting.summary,
        "documents": [resource_ref(r, absolute) for r in meeting.public_documents],
    }


class MeetingSerializer(serializers.Serializer):
    date = serializers.DateField()
    place = serializers.CharField()
    purpose = serializers.CharField()
    summary = serializers.CharField()
    documents = ResourceRefSerializer(many=True)


@api.list_operation(
    "listLearningGroups", "Learning groups by name, paginated", LearningGroupListedSerializer
)
class LearningGroupList(api.FilteredListView):
    """Learning groups by name: the list page's filters (country, status), strict."""

    queryset = LearningGroup.objects.for_listing()
    filterset_class = LearningGroupFilter
    ordering = ("name", "pk")

    def row(self, group, absolute):
        return {
            **learning_group_json(group, absolute),
            "member_count": group.member_count,
            "meeting_count": group.meeting_count,
        }


class DialogueMentionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    status = serializers.CharField()
    url, html_url = api.link_fields()


class OutlookYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    url = serializers.URLField()


class LearningGroupDetailSerializer(LearningGroupSerializer):
    members = MembershipSerializer(many=True)
    meetings = MeetingSerializer(many=True)
    outputs = ResourceRefSerializer(many=True)
    dialogues = DialogueMentionSerializer(many=True)
    outlooks = OutlookYearSerializer(many=True)


class LearningGroupDetail(api.ApiView):
    """One learning group with its members, meetings, outputs, dialogues and Outlooks."""

    @api.operation(
        "getLearningGroup",
        "One learning group: members (named only with consent), meetings, outputs, "
        "dialogues and Outlooks",
        LearningGroupDetailSerializer,
    )
    def get(self, request, slug):
        absolute = request.build_absolute_uri
        group = api.found(
            LearningGroup.objects.for_detail().filter(slug=slug).first(),
            f"No learning group {slug[:60]!r}.",
        )
        outlooks_url = reverse("api:outlooks") + f"?country={group.country.slug}"
        data = {
            **learning_group_json(group, absolute),
            "members": [membership_json(m, absolute) for m in group.memberships.all()],
            "meetings": [meeting_json(m, absolute) for m in group.meetings.all()],
            "outputs": [resource_ref(r, absolute) for r in group.public_outputs],
            # The reverse accessor keeps learning_groups free of an import of dialogues.
            "dialogues": [
                {
                    "slug": d.slug,
                    "title": d.title,
                    "start_date": d.local_start.date().isoformat(),
                    "status": d.status,
                    **api.links(d, absolute, "api:dialogue"),
                }
                for d in group.dialogues.order_by("starts_at", "pk")
            ],
            "outlooks": [
                {"year": year, "url": absolute(f"{outlooks_url}&year={year}")}
                for year in OutlookReport.objects.filter(country=group.country).years()
            ],
        }
        return Response(data, headers=api.last_modified(group.updated_at))


def indicator_json(indicator):
    return {
        "indicator": indicator.indicator,
        "label": str(indicator.get_indicator_display()),
        "is_text": indicator.is_text,
        "value": number(indicator.value),
        "low": number(indicator.low),
        "high": number(indicator.high),
        "text_value": indicator.text_value or None,
        "unit": indicator.unit,
        "source": indicator.source,
        "year": indicator.year,
        "is_sample": indicator.is_sample,
    }


class IndicatorSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(Indicator.choices)
    label = serializers.CharField()
    is_text = serializers.BooleanField()
    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    text_value = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    source = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    is_sample = serializers.BooleanField(help_text="Illustrative, not sourced.")


def outlook_json(report, absolute):
    document = report.public_document
    return {
        "country": country_ref(report.country, absolute),
        "year": report.year,
        "title": str(report),
        "summary": report.summary,
        "translations": translations_json(report),
        "is_sample": report.is_sample,
        "html_url": absolute(report.get_absolute_url()),
        "document": resource_ref(document, absolute) if document else None,
        "indicators": [indicator_json(i) for i in report.indicators.all()],
        "updated_at": report.updated_at.isoformat(),
    }


class OutlookSerializer(serializers.Serializer):
    country = CountryRefSerializer()
    year = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    translations = api.translations_field()
    is_sample = serializers.BooleanField()
    html_url = serializers.URLField()
    document = ResourceRefSerializer(allow_null=True)
    indicators = IndicatorSerializer(many=True)
    updated_at = serializers.DateTimeField()


@api.list_operation(
    "listOutlooks",
    "National ASM Outlooks with their indicators, newest year first",
    OutlookSerializer,
)
class OutlookList(api.FilteredListView):
    """National ASM Outlooks with their indicators, newest year first; ?country, ?year."""

    queryset = OutlookReport.objects.for_reading()
    filterset_class = OutlookFilter
    ordering = ("-year", "country", "pk")
    row = staticmethod(outlook_json)
