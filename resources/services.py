"""State changes of e-mail alerts: subscribe, confirm, unsubscribe, send digests."""

import datetime as dt
import logging
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .filters import ResourceFilter
from .models import Resource, Subscription

logger = logging.getLogger(__name__)

CONFIRM_SALT = "resources.alerts.confirm"
UNSUBSCRIBE_SALT = "resources.alerts.unsubscribe"
DIGEST_LIMIT = 50
PERIODS = {
    Subscription.Frequency.DAILY: dt.timedelta(days=1),
    Subscription.Frequency.WEEKLY: dt.timedelta(days=7),
}
# A cron job that starts a little early must still send; one run twice must not.
PERIOD_SLACK = dt.timedelta(hours=2)


# -- tokens and links -----------------------------------------------------------------------


def confirm_token(subscription):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))


def unsubscribe_token(subscription):
    # Never expires: the link in a digest of last year must still work.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription.pk))


def read_confirm_token(token):
    """The subscription pk in a confirmation token, or None if bad or expired."""
    max_age = dt.timedelta(days=settings.ASMHUB_ALERT_CONFIRM_DAYS)
    try:
        return int(signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError):
        return None


def read_unsubscribe_token(token):
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def absolute(path):
    return settings.ASMHUB_BASE_URL + path


def unsubscribe_url(subscription):
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]))


def canonical_query(params):
    """The canonical query string of the library filters in params (a QueryDict)."""
    return urlencode(ResourceFilter(params, queryset=Resource.objects.none()).canonical_params())


def describe_query(query):
    """A short human description of a saved search."""
    pairs = parse_qsl(query)
    if not pairs:
        return _("all new resources")
    return "; ".join(f"{name}: {value}" for name, value in pairs)


def _send(subscription, subject, template, context, connection=None):
    body = render_to_string(
        template,
        {
            "subscription": subscription,
            "search": describe_query(subscription.query),
            "library_url": absolute(reverse("resources:list"))
            + (f"?{subscription.query}" if subscription.query else ""),
            "unsubscribe_url": unsubscribe_url(subscription),
            "site_name": settings.ASMHUB_SITE_NAME,
            **context,
        },
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()


# -- services ----------------------------------------------------------------------------------


@transaction.atomic
def subscription_request(*, email, params, frequency):
    """Record a wish to receive alerts for the library search in params and mail a
    confirmation link; an already confirmed subscription only changes its frequency, and
    the answer to the visitor is the same either way (no address probing)."""
    subscription, _created = Subscription.objects.get_or_create(
        email=email.strip().lower(),
        query=canonical_query(params),
        defaults={"frequency": frequency},
    )
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    if not subscription.is_confirmed:
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                subscription,
                _("Confirm your %(site)s alert") % {"site": settings.ASMHUB_SITE_NAME},
                "resources/email/alert_confirm.txt",
                {
                    "confirm_url": absolute(
                        reverse("alerts:confirm", args=[confirm_token(subscription)])
                    ),
                    "days": settings.ASMHUB_ALERT_CONFIRM_DAYS,
                },
            )
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription, now=None):
    """Confirm a subscription: digests cover resources published from now on."""
    if not subscription.is_confirmed:
        now = now or timezone.now()
        subscription.confirmed_at = now
        subscription.sent_until = now
        subscription.save(update_fields=["confirmed_at", "sent_until"])
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription):
    """Unsubscribe: the address and search are deleted, not kept."""
    subscription.delete()


def new_resources(subscription, until):
    """Resources matching the subscription's search published in (sent_until, until]."""
    filterset = ResourceFilter(
        QueryDict(subscription.query), queryset=Resource.objects.for_listing()
    )
    return filterset.qs.filter(
        published_at__gt=subscription.sent_until, published_at__lte=until
    ).order_by("-published_at", "-pk")


def alerts_send(*, frequency, now=None):
    """Send the digests of one frequency; returns how many e-mails went out.

    Each subscription is handled in its own transaction, its row locked, the mail sent
    before the high-water mark moves: a failure leaves it to the next run, and a second
    run finds nothing new, so nothing is mailed twice. No mail when nothing is new.
    """
    now = now or timezone.now()
    Subscription.objects.filter(
        confirmed_at__isnull=True,
        created_at__lt=now - dt.timedelta(days=settings.ASMHUB_ALERT_CONFIRM_DAYS),
    ).delete()
    due_before = now - PERIODS[frequency] + PERIOD_SLACK
    candidates = Subscription.objects.filter(
        frequency=frequency, confirmed_at__isnull=False, sent_until__lt=now
    ).values_list("pk", flat=True)
    sent = 0
    connection = get_connection()
    with connection, translation.override(settings.LANGUAGE_CODE):
        for pk in list(candidates):
            with transaction.atomic():
                subscription = (
                    Subscription.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, sent_until__lt=now)
                    .first()
                )
                if subscription is None:
                    continue
                if subscription.last_sent_at and subscription.last_sent_at > due_before:
                    continue
                matches = new_resources(subscription, now)
                total = matches.count()
                if total:
                    _send(
                        subscription,
                        _("%(count)s new resources for your %(site)s alert")
                        % {"count": total, "site": settings.ASMHUB_SITE_NAME},
                        "resources/email/alert_digest.txt",
                        {
                            "resources": [
                                (r, absolute(r.get_absolute_url())) for r in matches[:DIGEST_LIMIT]
                            ],
                            "total": total,
                            "more": max(total - DIGEST_LIMIT, 0),
                        },
                        connection=connection,
                    )
                    subscription.last_sent_at = now
                    sent += 1
                subscription.sent_until = now
                subscription.save(update_fields=["sent_until", "last_sent_at"])
    logger.info("Sent %s %s alert digests", sent, frequency)
    return sent
