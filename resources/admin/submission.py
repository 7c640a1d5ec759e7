"""Save and submit in one action: the resource form saves first, then submits, so what
was typed is never lost; when the resource is not complete it stays a saved draft and
the page lists what is missing, each item a link to its field."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from resources.admin.workflow import move_named
from resources.curation import services
from resources.curation.roles import is_curator, may_view_resource
from resources.models import Resource

SUBMIT = "_submit"

# Where on the form each missing thing is filled in.
FIELD_ANCHORS = {"authors": "authors-group", "year": "id_year"}


def missing_links(missing):
    """The missing things as a list of links to their fields."""
    return format_html(
        '<ul class="missing">{}</ul>',
        format_html_join(
            "",
            '<li><a href="#{}">{}</a></li>',
            ((FIELD_ANCHORS.get(name, f"id_{name}"), message) for name, message in missing),
        ),
    )


class SaveAndSubmitMixin:
    """The resource admin's "Save and submit" button and what it does after the save."""

    def may_submit(self, user, obj):
        move = move_named("submit")
        if obj is None:
            return user.has_perm("resources.submit_resource") or is_curator(user)
        return move.may(user, obj) and may_view_resource(user, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["save_and_submit"] = self.may_submit(request.user, obj) and (
            obj is None or obj.status == Resource.Status.DRAFT
        )
        if obj is not None and obj.pk and obj.status == Resource.Status.DRAFT:
            missing = services.resource_missing(obj)
            context["missing"] = missing_links(missing) if missing else ""
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if SUBMIT in request.POST:
            return self.submit_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if SUBMIT in request.POST:
            return self.submit_after_save(request, obj)
        return super().response_change(request, obj)

    def submit_after_save(self, request, obj):
        """The form is saved; now submit it, or say what it still lacks."""
        change_url = reverse("admin:resources_resource_change", args=[obj.pk])
        try:
            services.resource_submit(resource=obj, user=request.user)
        except services.IncompleteError as error:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    _("Saved as a draft, not yet submitted. Before it can be submitted, add:"),
                    missing_links(error.missing),
                ),
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(getattr(error, "messages", [])) or str(error)
            self.message_user(request, _("Saved, but not submitted: %s") % text, messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(
            request,
            _(
                "“%(title)s” is saved and submitted for review. A curator will publish it or "
                "send it back with a comment; until one acts, you may take it back to draft "
                "from its page."
            )
            % {"title": obj.title},
            messages.SUCCESS,
        )
        if is_curator(request.user):
            return HttpResponseRedirect(change_url)
        return HttpResponseRedirect(reverse("admin:index"))
