"""Forms of the library's public pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from resources.models import Subscription


class SubscriptionForm(forms.Form):
    """An e-mail alert on the search carried in the page's query string."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
