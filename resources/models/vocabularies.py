"""Countries, organisations and the controlled vocabularies (themes, commodities)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries
from simple_history.models import HistoricalRecords

from resources import labels
from resources.files.images import LogoField
from resources.querysets import OrganisationQuerySet


class Country(models.Model):
    """A country, keyed by its ISO 3166-1 alpha-2 code, with headline ASM figures."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        primary_key=True,
        choices=list(iso_countries),
        help_text=_("ISO 3166-1 alpha-2 code, e.g. GH."),
    )
    region = models.CharField(_("region"), max_length=80, blank=True)
    is_programme_country = models.BooleanField(_("programme country"), default=False)
    est_asm_miners = models.PositiveBigIntegerField(
        _("estimated ASM miners"), null=True, blank=True
    )
    est_asm_miners_low = models.PositiveBigIntegerField(
        _("estimate, low end"), null=True, blank=True
    )
    est_asm_miners_high = models.PositiveBigIntegerField(
        _("estimate, high end"), null=True, blank=True
    )
    figures_year = models.PositiveSmallIntegerField(_("year of the figures"), null=True, blank=True)
    figures_source = models.TextField(_("source of the figures"), blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("ASM in the country and the programme's work there, in English."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_upper_alpha2",
            ),
        ]

    def __str__(self):
        return str(self.name)

    def get_absolute_url(self):
        return reverse("country-detail", args=[self.slug])

    @property
    def name(self):
        return labels.country_name(self.code)

    @property
    def slug(self):
        return self.code.lower()

    def clean(self):
        self.code = (self.code or "").upper()
        if self.code not in dict(iso_countries):
            raise ValidationError({"code": _("Not an ISO 3166-1 alpha-2 country code.")})


class Organisation(models.Model):
    """A government body, company, NGO, research institute or other organisation."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        ASM_ORGANISATION = "asm", _("ASM organisation")
        LARGE_SCALE_MINING = "lsm", _("Large-scale mining")
        CIVIL_SOCIETY = "ngo", _("NGO / civil society")
        RESEARCH = "research", _("Research")
        DONOR = "donor", _("Donor")
        INTERNATIONAL = "international", _("International initiative")
        BUYER = "buyer", _("Buyer / refiner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    is_partner = models.BooleanField(_("programme partner"), default=False)
    description = models.TextField(_("description"), blank=True)
    logo = LogoField(  # checked by content, stripped of metadata, resized (files/images.py)
        _("logo"), blank=True, width_field="logo_width", height_field="logo_height"
    )
    logo_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.acronym or self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:organisation-detail", args=[self.slug])


class Vocabulary(models.Model):
    """A term of a controlled vocabulary, with a stable slug used in URLs."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("Other words for this term, in any language: a search for them finds it."),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Commodity(Vocabulary):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader commodity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("e.g. 'development minerals' over sand and gravel."),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A commodity cannot sit under itself.")})
            ancestor = ancestor.parent
