"""An e-mail alert on a library search."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    """An e-mail alert on a library search, without an account: double opt-in, then a
    daily or weekly digest of resources published since the last one."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail address"))
    query = models.CharField(
        _("search"),
        max_length=1000,
        blank=True,
        help_text=_("The library's filters and search words as a canonical query string."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        help_text=_("The interface language the alert was asked in; its mails are written in it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation mailed"),
        null=True,
        blank=True,
        help_text=_("When the last confirmation link was queued for this address and search."),
    )
    sent_until = models.DateTimeField(
        _("covered until"),
        null=True,
        blank=True,
        help_text=_("Resources published up to this moment have been mailed or predate it."),
    )
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="subscription_unique_search"),
        ]

    def __str__(self):
        return f"{self.email}: {self.query or _('all new resources')}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None
