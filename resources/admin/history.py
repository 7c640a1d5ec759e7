"""What every admin of the project shares: the history rule (only curators revert) and
web addresses typed without a scheme taken as https."""

from django.contrib.admin.options import FORMFIELD_FOR_DBFIELD_DEFAULTS
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from simple_history.admin import SimpleHistoryAdmin

from resources.curation.roles import (
    is_curator,
)

# Web addresses typed without a scheme are taken as https (Django 6's default).
HTTPS_URLS = {
    models.URLField: {**FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField], "assume_scheme": "https"}
}


class CuratorHistoryAdmin(SimpleHistoryAdmin):
    """History on every change page; only curators may revert to an earlier version.

    Every admin with a history uses this class, so the rule lives here once and holds on
    the server: simple-history only hides the button, and would accept a revert POSTed
    by anyone who may change the object."""

    def revert_disabled(self, request, obj=None):
        return not (is_curator(request.user) and self.has_change_permission(request, obj))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version's form; posting it reverts, for curators only, in one
        transaction as a save from the change form is (the resource form's edit-conflict
        check locks the row until the revert is saved)."""
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)
