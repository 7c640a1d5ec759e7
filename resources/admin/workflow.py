"""The review workflow as the admin offers it, defined once: WORKFLOW_ACTIONS drives the
change form's buttons, the list's bulk actions and who is offered each."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy

from resources.curation import services
from resources.curation.roles import (
    is_curator,
)
from resources.models import (
    Resource,
)


@dataclass(frozen=True)
class WorkflowAction:
    """One move of the review workflow as the admin offers it: a button on the change
    form (if it has a label), a bulk action on the list (if it has a description), both
    through the same service. Who may make it is the services' TRANSITIONS for its
    status (curators alone for a move that changes no status), narrowed by `only` to
    curators or to partners where two moves share a transition."""

    name: str
    service: Callable
    to_status: str = ""
    label: str = ""
    bulk: str = ""
    done: str = ""
    comment_as: str = ""
    comment_required: bool = False
    fixed: dict = field(default_factory=dict)
    only: str = ""  # "curator" or "partner": who alone is offered the move
    confirm: bool = False  # the button leads to a page that shows what the move does

    def run(self, *, resource, user, comment=""):
        kwargs = {**self.fixed, **({self.comment_as: comment} if self.comment_as else {})}
        return self.service(resource=resource, user=user, **kwargs)

    def may(self, user, resource=None):
        """Whether user may make this move: on resource from its status, else at all."""
        if self.only and (self.only == "curator") != is_curator(user):
            return False
        if not self.to_status:
            return is_curator(user)
        allowed = [
            who
            for (from_status, to_status), who in services.TRANSITIONS.items()
            if to_status == self.to_status and (resource is None or resource.status == from_status)
        ]
        return bool(allowed) if is_curator(user) else services.PARTNER_OR_CURATOR in allowed

    @property
    def action_name(self):
        return f"{self.name}_selected"

    @property
    def is_button(self):
        return bool(self.label)

    @property
    def is_bulk(self):
        return bool(self.bulk)


Status = Resource.Status
WORKFLOW_ACTIONS = [
    WorkflowAction(
        "submit",
        services.resource_submit,
        Status.IN_REVIEW,
        # On the change form, "Save and submit" in the form's own buttons: edits not yet
        # saved are never left behind.
        bulk=gettext_lazy("Submit selected drafts for review"),
        done=gettext_lazy("%(count)s submitted for review."),
    ),
    WorkflowAction(
        "publish",
        services.resource_publish,
        Status.PUBLISHED,
        label=gettext_lazy("Publish…"),
        bulk=gettext_lazy("Publish selected resources"),
        done=gettext_lazy("%(count)s published."),
        confirm=True,
    ),
    WorkflowAction(
        "send_back",
        services.resource_send_back,
        Status.DRAFT,
        label=gettext_lazy("Send back to draft with a comment"),
        comment_as="comment",
        comment_required=True,
        only="curator",
    ),
    WorkflowAction(
        "pull_back",
        services.resource_pull_back,
        Status.DRAFT,
        label=gettext_lazy("Take back to draft to change it"),
        only="partner",
    ),
    WorkflowAction(
        "withdraw",
        services.resource_withdraw,
        Status.WITHDRAWN,
        label=gettext_lazy("Withdraw (with a public note)"),
        bulk=gettext_lazy("Withdraw selected resources"),
        done=gettext_lazy("%(count)s withdrawn."),
        comment_as="note",
    ),
    WorkflowAction(
        "feature",
        services.resource_feature,
        bulk=gettext_lazy("Feature selected resources"),
        done=gettext_lazy("%(count)s featured."),
    ),
    WorkflowAction(
        "unfeature",
        services.resource_feature,
        bulk=gettext_lazy("Stop featuring selected resources"),
        done=gettext_lazy("%(count)s no longer featured."),
        fixed={"featured": False},
    ),
]


def refusal(error):
    """What a refused move says: the validation messages, or the permission's reason."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def bulk_action(move):
    """The list's bulk action for move: each resource through the service, as a click."""

    def run(modeladmin, request, queryset):
        if move.confirm and request.POST.get("post") != "yes":
            # As one click on the change form, a bulk move that confirms shows its page
            # first (the model admin's bulk_confirm_view); its form posts "post=yes".
            return modeladmin.bulk_confirm_view(request, queryset, move)
        done, refused = 0, []
        for resource in queryset:
            try:
                move.run(resource=resource, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                refused.append(f"{resource.title}: {refusal(error)}")
            else:
                done += 1
        if done:
            modeladmin.message_user(request, move.done % {"count": done}, messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    run.__name__ = move.action_name
    return admin.action(description=move.bulk)(run)


def buttons():
    """The moves offered as buttons on the change form, by name."""
    return {move.name: move for move in WORKFLOW_ACTIONS if move.is_button}


def bulk_actions():
    """The moves offered as bulk actions on the list, as admin actions."""
    return [bulk_action(move) for move in WORKFLOW_ACTIONS if move.is_bulk]


def bulk_actions_allowed(user):
    """The names of the bulk actions user is offered."""
    return {move.action_name for move in WORKFLOW_ACTIONS if move.is_bulk and move.may(user)}


def move_named(name):
    """The move of WORKFLOW_ACTIONS called name."""
    return next(move for move in WORKFLOW_ACTIONS if move.name == name)
