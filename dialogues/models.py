"""Dialogues: multi-stakeholder processes (scoping, engagement, field visits, workshop,
follow-up), who sat at the table, and the documents of each stage."""

import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import ends_after_start
from core.translations import Translation, translation_meta
from learning_groups.models import LearningGroup, StakeholderGroup
from resources.models import Country, Organisation, Resource, Theme

from .querysets import DialogueQuerySet


class Dialogue(models.Model):
    """A dialogue: an international, national or thematic process with a main event."""

    class Scope(models.TextChoices):
        INTERNATIONAL = "international", _("International")
        NATIONAL = "national", _("National")
        THEMATIC = "thematic", _("Thematic")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    scope = models.CharField(_("scope"), max_length=15, choices=Scope.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogues",
        help_text=_("Required for a national dialogue."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("IANA name of the place's time zone, e.g. Africa/Accra."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    times_known = models.BooleanField(
        _("times known"),
        default=True,
        help_text=_(
            "Untick when the sources give only the days: the hub then shows dates only "
            "and calendars get all-day events."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    summary = models.TextField(_("summary"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="dialogues"
    )
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="organised_dialogues"
    )
    convenors = models.ManyToManyField(
        Organisation, verbose_name=_("convenors"), blank=True, related_name="convened_dialogues"
    )
    learning_group = models.ForeignKey(
        LearningGroup,
        verbose_name=_("learning group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogues",
        help_text=_("The learning group the dialogue led to or belongs to."),
    )
    participant_count = models.PositiveIntegerField(
        _("participants in all"),
        null=True,
        blank=True,
        help_text=_("Leave empty when unknown; counts by group go below."),
    )
    participant_note = models.CharField(
        _("note on the participant count"),
        max_length=300,
        blank=True,
        help_text=_("e.g. where sources give different numbers."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DialogueQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[themes, organisers, convenors])

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-starts_at", "title"]
        constraints = [
            ends_after_start(
                "starts_at",
                "ends_at",
                name="dialogue_ends_after_start",
                message=_("A dialogue cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(scope="national") | Q(country__isnull=False),
                name="national_dialogue_has_country",
                violation_error_message=_("A national dialogue needs its country."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogues:detail", args=[self.slug])

    def get_calendar_url(self):
        return reverse("dialogues:event-ics", args=[self.slug])

    @property
    def kind_label(self):
        """ "National dialogue" and the like, one phrase so each language orders its words."""
        return {
            self.Scope.INTERNATIONAL: _("International dialogue"),
            self.Scope.NATIONAL: _("National dialogue"),
            self.Scope.THEMATIC: _("Thematic dialogue"),
        }.get(self.scope, self.get_scope_display())

    @property
    def tz(self):
        """The place's time zone (UTC if the stored name is unknown to this system)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.tz)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.tz)

    def clean(self):
        errors = {}
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = _("Give an IANA time zone name, e.g. Africa/Accra.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("A dialogue cannot end before it starts.")
        if self.scope == self.Scope.NATIONAL and not self.country_id:
            errors["country"] = _("A national dialogue needs its country.")
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """A stakeholder group at the table, with how many of its people took part."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participation")
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    count = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, help_text=_("Leave empty when unknown.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stakeholder group at the table")
        verbose_name_plural = _("stakeholder groups at the table")
        ordering = ["dialogue", "stakeholder_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "stakeholder_group"], name="one_count_per_stakeholder_group"
            )
        ]

    def __str__(self):
        return self.get_stakeholder_group_display()


class Stage(models.Model):
    """One stage of a dialogue process, from scoping research to follow-up dialogues."""

    class Kind(models.TextChoices):
        SCOPING = "scoping", _("Scoping research")
        PRE_DIALOGUE = "pre_dialogue", _("Pre-dialogue engagement")
        FIELD_VISITS = "field_visits", _("Field visits")
        WORKSHOP = "workshop", _("Workshop")
        FOLLOW_UP = "follow_up", _("Follow-up thematic dialogue")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=15, choices=Kind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["dialogue", "starts_on", "pk"]
        constraints = [
            ends_after_start(
                "starts_on",
                "ends_on",
                optional=["ends_on"],
                name="stage_ends_after_start",
                message=_("A stage cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.dialogue}: {self.get_kind_display()}"


class DialogueDocument(models.Model):
    """A library resource in the role it plays for a dialogue."""

    class Role(models.TextChoices):
        BACKGROUND = "background", _("Background paper")
        RESEARCH = "research", _("Pre-dialogue research")
        AGENDA = "agenda", _("Agenda")
        OUTCOME = "outcome", _("Outcome or co-chairs' summary")
        PRESENTATION = "presentation", _("Presentation")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="documents")
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="dialogue_documents",
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["dialogue", "role", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "resource", "role"], name="dialogue_document_once_per_role"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.resource}"


class DialogueTranslation(Translation):
    """A dialogue's title and summary in another language of the interface."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    record_field = "dialogue"

    Meta = translation_meta("dialogue", "one_dialogue_translation_per_language")
