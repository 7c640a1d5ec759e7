"""Admin of the library, for partners and curators.

Partners see and edit only their own organisation's resources, and only while in draft;
curators see everything. What the admin hides, the services refuse too (see services.py
and roles.py): a crafted POST gets the same answer as a click.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import FORMFIELD_FOR_DBFIELD_DEFAULTS
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name
from taggit.models import Tag

from resources.curation import services
from resources.curation.imports import export_csv, import_csv
from resources.curation.roles import (
    is_curator,
    may_edit_resource,
    may_view_resource,
    partner_organisation,
)
from resources.files.uploads import inspect_pdf
from resources.models import (
    Commodity,
    Country,
    Organisation,
    PartnerProfile,
    PreviousFile,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ReviewQueueItem,
    StatusChange,
    Subscription,
    Theme,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "is_programme_country", "est_asm_miners"]
    list_filter = ["is_programme_country", "region"]
    search_fields = ["code", "region"]
    ordering = ["code"]

    def get_search_results(self, request, queryset, search_term):
        """Also find a country by its name, which lives in django-countries, not the table."""
        from django_countries import countries

        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            codes = [code for code, name in countries if search_term.lower() in name.lower()]
            queryset |= self.model.objects.filter(code__in=codes)
        return queryset, may_have_duplicates


# Web addresses typed without a scheme are taken as https (Django 6's default).
HTTPS_URLS = {
    models.URLField: {**FORMFIELD_FOR_DBFIELD_DEFAULTS[models.URLField], "assume_scheme": "https"}
}


class OnboardPartnerForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("username"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("email"))


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


@admin.register(Organisation)
class OrganisationAdmin(CuratorHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "acronym", "kind", "country", "is_partner"]
    list_filter = ["kind", "is_partner"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Only curators say who is a programme partner.
        extra = [] if is_curator(request.user) else ["is_partner"]
        return [*super().get_readonly_fields(request, obj), *extra]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_curator(request.user):
            return queryset
        organisation = partner_organisation(request.user)
        return queryset.filter(pk=organisation.pk if organisation else None)

    def _own(self, request, obj):
        return obj is None or is_curator(request.user) or obj == partner_organisation(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/add-partner/",
                self.admin_site.admin_view(self.onboard_view),
                name="resources_organisation_onboard",
            ),
        ] + super().get_urls()

    def onboard_view(self, request, object_id):
        """Onboard a partner in one step: a staff account in the Partners group, attached
        to this organisation, with a one-time password to hand over."""
        organisation = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not (is_curator(request.user) and request.user.has_perm("resources.add_partnerprofile")):
            raise PermissionDenied
        form = OnboardPartnerForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add a partner to %(org)s") % {"org": organisation},
            "organisation": organisation,
            "form": form,
            "opts": self.model._meta,
        }
        if request.method == "POST" and form.is_valid():
            try:
                user, password = services.partner_onboard(
                    organisation=organisation,
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("username", error)
            else:
                context.update(created_user=user, password=password)
        return TemplateResponse(request, "admin/resources/onboard_partner.html", context)


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
    pass


@admin.register(Commodity)
class CommodityAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["parent"]


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
    model = ResourceAuthor
    extra = 1
    fields = ["position", "name", "is_organisation"]


class ResourceFileInline(EditableWithResourceMixin, admin.TabularInline):
    model = ResourceFile
    extra = 0
    fields = ["language", "file", "file_size", "page_count"]
    readonly_fields = ["file_size", "page_count"]
    verbose_name = gettext_lazy("language version")
    verbose_name_plural = gettext_lazy(
        "Language versions (other editions of the same resource, one file per language)"
    )


class PreviousFileInline(admin.TabularInline):
    model = PreviousFile
    extra = 0
    fields = ["download", "language", "file_size", "replaced_at", "replaced_by"]
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


class ResourceAdminForm(forms.ModelForm):
    """The resource form, with the edit version it was opened at: saving over someone
    else's newer save is refused instead of silently losing their change."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resource
        # The admin builds the fields from its fieldsets (with its https-first URL field).
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the row, not the instance: a history (revert) form holds an old copy.
            self.fields["seen_version"].initial = (
                Resource.objects.filter(pk=self.instance.pk)
                .values_list("edit_version", flat=True)
                .first()
            )

    def clean(self):
        cleaned = super().clean()
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


@dataclass(frozen=True)
class WorkflowAction:
    """One move of the review workflow as the admin offers it: a button on the change
    form (if it has a label), a bulk action on the list (if it has a description), both
    through the same service. Who may make it is the services' TRANSITIONS for its
    status (curators alone for a move that changes no status)."""

    name: str
    service: Callable
    to_status: str = ""
    label: str = ""
    bulk: str = ""
    done: str = ""
    comment_as: str = ""
    comment_required: bool = False
    fixed: dict = field(default_factory=dict)

    def run(self, *, resource, user, comment=""):
        kwargs = {**self.fixed, **({self.comment_as: comment} if self.comment_as else {})}
        return self.service(resource=resource, user=user, **kwargs)

    def may(self, user, resource=None):
        """Whether user may make this move: on resource from its status, else at all."""
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


