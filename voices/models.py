"""Miners' voices: what miners and their representatives want policy-makers to know,
shared through the public form or gathered in person, seen only once a curator has
published it, and withdrawn (to a bare record) whenever the person asks."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.models import Dialogue
from learning_groups.models import LearningGroup, Meeting
from resources.models import Commodity, Country, Theme

from .querysets import VoiceQuerySet

TEXT_MAX_LENGTH = 3000


def hash_token(token):
    """What is stored of a withdrawal token: its SHA-256, so the database alone cannot
    withdraw anybody's voice."""
    return hashlib.sha256(token.encode()).hexdigest()


class Voice(models.Model):
    """One contribution: a text, optionally a photo or a recording, and who said it as
    far as the person chose to be named."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")

    class Role(models.TextChoices):
        MINER = "miner", _("Miner")
        MINE_OWNER = "mine_owner", _("Mine owner")
        TRADER = "trader", _("Trader")
        COMMUNITY = "community", _("Community member")
        ASSOCIATION = "association", _("Association")

    class Naming(models.TextChoices):
        FULL = "full", _("My full name")
        FIRST = "first", _("My first name only")
        ANONYMOUS = "anonymous", _("Anonymous")

    class Source(models.TextChoices):
        FORM = "form", _("Shared online")
        IN_PERSON = "in_person", _("Gathered in person")

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.IN_PERSON
    )
    text = models.TextField(_("what they want policy-makers to know"), blank=True)
    name = models.CharField(
        _("name shown"),
        max_length=120,
        blank=True,
        help_text=_("Only what the person agreed to show: empty when anonymous."),
    )
    naming = models.CharField(
        _("named as"), max_length=10, choices=Naming.choices, default=Naming.ANONYMOUS
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voices",
    )
    commodity = models.ForeignKey(
        Commodity,
        verbose_name=_("commodity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voices",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="voices"
    )
    photo = models.FileField(_("photo"), upload_to="voices/photos/", blank=True)
    photo_description = models.CharField(
        _("photo description"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    audio = models.FileField(_("recording"), upload_to="voices/audio/", blank=True)
    audio_type = models.CharField(_("recording type"), max_length=40, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    consent_at = models.DateTimeField(_("consent to publish given"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    learning_group = models.ForeignKey(
        LearningGroup,
        verbose_name=_("learning group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voices",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voices",
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voices",
    )
    rejection_reason = models.TextField(
        _("reason for rejecting"), blank=True, help_text=_("Private: never shown publicly.")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=["token_hash"])

    objects = VoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("voice")
        verbose_name_plural = _("voices")
        ordering = ["-published_at", "-pk"]
        permissions = [("moderate_voice", _("Can publish, reject and withdraw voices"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(consent_at__isnull=False),
                name="voice_published_with_consent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | (models.Q(text="") & models.Q(name="") & models.Q(photo="") & models.Q(audio="")),
                name="voice_withdrawn_is_empty",
            ),
        ]

    def __str__(self):
        if self.status == self.Status.WITHDRAWN:
            return _("Withdrawn voice #%(pk)s") % {"pk": self.pk}
        excerpt = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"#{self.pk}: {excerpt}"

    def get_absolute_url(self):
        return reverse("voices:detail", args=[self.pk])

    def clean(self):
        """A meeting belongs to a learning group: the voice names that group."""
        if self.meeting_id:
            group_id = self.meeting.group_id
            if self.learning_group_id and self.learning_group_id != group_id:
                raise ValidationError(
                    {"meeting": _("This meeting belongs to another learning group.")}
                )
            self.learning_group_id = group_id

    @property
    def speaker(self):
        """The name shown, or None for an anonymous voice."""
        return self.name if self.naming != self.Naming.ANONYMOUS and self.name else None

    @property
    def audio_size(self):
        """The recording's size in bytes, or None when storage cannot say (the page then
        shows no size rather than failing)."""
        try:
            return self.audio.size if self.audio else None
        except OSError:
            return None

    @property
    def audio_playable(self):
        """Browsers play these in <audio>; AMR is offered as a download only."""
        return bool(self.audio) and self.audio_type != "audio/amr"
