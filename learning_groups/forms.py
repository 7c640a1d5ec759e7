"""The choice of year and indicator on /outlooks/."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator

DEFAULT_INDICATOR = Indicator.ASM_MINERS


class OutlookComparisonForm(forms.Form):
    """Year and indicator to compare; anything invalid falls back to the default, with a
    note, rather than failing the page."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["year"].choices = [(year, year) for year in self.years]

    def selection(self):
        """(year, indicator, notes): the valid choice or the default for each field."""
        notes = []
        self.is_valid()  # cleans the form; cleaned_data then holds only the valid fields
        data = getattr(self, "cleaned_data", {})
        for name, errors in self.errors.items():
            notes.append(
                _("%(field)s was ignored: %(error)s")
                % {"field": self.fields[name].label, "error": " ".join(errors)}
            )
        year = data.get("year") or (self.years[0] if self.years else None)
        indicator = data.get("indicator") or DEFAULT_INDICATOR
        return year, indicator, notes

    def canonical_query(self):
        """ "?…" of the valid choices the query string made, less the default indicator:
        the comparison's one spelling. A year stays explicit, since the default (the
        newest) moves when a new Outlook comes."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        params = []
        if data.get("indicator") and data["indicator"] != DEFAULT_INDICATOR:
            params.append(("indicator", data["indicator"]))
        if data.get("year"):
            params.append(("year", data["year"]))
        return f"?{urlencode(params)}" if params else ""
