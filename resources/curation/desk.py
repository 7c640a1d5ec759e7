"""What each role's desk in the admin shows: a partner's resources by status, with the
curator's comment on what was sent back; the curators' review queue, oldest first, with
what changed since each resource was last published. Reads only; a fixed number of
queries whatever the numbers."""

from dataclasses import dataclass

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resources.models import Resource, StatusChange

Status = Resource.Status

# How many rows of each group the desk lists; the rest are a link to the full list away.
DESK_ROWS = 10


@dataclass(frozen=True)
class DeskGroup:
    """One heading of a partner's desk: which resources, and what to do with them."""

    key: str
    title: str
    next_step: str
    status: str


DESK_GROUPS = [
    DeskGroup(
        "sent_back",
        _("Sent back to you"),
        _(
            "A curator asked for changes: read the comment, edit the resource, then save and "
            "submit it again."
        ),
        Status.DRAFT,
    ),
    DeskGroup(
        "draft",
        _("Drafts"),
        _("Complete each draft and choose “Save and submit” when it is ready for review."),
        Status.DRAFT,
    ),
    DeskGroup(
        "in_review",
        _("In review"),
        _(
            "A curator will review these. Until one acts, you may take a submission back "
            "to draft to fix it."
        ),
        Status.IN_REVIEW,
    ),
    DeskGroup(
        "published",
        _("Published"),
        _("These are in the public library. Ask a curator if one needs correcting."),
        Status.PUBLISHED,
    ),
    DeskGroup(
        "withdrawn",
        _("Withdrawn"),
        _("These were taken out of the library; their pages say so."),
        Status.WITHDRAWN,
    ),
]


def _latest_change():
    return StatusChange.objects.filter(resource=OuterRef("pk")).order_by("-changed_at", "-pk")


def with_latest_change(queryset):
    """queryset with the latest status change's origin and comment (`last_from`,
    `last_comment`): a draft whose last move came from review with a comment was sent
    back."""
    latest = _latest_change()
    return queryset.annotate(
        # Never NULL, so that "not sent back" holds for a resource that never moved.
        last_from=Coalesce(
            Subquery(latest.values("from_status")[:1]), Value(""), output_field=CharField()
        ),
        last_comment=Coalesce(
            Subquery(latest.values("comment")[:1]), Value(""), output_field=TextField()
        ),
    )


SENT_BACK = Q(status=Status.DRAFT, last_from=Status.IN_REVIEW) & ~Q(last_comment="")


def group_of(row):
    """The desk group key of a row of with_latest_change()."""
    if (
        row["status"] == Status.DRAFT
        and row["last_from"] == Status.IN_REVIEW
        and row["last_comment"]
    ):
        return "sent_back"
    return row["status"]


def partner_desk(*, organisation, rows=DESK_ROWS):
    """The desk of organisation: each group with its count and its most recently
    updated rows (two queries)."""
    queryset = with_latest_change(Resource.objects.filter(owner=organisation))
    counts = queryset.aggregate(
        sent_back=Count("pk", filter=SENT_BACK),
        draft=Count("pk", filter=Q(status=Status.DRAFT) & ~SENT_BACK),
        in_review=Count("pk", filter=Q(status=Status.IN_REVIEW)),
        published=Count("pk", filter=Q(status=Status.PUBLISHED)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
    )
    # The newest rows of every group in one query: enough of each for its list, since a
    # group's newest rows are among the newest rows overall or the list is cut anyway.
    listed = {group.key: [] for group in DESK_GROUPS}
    recent = queryset.order_by("-updated_at", "-pk").values(
        "pk", "title", "status", "updated_at", "last_from", "last_comment"
    )
    for row in recent[: rows * len(DESK_GROUPS) * 4]:
        group = listed[group_of(row)]
        if len(group) < rows:
            group.append(row)
    return [
        {"group": group, "count": counts[group.key], "rows": listed[group.key]}
        for group in DESK_GROUPS
    ]


def review_queue(queryset=None):
    """Resources (of queryset) in review with `submitted_at`, the oldest submission
    first."""
    if queryset is None:
        queryset = Resource.objects.all()
    submitted = StatusChange.objects.filter(
        resource=OuterRef("pk"), to_status=Status.IN_REVIEW
    ).order_by("-changed_at", "-pk")
    return (
        queryset.filter(status=Status.IN_REVIEW)
        .annotate(submitted_at=Subquery(submitted.values("changed_at")[:1]))
        # Put in review without a recorded submission (an import): oldest, on every database.
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )


def changes_since_publication(resource_id):
    """The labels of the fields changed since resource_id was last published, or None
    if it never was (two queries)."""
    history = Resource.history.filter(id=resource_id).order_by("-history_date", "-history_id")
    latest = history.first()
    published = history.filter(status=Status.PUBLISHED).first()
    if latest is None or published is None:
        return None
    delta = latest.diff_against(published, excluded_fields=["status", "published_at"])
    return sorted(
        {str(Resource._meta.get_field(change.field).verbose_name) for change in delta.changes}
    )


def describe_changes(resource_id):
    """What changed since resource_id was last published, as a line of text."""
    names = changes_since_publication(resource_id)
    if names is None:
        return gettext("New: never published")
    return ", ".join(names) or gettext("nothing but the status")
