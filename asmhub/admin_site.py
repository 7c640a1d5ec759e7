"""The admin as each role's desk: the hub's name and logo on every page; a partner's
start page is their organisation's resources by status, with only the library's own
pages in the navigation; a curator's start page leads with the review queue."""

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.curation.desk import describe_changes, partner_desk, review_queue
from resources.curation.roles import is_curator, partner_organisation

# The models a partner works with; vocabularies and the other apps stay out of sight.
PARTNER_MODELS = {
    ("resources", "resource"),
    ("resources", "organisation"),
    ("resources", "notificationsetting"),
}
# How many waiting resources the curator's start page lists (each costs two queries).
QUEUE_ROWS = 10


def is_partner_only(user):
    return not is_curator(user) and partner_organisation(user) is not None


class HubAdminSite(admin.AdminSite):
    site_header = settings.ASMHUB_SITE_NAME
    site_title = settings.ASMHUB_SITE_NAME
    index_title = _("Your desk")
    index_template = "admin/hub_index.html"

    def each_context(self, request):
        context = super().each_context(request)
        if is_partner_only(request.user):
            # A partner's pages need their width more than a second sidebar.
            context["is_nav_sidebar_enabled"] = False
        return context

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if not is_partner_only(request.user):
            return apps
        kept = []
        for app in apps:
            models = [
                model
                for model in app["models"]
                if (app["app_label"], model["object_name"].lower()) in PARTNER_MODELS
            ]
            if models:
                kept.append({**app, "models": models})
        return kept

    def index(self, request, extra_context=None):
        user = request.user
        context = dict(extra_context or {})
        organisation = partner_organisation(user)
        if is_curator(user):
            queue = review_queue().select_related("owner")
            waiting = list(queue[:QUEUE_ROWS])
            for resource in waiting:
                resource.changes = describe_changes(resource.pk)
            context.update(
                role="curator",
                queue=waiting,
                queue_count=len(waiting) if len(waiting) < QUEUE_ROWS else queue.count(),
            )
        elif organisation is not None:
            context.update(
                role="partner",
                organisation=organisation,
                desk=partner_desk(organisation=organisation),
                may_add=request.user.has_perm("resources.add_resource"),
                # Their resources' use this year, a report to print or download.
                report_year=timezone.now().year,
            )
        return super().index(request, context)
