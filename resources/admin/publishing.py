"""Publishing after a look: the confirmation page shows what goes public (the page's
text, authors, files and subjects) and a link to the preview; only its POST publishes,
through the same service as every other move. Publishing several from the list shows
one page listing each resource that goes public, and those that would not."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from resources.admin.forms import readable_size
from resources.admin.workflow import move_named, refusal


class PublishConfirmMixin:
    """The resource admin's publish confirmation page."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="resources_resource_publish",
            ),
        ] + super().get_urls()

    def publish_view(self, request, object_id):
        queryset = self.get_queryset(request).prefetch_related(
            "authors", "countries", "themes", "commodities", "versions"
        )
        resource = get_object_or_404(queryset, pk=object_id)
        move = move_named("publish")
        if not move.may(request.user, resource):
            raise PermissionDenied
        change_url = reverse("admin:resources_resource_change", args=[resource.pk])
        if request.method == "POST":
            try:
                move.run(resource=resource, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, refusal(error) or _("Not allowed."), messages.ERROR)
            else:
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("“%(title)s” is published.") % {"title": resource.title},
                        resource.get_absolute_url(),
                        _("See its public page"),
                    ),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(title)s”?") % {"title": resource.title},
            "resource": resource,
            "file_size": readable_size(resource.file_size),
            "versions": [
                (version.get_language_display(), readable_size(version.file_size))
                for version in resource.versions.all()
            ],
            "opts": self.model._meta,
            "original": resource,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/resources/resource/publish_confirm.html", context)

    def bulk_confirm_view(self, request, queryset, move):
        """The list's bulk publish, asked first: what goes public, and what is left as
        it is (with the reason); its form repeats the action with post=yes."""
        rows = queryset.prefetch_related("authors", "countries").order_by("title")
        going, staying = [], []
        for resource in rows:
            (going if move.may(request.user, resource) else staying).append(resource)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish these resources?"),
            "going": going,
            "staying": staying,
            "move": move,
            "opts": self.model._meta,
            "changelist_url": reverse("admin:resources_resource_changelist"),
        }
        return TemplateResponse(
            request, "admin/resources/resource/publish_selected_confirm.html", context
        )
