"""The review queue: what waits for a curator, oldest submission first."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from resources.curation.desk import describe_changes, review_queue
from resources.curation.roles import is_curator
from resources.models import ReviewQueueItem


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(admin.ModelAdmin):
    """What waits for review, oldest submission first, with what changed since it was
    last published (or "new")."""

    list_display = ["resource_link", "owner", "submitted", "changes"]
    list_display_links = None
    list_select_related = ["owner"]

    def get_queryset(self, request):
        return review_queue(super().get_queryset(request))

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
        return describe_changes(obj.pk)
