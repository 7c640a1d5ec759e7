"""The resource admin: partners see and edit only their own organisation's drafts;
curators see everything. Its inlines (authors, language versions, previous files) and the
form that refuses to save over someone else's newer save."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import get_m2m_reverse_field_name

from resources.admin.batch import BatchUploadMixin
from resources.admin.forms import (
    PARTNER_FIELDSETS,
    AuthorForm,
    LabelledRowsFormSet,
    LanguageVersionForm,
    NamedFileInput,
    ResumableFileInput,
    mark_needed_to_submit,
    order_authors,
    readable_size,
    upload_field_name,
)
from resources.admin.history import HTTPS_URLS, CuratorHistoryAdmin
from resources.admin.publishing import PublishConfirmMixin
from resources.admin.submission import SaveAndSubmitMixin
from resources.admin.transfers import CsvTransferMixin
from resources.admin.translations import TranslationInline
from resources.admin.uploads import ResumableUploadMixin
from resources.admin.workflow import bulk_actions, bulk_actions_allowed, buttons, refusal
from resources.curation import services, uploads
from resources.curation.roles import (
    is_curator,
    may_edit_resource,
    may_view_resource,
    partner_organisation,
)
from resources.files.uploads import inspect_pdf
from resources.models import (
    PreviousFile,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ResourceTranslation,
    StatusChange,
)


class EditableWithResourceMixin:
    """Inline rows follow their resource: editable exactly when the resource is."""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit_resource(request.user, obj))

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or may_edit_resource(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_edit_resource(request.user, obj))


class ResourceAuthorInline(EditableWithResourceMixin, admin.TabularInline):
    """Authors in order, first author first: no position numbers to type."""

    model = ResourceAuthor
    form = AuthorForm
    formset = LabelledRowsFormSet
    extra = 1
    fields = ["position", "name", "is_organisation"]

    class Media:
        js = ["js/author-order.js"]


class ResourceFileInline(EditableWithResourceMixin, admin.TabularInline):
    model = ResourceFile
    extra = 0
    form = LanguageVersionForm
    formset = LabelledRowsFormSet
    fields = ["language", "file", "size", "page_count"]
    readonly_fields = ["size", "page_count"]
    formfield_overrides = {models.FileField: {"widget": NamedFileInput}}
    verbose_name = gettext_lazy("language version")
    verbose_name_plural = gettext_lazy(
        "Translations: other language versions of the same resource, one file per language"
    )

    @admin.display(description=gettext_lazy("size"))
    def size(self, obj):
        return readable_size(obj.file_size)


class ResourceTranslationInline(EditableWithResourceMixin, TranslationInline):
    """The title and summary in other languages, beside the original: readers of those
    languages see them, searches in them find the resource, harvesters receive them."""

    model = ResourceTranslation
    verbose_name = gettext_lazy("translated title and summary")
    verbose_name_plural = gettext_lazy(
        "Translations: the title and summary in other languages (the original stays above)"
    )


class PreviousFileInline(admin.TabularInline):
    model = PreviousFile
    extra = 0
    fields = ["download", "language", "size", "replaced_at", "replaced_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("resources.view_previous_file")

    @admin.display(description=gettext_lazy("file"))
    def download(self, previous):
        url = reverse(
            "admin:resources_resource_previous_file", args=[previous.resource_id, previous.pk]
        )
        return format_html('<a href="{}">{}</a>', url, previous)

    @admin.display(description=gettext_lazy("size"))
    def size(self, previous):
        return readable_size(previous.file_size)


class ResourceAdminForm(forms.ModelForm):
    """The resource form, with the edit version it was opened at: saving over someone
    else's newer save is refused instead of silently losing their change."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The user the admin opened the form for (set by ResourceAdmin.get_form): only their
    # own resumable uploads can be attached.
    uploader = None

    class Meta:
        model = Resource
        # The admin builds the fields from its fieldsets (with its https-first URL field).
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_needed_to_submit(self.fields)
        self.attached_upload = None
        if self.is_bound and "file" in self.fields:
            # A form shown again (another field refused) keeps the finished upload.
            self.fields["file"].widget.upload_id = self.data.get(upload_field_name("file"), "")
        if self.instance.pk:
            # From the row, not the instance: a history (revert) form holds an old copy.
            self.fields["seen_version"].initial = (
                Resource.objects.filter(pk=self.instance.pk)
                .values_list("edit_version", flat=True)
                .first()
            )

    def clean(self):
        cleaned = super().clean()
        self.attach_upload(cleaned)
        if self.instance.pk:
            # Locked until the admin's transaction ends, so two saves cannot both pass.
            current = (
                Resource.objects.select_for_update(of=("self",))
                .filter(pk=self.instance.pk)
                .values("edit_version", "updated_at", "updated_by__username")
                .first()
            )
            seen = cleaned.get("seen_version")
            if current and seen is not None and seen != current["edit_version"]:
                raise ValidationError(
                    _(
                        "Someone else (%(user)s) saved this resource at %(when)s, after you "
                        "opened it. Your changes were not saved, so theirs are not lost: "
                        "open the resource again to see their version, then make your changes."
                    )
                    % {
                        "user": current["updated_by__username"] or _("unknown"),
                        "when": timezone.localtime(current["updated_at"]).strftime(
                            "%Y-%m-%d %H:%M:%S"
                        ),
                    },
                    code="conflict",
                )
        return cleaned

    def attach_upload(self, cleaned):
        """The file of the resumable upload named in the hidden field, when no file came
        with the form itself: the uploader's own, complete and already checked by content
        (and checked again by the model field, as any new file is)."""
        upload_id = self.data.get(upload_field_name("file"), "")
        if not upload_id or "file" not in self.fields or self.files.get("file"):
            return
        upload = uploads.completed_upload(user=self.uploader, upload_id=upload_id)
        if upload is None:
            self.add_error(
                "file",
                _("The uploaded file was not found (it may have expired): choose it again."),
            )
            return
        self.attached_upload = upload
        cleaned["file"] = uploads.upload_as_file(upload)
        # The file input itself is empty, yet the file changes: save_model and the
        # history's change message read changed_data.
        if "file" not in self.changed_data:
            self.changed_data.append("file")

    def discard_attached_upload(self):
        """Once the resource holds the file, its upload and the file's copy go."""
        if self.attached_upload is not None:
            self.cleaned_data["file"].close()
            uploads.upload_discard(upload=self.attached_upload)
            self.attached_upload = None


