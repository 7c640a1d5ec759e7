"""Bulk import and export of resources in the library's CSV layout."""

import io

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resources.curation.imports import export_csv, import_csv


class CsvTransferMixin:
    """The resource admin's CSV import page, export link and bulk export action."""

    def import_view(self, request):
        """Bulk import of a CSV file in the library's column layout, dry run first."""
        if not request.user.has_perm("resources.import_resource"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            # Read as a stream: a large file never sits in memory whole.
            text = io.TextIOWrapper(
                form.cleaned_data["file"].file, encoding="utf-8-sig", newline=""
            )
            try:
                report = import_csv(text, dry_run=form.cleaned_data["dry_run"], user=request.user)
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text; save it as CSV UTF-8."))
            finally:
                # The request closes its upload; the wrapper is let go without closing it.
                text.detach()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import resources from a CSV file"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/resources/resource/import.html", context)

    def export_view(self, request):
        if not request.user.has_perm("resources.import_resource"):
            raise PermissionDenied
        return csv_response(self.get_queryset(request))

    @admin.action(description=gettext_lazy("Export selected resources as CSV"))
    def export_selected(self, request, queryset):
        if not request.user.has_perm("resources.import_resource"):
            raise PermissionDenied
        return csv_response(queryset)


def csv_response(queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resources.csv"'
    export_csv(queryset, response)
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only report what would happen"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        """Refuses a file over the upload limit whole: the upload handler keeps only its
        first part, which must not be imported as if it were the file."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Choose a .csv file."))
        limit = settings.ASMHUB_MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; files may be at most %(limit)s. Nothing was imported."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
