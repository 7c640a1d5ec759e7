"""Review and publication: status changes, partner profiles, the review queue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .resource import Resource
from .vocabularies import Organisation


class BaseStatusChange(models.Model):
    """What every record of a review step holds besides the record and its two statuses
    (whose choices are the record's): what was said, by whom and when. The library's
    resources and the network's news keep theirs on it."""

    comment = models.TextField(_("comment"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True


class StatusChange(BaseStatusChange):
    """One step of the review workflow: who moved a resource from which status to which,
    when, and what they said."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Resource.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Resource.Status.choices)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class PartnerProfile(models.Model):
    """Attaches a user to the one organisation whose resources they may edit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_profile",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partners",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation", "user"]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ReviewQueueItem(Resource):
    """The curators' view of resources waiting for review (a proxy of Resource)."""

    class Meta:
        proxy = True
        verbose_name = _("resource in review")
        verbose_name_plural = _("review queue")


class NotificationSetting(models.Model):
    """Which workflow mails a person wants, and in which of the interface's languages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_setting",
    )
    on_submission = models.BooleanField(
        _("mail me when resources are submitted for review (curators; at most hourly)"),
        default=True,
    )
    on_published = models.BooleanField(_("mail me when my submission is published"), default=True)
    on_sent_back = models.BooleanField(
        _("mail me when my submission is sent back with a comment"), default=True
    )
    language = models.CharField(
        _("language of these mails"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    submissions_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mail setting")
        verbose_name_plural = _("mail settings")

    def __str__(self):
        return str(self.user)
