"""Read-only JSON of the dialogues under /api/, on the library API's contract
(core.api.api_view: strict parameters, ETag, CORS). Documents are only the published
resources the detail queryset prefetches."""

from django.urls import reverse

from core.api import ApiError, api_view, check_known, paginate, strict_filterset
from learning_groups.api import learning_group_ref
from resources.discovery.api import country_ref, organisation_ref, resource_ref

from .filters import DialogueFilter
from .models import Dialogue

DIALOGUE_PARAMS = set(DialogueFilter.base_filters) | {"page", "page_size"}


def dialogue_json(dialogue, absolute):
    """A dialogue as listed; reads the listing's joined country, group and themes.
    Times are given in the place's time zone, with its offset."""
    return {
        "uid": str(dialogue.uid),
        "slug": dialogue.slug,
        "url": absolute(reverse("api:dialogue", args=[dialogue.slug])),
        "html_url": absolute(dialogue.get_absolute_url()),
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
        "themes": [{"slug": t.slug, "name": t.name} for t in dialogue.themes.all()],
        "learning_group": learning_group_ref(dialogue.learning_group, absolute)
        if dialogue.learning_group
        else None,
        "updated_at": dialogue.updated_at.isoformat(),
    }


@api_view
def dialogue_list(request):
    """Dialogues, latest start first: the list page's filters (scope, country, theme,
    year), strict."""
    check_known(request, DIALOGUE_PARAMS)
    absolute = request.build_absolute_uri
    filterset = strict_filterset(
        DialogueFilter(request.GET, queryset=Dialogue.objects.for_listing())
    )
    page, envelope = paginate(request, filterset.qs.order_by("-starts_at", "title", "pk"))
    return {**envelope, "results": [dialogue_json(d, absolute) for d in page.object_list]}


@api_view
def dialogue_detail(request, slug):
    """One dialogue with its organisers, who sat at the table, stages and documents."""
    check_known(request, set())
    absolute = request.build_absolute_uri
    dialogue = Dialogue.objects.for_detail().filter(slug=slug).first()
    if dialogue is None:
        raise ApiError(f"No dialogue {slug[:60]!r}.", code="not_found", status=404)
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
    return data, dialogue.updated_at
