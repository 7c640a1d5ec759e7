"""The partner's resource form: the few fieldsets a partner fills in, authors kept in
order without position numbers, and files shown by name and readable size, never by
their storage path."""

import posixpath

from django import forms
from django.conf import settings
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from resources.models import ResourceAuthor

# What a partner sets, in the order a person describes a document.
PARTNER_FIELDSETS = [
    (
        _("What it is"),
        {
            "fields": ["title", "slug", "resource_type", "summary", "language", "seen_version"],
            "description": _(
                "Fields in bold with an asterisk (*) are needed to save a draft. Fields "
                "marked “Needed to submit” must be filled in before the resource can be "
                "submitted for review."
            ),
        },
    ),
    (
        _("Who made it and when"),
        {
            "fields": ["publisher", "year", "date", "doi", "isbn", "publisher_code"],
            "description": _(
                "Add the authors in the “Authors” section below the form, first author first."
            ),
        },
    ),
    (
        _("Where and about what"),
        {"fields": ["is_global", "countries", "themes", "commodities", "tags"]},
    ),
    (
        _("The file"),
        {"fields": ["file", "readable_size", "external_url", "licence", "is_open_access"]},
    ),
]

# What the completeness check asks for, said on the field itself.
NEEDED_TO_SUBMIT = _("Needed to submit.")


# The fields the completeness check (services.resource_missing) asks for.
NEEDED_FIELDS = ["summary", "year", "language", "countries", "themes", "file", "licence"]


def mark_needed_to_submit(fields):
    """Say on each field the completeness check asks for that it is needed to submit."""
    for name in NEEDED_FIELDS:
        if name in fields:
            help_text = fields[name].help_text
            fields[name].help_text = format_lazy("{} {}", NEEDED_TO_SUBMIT, help_text or "")


def readable_size(size):
    """A size in bytes as people read it ("2.4 MB"), or a dash."""
    return filesizeformat(size) if size else "—"


class NamedFileInput(forms.ClearableFileInput):
    """The file input showing the current file by its name only: the storage path (and a
    link to it, which the hub never serves) stay hidden."""

    template_name = "resources/widgets/file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["file_name"] = posixpath.basename(str(value.name))
        return context


class ResumableFileInput(NamedFileInput):
    """The resource's file input, which the form's script (resumable-upload.js) turns
    into a resumable upload with progress: it sends the file in parts to the tus
    endpoint and puts the upload's id in the hidden `<name>_upload` field beside it.
    Without the script the input sends the file with the form, as before."""

    template_name = "resources/widgets/resumable_file_input.html"
    upload_id = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            upload_name=upload_field_name(name),
            upload_id=self.upload_id,
            upload_url=reverse("admin:resources_resource_uploads"),
            chunk_size=settings.ASMHUB_UPLOAD_CHUNK_SIZE,
        )
        return context


def upload_field_name(name):
    """The hidden field carrying the id of a resumable upload for file field name."""
    return f"{name}_upload"


def label_row_fields(form):
    """Name each field of a table row for assistive technology: a table's column header
    is not a label."""
    for field in form.fields.values():
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("aria-label", str(field.label))


class LabelledRowsFormSet(BaseInlineFormSet):
    """An inline table whose every field, the delete box included, is labelled."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        label_row_fields(form)


class LanguageVersionForm(forms.ModelForm):
    """A row of the translations table, its fields labelled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_row_fields(self)


class AuthorForm(forms.ModelForm):
    """An author row whose place is a hidden number: the rows' order on the page (moved
    with the up and down buttons when JavaScript runs) is the authors' order."""

    class Meta:
        model = ResourceAuthor
        fields = ["position", "name", "is_organisation"]
        widgets = {"position": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        label_row_fields(self)
        if self.instance.pk is None:
            # A new row has no place until the script gives it one: it goes last.
            self.initial["position"] = None


def order_authors(forms_in_page_order):
    """Number the kept author forms 0, 1, 2… by their submitted position, rows without
    one (added without JavaScript) after the others in page order."""
    kept = [
        (index, form)
        for index, form in enumerate(forms_in_page_order)
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]

    def place(item):
        index, form = item
        position = form.cleaned_data.get("position")
        return (10_000 if position is None else position, index)

    for number, (_index, form) in enumerate(sorted(kept, key=place)):
        form.instance.position = number
