"""Read-only JSON of the learning groups and the National ASM Outlooks under /api/, on the
library API's contract (core.api.api_view: strict parameters, ETag, CORS).

A member's person name is given only when they consented to it being public, exactly as on
the group's page; resources are only ever the published ones the querysets prefetch.
"""

from django.urls import reverse

from core.api import ApiError, api_view, check_known, paginate, strict_filterset
from resources.discovery.api import country_ref, organisation_ref, resource_ref

from .filters import LearningGroupFilter, OutlookFilter
from .models import LearningGroup, OutlookReport

GROUP_PARAMS = set(LearningGroupFilter.base_filters) | {"page", "page_size"}
OUTLOOK_PARAMS = set(OutlookFilter.base_filters) | {"page", "page_size"}


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
        "url": absolute(reverse("api:learning-group", args=[group.slug])),
        "html_url": absolute(group.get_absolute_url()),
    }


def learning_group_json(group, absolute):
    """A group as listed; reads the listing's annotations and prefetched convenors."""
    return {
        **learning_group_ref(group, absolute),
        "country": country_ref(group.country, absolute),
        "status": group.status,
        "status_label": str(group.get_status_display()),
        "description": group.description,
        "started_on": _date(group.started_on),
        "ended_on": _date(group.ended_on),
        "convenors": [organisation_ref(o, absolute) for o in group.convenors.all()],
        "updated_at": group.updated_at.isoformat(),
    }


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


def meeting_json(meeting, absolute):
    return {
        "date": meeting.date.isoformat(),
        "place": meeting.place,
        "purpose": meeting.purpose,
        "summary": meeting.summary,
        "documents": [resource_ref(r, absolute) for r in meeting.public_documents],
    }


@api_view
def learning_group_list(request):
    """Learning groups by name: the list page's filters (country, status), strict."""
    check_known(request, GROUP_PARAMS)
    absolute = request.build_absolute_uri
    filterset = strict_filterset(
        LearningGroupFilter(request.GET, queryset=LearningGroup.objects.for_listing())
    )
    page, envelope = paginate(request, filterset.qs.order_by("name", "pk"))
    return {
        **envelope,
        "results": [
            {
                **learning_group_json(g, absolute),
                "member_count": g.member_count,
                "meeting_count": g.meeting_count,
            }
            for g in page.object_list
        ],
    }


@api_view
def learning_group_detail(request, slug):
    """One learning group with its members, meetings, outputs, dialogues and Outlooks."""
    check_known(request, set())
    absolute = request.build_absolute_uri
    group = LearningGroup.objects.for_detail().filter(slug=slug).first()
    if group is None:
        raise ApiError(f"No learning group {slug[:60]!r}.", code="not_found", status=404)
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
                "url": absolute(reverse("api:dialogue", args=[d.slug])),
                "html_url": absolute(d.get_absolute_url()),
            }
            for d in group.dialogues.order_by("starts_at", "pk")
        ],
        "outlooks": [
            {"year": year, "url": absolute(f"{outlooks_url}&year={year}")}
            for year in OutlookReport.objects.filter(country=group.country).years()
        ],
    }
    return data, group.updated_at


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


def outlook_json(report, absolute):
    document = report.public_document
    return {
        "country": country_ref(report.country, absolute),
        "year": report.year,
        "title": str(report),
        "summary": report.summary,
        "is_sample": report.is_sample,
        "html_url": absolute(report.get_absolute_url()),
        "document": resource_ref(document, absolute) if document else None,
        "indicators": [indicator_json(i) for i in report.indicators.all()],
        "updated_at": report.updated_at.isoformat(),
    }


@api_view
def outlook_list(request):
    """National ASM Outlooks with their indicators, newest year first; ?country, ?year."""
    check_known(request, OUTLOOK_PARAMS)
    absolute = request.build_absolute_uri
    filterset = strict_filterset(
        OutlookFilter(request.GET, queryset=OutlookReport.objects.with_indicators())
    )
    page, envelope = paginate(request, filterset.qs.order_by("-year", "country", "pk"))
    return {**envelope, "results": [outlook_json(r, absolute) for r in page.object_list]}
