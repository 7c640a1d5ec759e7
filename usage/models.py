"""Raw use events, the day's salt of the session hash, and the daily aggregates.

An item is named generically (a kind such as "resource" and an id), so that the apps can
record their use without this package knowing their models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.IntegerChoices):
    VIEW = 1, _("view")
    DOWNLOAD = 2, _("download")
    # A request to a machine endpoint (API, OAI-PMH, feeds), counted apart.
    REQUEST = 3, _("machine request")


class Event(models.Model):
    """One counted request, kept only until its day is aggregated. `session` is a hash of
    the client address and browser with the day's salt: once the salt is thrown away it
    can no longer be tied to anyone."""

    at = models.DateTimeField(db_index=True)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    machine = models.BooleanField(default=False)
    item_kind = models.CharField(max_length=24)
    item_id = models.PositiveBigIntegerField(default=0)
    # The language version of a download ("" for the main file), or the endpoint's name.
    variant = models.CharField(max_length=24, blank=True)
    session = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("use event")
        verbose_name_plural = _("use events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.item_kind}:{self.item_id} {self.at:%Y-%m-%d}"


class DaySalt(models.Model):
    """The random salt of one day's session hashes, deleted once the day is aggregated."""

    day = models.DateField(primary_key=True)
    value = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)


class DailyUsage(models.Model):
    """One item's use on one day by the COUNTER rules: totals without double clicks, and
    unique counts (once per session-hour). Machine use is kept on rows of its own."""

    day = models.DateField()
    item_kind = models.CharField(max_length=24)
    item_id = models.PositiveBigIntegerField(default=0)
    machine = models.BooleanField(default=False)
    views = models.PositiveIntegerField(default=0)
    unique_views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    unique_downloads = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "item_kind", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "item_kind", "item_id", "machine"], name="usage_daily_unique"
            )
        ]
        indexes = [models.Index(fields=["item_kind", "item_id"], name="usage_daily_item")]
        verbose_name = _("daily use")
        verbose_name_plural = _("daily use")

    def __str__(self):
        return f"{self.item_kind}:{self.item_id} {self.day}"


class AggregatedDay(models.Model):
    """A day whose events are aggregated; `closed` once the day is over, its events and
    salt deleted, and its figures final."""

    day = models.DateField(primary_key=True)
    closed = models.BooleanField(default=False)
    aggregated_at = models.DateTimeField()

    def __str__(self):
        return str(self.day)


class Baseline(models.Model):
    """Downloads counted before COUNTER counting began (the old raw counter): shown added
    to the COUNTER figures, never mixed into the monthly series."""

    item_kind = models.CharField(max_length=24)
    item_id = models.PositiveBigIntegerField()
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item_kind", "item_id"], name="usage_baseline_unique")
        ]

    def __str__(self):
        return f"{self.item_kind}:{self.item_id} {self.downloads}"
