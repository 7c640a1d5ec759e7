"""The review queue: what waits for a curator, oldest submission first."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resources.curation.roles import (
    is_curator,
)
from resources.models import (
    Resource,
    ReviewQueueItem,
    StatusChange,
)


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(admin.ModelAdmin):
    """What waits for review, oldest submission first, with what changed since it was
    last published (or "new")."""

    list_display = ["resource_link", "owner", "submitted", "changes"]
    list_display_links = None
    list_select_related = ["owner"]

    def get_queryset(self, request):
        submitted = StatusChange.objects.filter(
            resource=OuterRef("pk"), to_status=Resource.Status.IN_REVIEW
        )
        return (
            super()
            .get_queryset(request)
            .filter(status=Resource.Status.IN_REVIEW)
            .annotate(submitted_at=Subquery(submitted.values("changed_at")[:1]))
            .order_by("submitted_at", "pk")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user) and super().has_view_permission(request, obj)

    @admin.display(description=gettext_lazy("resource"))
    def resource_link(self, obj):
        url = reverse("admin:resources_resource_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title)

    @admin.display(description=gettext_lazy("submitted"), ordering="submitted_at")
    def submitted(self, obj):
        return obj.submitted_at

    @admin.display(description=gettext_lazy("changed since last published"))
    def changes(self, obj):
        history = Resource.history.filter(id=obj.pk).order_by("-history_date", "-history_id")
        latest = history.first()
        published = history.filter(status=Resource.Status.PUBLISHED).first()
        if latest is None or published is None:
            return _("New: never published")
        delta = latest.diff_against(published, excluded_fields=["status", "published_at"])
        names = sorted(
            {str(Resource._meta.get_field(change.field).verbose_name) for change in delta.changes}
        )
        return ", ".join(names) or _("nothing but the status")
