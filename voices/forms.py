"""The public form to share a voice, and the withdrawal key's."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from resources.models import Commodity, Country

from . import media, services
from .models import TEXT_MAX_LENGTH, Voice


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.name)


class ShareForm(forms.Form):
    """What a miner wants policy-makers to know, who they are as far as they choose, and
    their consent. Photo and recording are stripped of metadata while the form is
    cleaned: cleaned_data holds the clean files, never the uploads."""

    text = forms.CharField(
        label=_("What do you want policy-makers to know?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=True,
    )
    photo = forms.FileField(label=_("A photo (optional)"), required=False)
    audio = forms.FileField(label=_("A voice recording (optional)"), required=False)
    country = CountryChoiceField(
        label=_("Country"), queryset=Country.objects.none(), empty_label=_("Choose a country")
    )
    commodity = forms.ModelChoiceField(
        label=_("What is mined (optional)"),
        queryset=Commodity.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Not said"),
    )
    role = forms.ChoiceField(
        label=_("You are"), choices=Voice.Role.choices, widget=forms.RadioSelect
    )
    naming = forms.ChoiceField(
        label=_("How should we name you?"),
        choices=Voice.Naming.choices,
        initial=Voice.Naming.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that ASM Hub publishes what I share, named as I chose, after a "
            "moderator has read it. I can withdraw it at any time with my private link."
        )
    )
    # The honeypot: hidden from people, filled in by robots that fill in everything.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = sorted(Country.objects.all(), key=lambda c: str(c.name))
        self.fields["country"].queryset = Country.objects.all()
        self.fields["country"].choices = [("", self.fields["country"].empty_label)] + [
            (c.pk, str(c.name)) for c in countries
        ]
        self.fields["commodity"].queryset = Commodity.objects.order_by("name")
        self.photo_limit = filesizeformat(settings.ASMHUB_VOICE_MAX_PHOTO_SIZE)
        self.audio_limit = filesizeformat(settings.ASMHUB_VOICE_MAX_AUDIO_SIZE)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return media.clean_photo(upload) if upload else None

    def clean_audio(self):
        upload = self.cleaned_data.get("audio")
        if not upload:
            return None
        self.audio_type = ""
        cleaned, self.audio_type = media.clean_audio(upload)
        return cleaned

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(_("Leave the last field empty."), code="honeypot")
        naming = cleaned.get("naming")
        if naming and naming != Voice.Naming.ANONYMOUS and not cleaned.get("name", "").strip():
            self.add_error("name", _("Give your name, or choose to stay anonymous."))
        return cleaned


class WithdrawForm(forms.Form):
    """The withdrawal key: filled in from the private link's fragment by a small script,
    or pasted from the thank-you page. Valid when it names a voice not yet withdrawn
    (self.voice)."""

    key = forms.CharField(
        label=_("Withdrawal key"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_key(self):
        key = self.cleaned_data["key"]
        self.voice = services.voice_for_token(key)
        if self.voice is None:
            raise ValidationError(_("This key is not valid, or the voice was already withdrawn."))
        return key