Status = Resource.Status
WORKFLOW_ACTIONS = [
    WorkflowAction(
        "submit",
        services.resource_submit,
        Status.IN_REVIEW,
        label=gettext_lazy("Submit for review"),
        bulk=gettext_lazy("Submit selected drafts for review"),
        done=gettext_lazy("%(count)s submitted for review."),
    ),
    WorkflowAction(
        "publish",
        services.resource_publish,
        Status.PUBLISHED,
        label=gettext_lazy("Publish"),
        bulk=gettext_lazy("Publish selected resources"),
        done=gettext_lazy("%(count)s published."),
    ),
    WorkflowAction(
        "send_back",
        services.resource_send_back,
        Status.DRAFT,
        label=gettext_lazy("Send back to draft with a comment"),
        comment_as="comment",
        comment_required=True,
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
WORKFLOW_BUTTONS = {action.name: action for action in WORKFLOW_ACTIONS if action.label}


def refusal(error):
    """What a refused move says: the validation messages, or the permission's reason."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def bulk_action(move):
    """The list's bulk action for move: each resource through the service, as a click."""

    def run(modeladmin, request, queryset):
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


@admin.register(Resource)
class ResourceAdmin(CuratorHistoryAdmin):
    form = ResourceAdminForm
    formfield_overrides = HTTPS_URLS
    change_form_template = "admin/resources/resource/change_form.html"
    change_list_template = "admin/resources/resource/change_list.html"
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
        "file_size",
        "page_count",
        "created_at",
        "updated_at",
        "published_at",
    ]
    date_hierarchy = "created_at"
    inlines = [ResourceAuthorInline, ResourceFileInline, PreviousFileInline]
    list_select_related = ["owner"]
    actions = [*(bulk_action(move) for move in WORKFLOW_ACTIONS if move.bulk), "export_selected"]
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
        (_("Review"), {"fields": ["workflow", "is_featured"]}),
        (
            _("Publication"),
            {"fields": ["publisher", "year", "date", "owner", "licence", "is_open_access"]},
        ),
        (_("Subject"), {"fields": ["countries", "themes", "commodities", "tags"]}),
        (_("File and link"), {"fields": ["file", "file_size", "page_count", "external_url"]}),
        (_("Identifiers"), {"fields": ["doi", "isbn", "publisher_code"]}),
        (
            _("Record"),
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
            allowed = {move.action_name for move in WORKFLOW_ACTIONS if move.may(request.user)}
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
        if "file" in form.changed_data and obj.file and obj.file.name.lower().endswith(".pdf"):
            warning = inspect_pdf(obj.file).warning
            if warning:
                self.message_user(request, warning, messages.WARNING)

    def save_formset(self, request, form, formset, change):
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
                for move in WORKFLOW_BUTTONS.values()
                if move.may(user, obj) and may_view_resource(user, obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_view(self, request, object_id):
        """POST only: move one resource through the workflow with the services."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        resource = get_object_or_404(self.get_queryset(request), pk=object_id)
        move = WORKFLOW_BUTTONS.get(request.POST.get("action", ""))
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Remembers the version for get_form; who may revert is CuratorHistoryAdmin's."""
        request.reverting_to = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """On a revert page, show the countries, themes and commodities of that version:
        simple-history records them but its form would show today's."""
        form = super().get_form(request, obj, change, **kwargs)
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


@admin.register(PartnerProfile)
class PartnerProfileAdmin(CuratorHistoryAdmin):
    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation"]
    search_fields = ["user__username", "organisation__name"]

    def has_module_permission(self, request):
        return is_curator(request.user) and super().has_module_permission(request)


class PartnerProfileInline(admin.StackedInline):
    model = PartnerProfile
    can_delete = True
    autocomplete_fields = ["organisation"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PartnerAwareUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, PartnerProfileInline]


class MergeTagsForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(), label=gettext_lazy("Merge into"), widget=forms.RadioSelect
    )


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags, with a merge action for duplicates ("women", "Women", "gender and women")."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    @admin.action(description=gettext_lazy("Merge selected tags into one"))
    def merge_tags(self, request, queryset):
        form = MergeTagsForm(request.POST if "apply" in request.POST else None)
        form.fields["into"].queryset = queryset
        if "apply" in request.POST and form.is_valid():
            try:
                count = services.tags_merge(
                    tags=list(queryset), into=form.cleaned_data["into"], user=request.user
                )
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                _("%(count)s tags merged into “%(into)s”.")
                % {"count": count, "into": form.cleaned_data["into"]},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/resources/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge tags"),
                "form": form,
                "tags": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """E-mail alerts: curators can see and remove them (e.g. on request), not invent them."""

    list_display = ["email", "query", "frequency", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "query"]
    readonly_fields = ["email", "query", "created_at", "confirmed_at", "sent_until", "last_sent_at"]

    def has_add_permission(self, request):
        # Only the address's owner may subscribe it (double opt-in).
        return False