@admin.register(Resource)
class ResourceAdmin(
    BatchUploadMixin,
    ResumableUploadMixin,
    PublishConfirmMixin,
    SaveAndSubmitMixin,
    CsvTransferMixin,
    CuratorHistoryAdmin,
):
    form = ResourceAdminForm
    formfield_overrides = {**HTTPS_URLS, models.FileField: {"widget": ResumableFileInput}}
    change_form_template = "admin/resources/resource/change_form.html"
    change_list_template = "admin/resources/resource/change_list.html"

    class Media:
        js = ["js/admin-labels.js", "js/resumable-upload.js"]

    list_display = [
        "title",
        "year",
        "resource_type",
        "status",
        "latest_comment",
        "owner",
        "is_featured",
        "download_count",
    ]
    list_filter = [
        "status",
        "is_featured",
        "resource_type",
        "language",
        "is_open_access",
        "year",
        "themes",
    ]
    search_fields = ["title", "summary", "slug", "doi", "isbn", "publisher_code", "authors__name"]
    autocomplete_fields = ["countries", "themes", "commodities", "owner"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "workflow",
        "is_featured",
        "download_count",
        "readable_size",
        "page_count",
        "created_at",
        "updated_at",
        "published_at",
    ]
    date_hierarchy = "created_at"
    inlines = [
        ResourceAuthorInline,
        ResourceTranslationInline,
        ResourceFileInline,
        PreviousFileInline,
    ]
    list_select_related = ["owner"]
    actions = [*bulk_actions(), "export_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "resource_type",
                    "language",
                    "status",
                    "seen_version",
                ]
            },
        ),
        (gettext_lazy("Review"), {"fields": ["workflow", "is_featured"]}),
        (
            gettext_lazy("Publication"),
            {"fields": ["publisher", "year", "date", "owner", "licence", "is_open_access"]},
        ),
        (
            gettext_lazy("Subject"),
            {"fields": ["is_global", "countries", "themes", "commodities", "tags"]},
        ),
        (
            gettext_lazy("File and link"),
            {"fields": ["file", "readable_size", "page_count", "external_url"]},
        ),
        (gettext_lazy("Identifiers"), {"fields": ["doi", "isbn", "publisher_code"]}),
        (
            gettext_lazy("Record"),
            {
                "fields": [
                    "source_note",
                    "is_demo",
                    "download_count",
                    "created_at",
                    "updated_at",
                    "published_at",
                ]
            },
        ),
    ]

    # Who sees and edits what.

    def get_queryset(self, request):
        latest_comment = StatusChange.objects.filter(resource=OuterRef("pk")).exclude(comment="")
        queryset = (
            super()
            .get_queryset(request)
            .annotate(latest_comment=Subquery(latest_comment.values("comment")[:1]))
        )
        if is_curator(request.user):
            return queryset
        organisation = partner_organisation(request.user)
        return queryset.filter(owner=organisation) if organisation else queryset.none()

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or may_view_resource(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit_resource(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        if not (is_curator(request.user) and super().has_delete_permission(request, obj)):
            return False
        return obj is None or not (obj.was_ever_published or obj.status != Resource.Status.DRAFT)

    def view_on_site(self, obj):
        """Only published and withdrawn resources have a public page (200 or 410)."""
        if obj.status in (Resource.Status.PUBLISHED, Resource.Status.WITHDRAWN):
            return obj.get_absolute_url()
        return None

    def get_fieldsets(self, request, obj=None):
        """Partners get only what they set, in a few short sections."""
        if is_curator(request.user):
            return super().get_fieldsets(request, obj)
        return PARTNER_FIELDSETS

    @admin.display(description=gettext_lazy("file size"))
    def readable_size(self, obj):
        return readable_size(obj.file_size)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_curator(request.user):
            fields += ["owner", "is_demo", "source_note"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would bypass the rule that published resources are never deleted.
        actions.pop("delete_selected", None)
        if not is_curator(request.user):
            allowed = bulk_actions_allowed(request.user)
            actions = {name: action for name, action in actions.items() if name in allowed}
        return actions

    def save_model(self, request, obj, form, change):
        replaced = change and "file" in form.changed_data and form.initial.get("file")
        if replaced:
            services.file_keep_previous(
                resource=obj,
                name=form.initial["file"].name,
                size=Resource.objects.filter(pk=obj.pk).values_list("file_size", flat=True)[0],
                language=obj.language,
                user=request.user,
            )
        if "file" in form.changed_data:
            services.file_extract_text(resource=obj)
        services.resource_save(resource=obj, user=request.user, created=not change)
        form.discard_attached_upload()
        if "file" in form.changed_data and obj.file and obj.file.name.lower().endswith(".pdf"):
            warning = inspect_pdf(obj.file).warning
            if warning:
                self.message_user(request, warning, messages.WARNING)

    def save_formset(self, request, form, formset, change):
        if formset.model is ResourceAuthor:
            order_authors(formset.forms)
        if formset.model is ResourceFile:
            for inline in formset.forms:
                old = inline.initial.get("file")
                replaced = "file" in inline.changed_data or inline in formset.deleted_forms
                if inline.instance.pk and old and replaced:
                    services.file_keep_previous(
                        resource=form.instance,
                        name=old.name,
                        size=inline.instance.file_size,
                        language=inline.initial.get("language", ""),
                        user=request.user,
                    )
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.resource_delete(resource=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.resource_delete(resource=obj, user=request.user)

    # Columns and read-only panels.

    @admin.display(description=gettext_lazy("curator's comment"))
    def latest_comment(self, obj):
        return getattr(obj, "latest_comment", "") or ""

    @admin.display(description=gettext_lazy("workflow history"))
    def workflow(self, obj):
        if obj is None or obj.pk is None:
            return _("New resources start as drafts.")
        changes = obj.status_changes.select_related("changed_by")
        rows = format_html_join(
            "",
            "<li>{} · {} → {} · {}{}</li>",
            (
                (
                    timezone.localtime(change.changed_at).strftime("%Y-%m-%d %H:%M"),
                    change.get_from_status_display(),
                    change.get_to_status_display(),
                    change.changed_by or _("unknown"),
                    f": “{change.comment}”" if change.comment else "",
                )
                for change in changes
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else _("No status change yet.")

    # The workflow buttons of the change form, the previous files, bulk import.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="resources_resource_import"),
            path("export.csv", view(self.export_view), name="resources_resource_export"),
            path(
                "<path:object_id>/workflow/",
                view(self.workflow_view),
                name="resources_resource_workflow",
            ),
            path(
                "<path:object_id>/previous/<int:previous_id>/",
                view(self.previous_file_view),
                name="resources_resource_previous_file",
            ),
        ] + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            context["workflow_moves"] = [
                move
                for move in buttons().values()
                if move.may(user, obj) and may_view_resource(user, obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_view(self, request, object_id):
        """POST only: move one resource through the workflow with the services."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        resource = get_object_or_404(self.get_queryset(request), pk=object_id)
        move = buttons().get(request.POST.get("action", ""))
        comment = request.POST.get("comment", "")
        try:
            if move is None:
                raise ValidationError(_("Unknown action."))
            move.run(resource=resource, user=request.user, comment=comment)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, refusal(error) or _("Not allowed."), messages.ERROR)
        else:
            self.message_user(
                request,
                _("“%(title)s” is now %(status)s.")
                % {"title": resource.title, "status": resource.get_status_display().lower()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:resources_resource_change", args=[resource.pk]))

    def previous_file_view(self, request, object_id, previous_id):
        """A replaced file, for curators: as an attachment, never rendered by the browser."""
        if not request.user.has_perm("resources.view_previous_file"):
            raise PermissionDenied
        resource = get_object_or_404(self.get_queryset(request), pk=object_id)
        previous = get_object_or_404(PreviousFile, pk=previous_id, resource=resource)
        try:
            handle = previous.file.open("rb")
        except OSError:
            raise Http404(_("This file is missing from storage.")) from None
        return FileResponse(handle, as_attachment=True, filename=str(previous))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Remembers the version for get_form; who may revert is CuratorHistoryAdmin's."""
        request.reverting_to = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """On a revert page, show the countries, themes and commodities of that version:
        simple-history records them but its form would show today's."""
        form = super().get_form(request, obj, change, **kwargs)
        form = type(form.__name__, (form,), {"uploader": request.user})
        version_id = getattr(request, "reverting_to", None)
        record = version_id and Resource.history.filter(history_id=version_id).first()
        if not record:
            return form
        initial = {
            name: list(
                getattr(record, name).values_list(
                    get_m2m_reverse_field_name(Resource._meta.get_field(name)), flat=True
                )
            )
            for name in Resource.HISTORY_M2M_FIELDS
        }

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(initial)

        return RevertForm
