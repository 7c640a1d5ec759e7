"""Filter fields that forgive: what every list page's FilterSet shares.

A shared URL with one unknown value keeps the rest and says what it dropped; search text
loses the control characters nobody types; and every page state has one canonical
spelling, for links, feeds and saved searches.
"""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.utils.translation import gettext as _

from core.xmlsafe import xml_safe

MAX_VALUES_PER_FILTER = 20


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice that keeps the values it knows and remembers the ones it does not,
    so one unknown country in a shared URL does not throw away the others."""

    def __init__(self, *args, normalise=None, known=None, **kwargs):
        self.normalise = normalise
        self.known = known
        super().__init__(*args, **kwargs)
        self.rejected = []

    def to_python(self, value):
        values = super().to_python(value)
        if self.normalise:
            values = [self.normalise(v) for v in values]
        return list(dict.fromkeys(values))[:MAX_VALUES_PER_FILTER]

    def validate(self, value):
        if not value:
            self.rejected = []
            return
        known = self.known_values()
        self.rejected = [v for v in value if str(v) not in known]

    def known_values(self):
        """The values the choices hold, as strings: known() where the filter gives it (a
        container kept by its owner: the country codes of a language, the themes of a
        content version), else read in one pass. Django's valid_value reads every choice
        for each value asked (normalising a callable's list anew: 249 countries), which
        was a visible part of a library page's time (docs/performance.md)."""
        if self.known is not None:
            return self.known()
        known = set()
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group of choices
                known.update(str(k) for k, _label in label)
            else:
                known.add(str(key))
        return known

    def clean(self, value):
        values = super().clean(value)
        return [v for v in values if v not in self.rejected]


class SearchTextField(forms.CharField):
    """Search text without the control characters no one types on purpose (and XML
    cannot hold: the feed of a search names it)."""

    def to_python(self, value):
        return xml_safe(super().to_python(value)).strip()


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


def canonical_params(filterset, *, skip=()):
    """A bound FilterSet's valid filters as sorted (name, value) pairs, country codes in
    lower case, less skip: one spelling of each result set (any page's FilterSet)."""
    if not filterset.is_bound:
        return []
    filterset.errors  # noqa: B018 - cleans the form
    cleaned = filterset.form.cleaned_data
    pairs = []
    for name in sorted(filterset.filters):
        value = cleaned.get(name)
        if name in skip or value in (None, "", [], ()):
            continue
        values = value if isinstance(value, list) else [value]
        if name == "country":
            values = [v.lower() for v in values]
        pairs += [(name, str(v)) for v in sorted(values)]
    return pairs


def canonical_query(filterset, page_obj=None):
    """ "?…" of canonical_params plus the page past the first, or "" when there is none."""
    params = canonical_params(filterset)
    if page_obj is not None and page_obj.number > 1:
        params.append(("page", page_obj.number))
    return f"?{urlencode(params)}" if params else ""


def ignored_notes(filterset):
    """What in a bound FilterSet's query string was ignored, and why, for a visible note:
    unknown values of lenient fields, and fields whose value was refused."""
    filterset.errors  # noqa: B018 - cleans the form
    notes = []
    for field in filterset.form.fields.values():
        for value in getattr(field, "rejected", []):
            notes.append(
                _("Unknown %(filter)s “%(value)s” was ignored.")
                % {"filter": str(field.label).lower(), "value": value[:60]}
            )
    for name, errors in filterset.form.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else name
        notes.append(
            _("%(filter)s was ignored: %(error)s")
            % {"filter": label, "error": " ".join(str(e) for e in errors)}
        )
    return notes
