"""Several PDFs at once: the page where a partner (or a curator) drops a batch of PDFs and
gets one draft per file, prefilled from the file's own metadata, each to complete on its
form. Bounded: ASMHUB_BATCH_MAX_FILES files and ASMHUB_BATCH_MAX_SIZE bytes a batch."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resources.curation.batch import drafts_from_pdfs
from resources.curation.roles import is_curator, partner_organisation
from resources.models import Resource


class MultiplePdfInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The files chosen, as a list: each is checked by the batch's service, one by one,
    so one refused file does not refuse the others."""

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads


class BatchForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("PDF files"),
        widget=MultiplePdfInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    resource_type = forms.ChoiceField(
        label=gettext_lazy("Type of every new draft"),
        choices=Resource.Type.choices,
        initial=Resource.Type.REPORT,
        help_text=gettext_lazy("Each draft's type can be changed on its own form afterwards."),
    )

    def clean_files(self):
        """Within the batch's bounds: past them the whole batch is refused and nothing
        is saved."""
        uploads = self.cleaned_data["files"]
        most = settings.ASMHUB_BATCH_MAX_FILES
        if len(uploads) > most:
            raise ValidationError(
                _("%(count)s files were chosen; a batch takes at most %(most)s. Nothing was saved.")
                % {"count": len(uploads), "most": most}
            )
        total, limit = sum(upload.size for upload in uploads), settings.ASMHUB_BATCH_MAX_SIZE
        if total > limit:
            raise ValidationError(
                _(
                    "The files come to %(size)s together; a batch takes at most %(limit)s. "
                    "Nothing was saved: send fewer files at once."
                )
                % {"size": filesizeformat(total), "limit": filesizeformat(limit)}
            )
        return uploads


class BatchUploadMixin:
    """The resource admin's page for several PDFs at once."""

    def get_urls(self):
        return [
            path(
                "batch/",
                self.admin_site.admin_view(self.batch_view),
                name="resources_resource_batch",
            ),
        ] + super().get_urls()

    def batch_view(self, request):
        user = request.user
        if not user.has_perm("resources.add_resource") or not (
            is_curator(user) or partner_organisation(user)
        ):
            raise PermissionDenied
        form = BatchForm(request.POST or None, request.FILES or None)
        made = refused = None
        if request.method == "POST" and form.is_valid():
            made, refused = drafts_from_pdfs(
                uploads=form.cleaned_data["files"],
                user=user,
                resource_type=form.cleaned_data["resource_type"],
            )
            form = BatchForm(initial={"resource_type": form.cleaned_data["resource_type"]})
            made = Resource.objects.filter(pk__in=[draft.pk for draft in made]).prefetch_related(
                "authors"
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add several PDFs"),
            "form": form,
            "made": made,
            "refused": refused,
            "most": settings.ASMHUB_BATCH_MAX_FILES,
            "limit": filesizeformat(settings.ASMHUB_BATCH_MAX_SIZE),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/resources/resource/batch.html", context)
