"""Learning groups (one per country, with members, meetings and outputs) and the National
ASM Outlooks, whose structured indicators let countries be compared side by side."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import ends_after_start
from core.translations import Translation, translation_meta
from resources.models import MAX_YEAR, MIN_YEAR, Country, Organisation, Resource

from .querysets import LearningGroupQuerySet, OutlookIndicatorQuerySet, OutlookReportQuerySet


class StakeholderGroup(models.TextChoices):
    """Who sits at the table: used by learning group members and dialogue participants."""

    GOVERNMENT = "government", _("Government")
    LARGE_SCALE_MINING = "lsm", _("Large-scale mining")
    ASM = "asm", _("ASM miners and their organisations")
    WOMEN_MINERS = "women", _("Women miners")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    BUYERS = "buyers", _("Buyers and refiners")
    RESEARCH = "research", _("Research")
    DONORS = "donors", _("Donors")


class LearningGroup(models.Model):
    """A country's multi-stakeholder learning group: at most one per country."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")

    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="learning_groups",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FORMING
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("Leave empty while the group meets.")
    )
    convenors = models.ManyToManyField(
        Organisation,
        verbose_name=_("convening organisations"),
        blank=True,
        related_name="convened_learning_groups",
    )
    outputs = models.ManyToManyField(
        Resource,
        verbose_name=_("outputs"),
        blank=True,
        related_name="learning_group_outputs",
        help_text=_("Resources the group produced."),
    )
    # Saving a group in the admin saves it with its members and meetings inline, so this
    # is the page's last change (the sitemap's lastmod).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LearningGroupQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[convenors, outputs])

    class Meta:
        verbose_name = _("learning group")
        verbose_name_plural = _("learning groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                name="one_learning_group_per_country",
                violation_error_message=_("This country already has a learning group."),
            ),
            ends_after_start(
                "started_on",
                "ended_on",
                optional=["ended_on", "started_on"],
                name="learning_group_ends_after_start",
                message=_("A group cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("learning_groups:detail", args=[self.slug])


class Membership(models.Model):
    """An organisation's seat in a learning group. A person's name is only ever shown
    publicly when they consented to it."""

    class Role(models.TextChoices):
        CONVENOR = "convenor", _("Convenor")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="learning_group_memberships",
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    person_name = models.CharField(
        _("person"), max_length=200, blank=True, help_text=_("Shown publicly only with consent.")
    )
    name_consent = models.BooleanField(
        _("consents to the name being public"),
        default=False,
        help_text=_("Tick only with the person's recorded consent."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["group", "role", "organisation__name", "pk"]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"

    @property
    def public_person_name(self):
        """The person's name if they consented to it being shown, else an empty string."""
        return self.person_name if self.name_consent else ""


class Meeting(models.Model):
    """One meeting of a learning group, with the documents it used or produced."""

    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    documents = models.ManyToManyField(
        Resource, verbose_name=_("documents"), blank=True, related_name="meetings"
    )

    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["group", "-date", "pk"]

    def __str__(self):
        return f"{self.group} – {self.date:%Y-%m-%d}"


class OutlookReport(models.Model):
    """The National ASM Outlook of one country for one year."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="outlooks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    document = models.ForeignKey(
        Resource,
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outlook_reports",
        help_text=_("The published Outlook in the library."),
    )
    summary = models.TextField(_("summary"), blank=True)
    is_sample = models.BooleanField(
        _("sample Outlook"),
        default=False,
        help_text=_("A demonstration Outlook, not a published one: the public pages say so."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OutlookReportQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("National ASM Outlook")
        verbose_name_plural = _("National ASM Outlooks")
        ordering = ["-year", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year"],
                name="one_outlook_per_country_and_year",
                violation_error_message=_("This country already has an Outlook for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="outlook_year_in_range",
            ),
        ]

    def __str__(self):
        return self.title or _("National ASM Outlook: %(country)s %(year)s") % {
            "country": self.country.name,
            "year": self.year,
        }

    def get_absolute_url(self):
        return reverse("learning_groups:outlook-country", args=[self.country.slug])

    @property
    def public_document(self):
        """The Outlook's document if the public may see it, else None."""
        document = self.document
        return document if document is not None and document.is_published else None


class Indicator(models.TextChoices):
    """The Outlook indicators; numeric ones can be charted, text ones are only tabulated."""

    ASM_MINERS = "asm_miners", _("Estimated ASM miners")
    WOMEN_SHARE = "women_share", _("Share of women")
    MAIN_COMMODITIES = "main_commodities", _("Main commodities")
    FORMALISED_SHARE = "formalised_share", _("Share of miners formalised or licensed")
    GOLD_OUTPUT = "gold_output", _("ASM gold output")
    MERCURY_USE = "mercury_use", _("Mercury use in ASM")
    LEGAL_FRAMEWORK = "legal_framework", _("Legal framework")
    MINAMATA_NAP = "minamata_nap", _("Minamata National Action Plan status")


TEXT_INDICATORS = {Indicator.MAIN_COMMODITIES, Indicator.LEGAL_FRAMEWORK, Indicator.MINAMATA_NAP}
DEFAULT_UNITS = {
    Indicator.ASM_MINERS: _("people"),
    Indicator.WOMEN_SHARE: "%",
    Indicator.FORMALISED_SHARE: "%",
    Indicator.GOLD_OUTPUT: _("tonnes a year"),
    Indicator.MERCURY_USE: _("tonnes a year"),
}


class OutlookIndicator(models.Model):
    """One indicator of an Outlook: a number (with an optional low–high range where the
    estimate is uncertain) or a text, with its unit, source and year."""

    report = models.ForeignKey(OutlookReport, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    low = models.DecimalField(_("low"), max_digits=14, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(_("high"), max_digits=14, decimal_places=2, null=True, blank=True)
    text_value = models.CharField(
        _("text value"),
        max_length=300,
        blank=True,
        help_text=_("For main commodities, legal framework and action plan status."),
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year of the figure"),
        null=True,
        blank=True,
        help_text=_("The year the figure refers to; leave empty when the source gives none."),
    )
    is_sample = models.BooleanField(
        _("sample figure"),
        default=False,
        help_text=_("Illustrative, not sourced: shown as a sample figure on every page."),
    )

    objects = OutlookIndicatorQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["report", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_value_per_outlook_indicator"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="indicator_low_not_above_high",
                violation_error_message=_("The low end cannot be above the high end."),
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.get_indicator_display()}"

    def save(self, *args, **kwargs):
        if not self.unit:
            self.unit = str(DEFAULT_UNITS.get(self.indicator, ""))
        super().save(*args, **kwargs)

    @property
    def is_text(self):
        return self.indicator in TEXT_INDICATORS

    @property
    def is_missing(self):
        """True when the row says nothing: no value, no range and no text."""
        if self.is_text:
            return not self.text_value
        return self.value is None and self.low is None and self.high is None

    def clean(self):
        errors = {}
        if self.is_text and any(n is not None for n in (self.value, self.low, self.high)):
            errors["text_value"] = _("This indicator takes a text, not a number.")
        if not self.is_text and self.text_value:
            errors["value"] = _("This indicator takes a number, not a text.")
        if self.low is not None and self.high is not None and self.low > self.high:
            errors["low"] = _("The low end cannot be above the high end.")
        if self.value is not None and (
            (self.low is not None and self.value < self.low)
            or (self.high is not None and self.value > self.high)
        ):
            errors["value"] = _("The value must lie within its range.")
        if self.indicator in (Indicator.WOMEN_SHARE, Indicator.FORMALISED_SHARE):
            for name in ("value", "low", "high"):
                number = getattr(self, name)
                if number is not None and not 0 <= number <= 100:
                    errors[name] = _("A share is a percentage between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class LearningGroupTranslation(Translation):
    """A learning group's name and description in another language of the interface."""

    group = models.ForeignKey(
        LearningGroup,
        verbose_name=_("learning group"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    record_field = "group"

    Meta = translation_meta("group", "one_group_translation_per_language")


class OutlookReportTranslation(Translation):
    """An Outlook's title and summary in another language of the interface."""

    report = models.ForeignKey(
        OutlookReport,
        verbose_name=_("National ASM Outlook"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    record_field = "report"

    Meta = translation_meta("report", "one_outlook_translation_per_language")
