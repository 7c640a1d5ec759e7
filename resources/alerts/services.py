"""E-mail alerts on library searches, without an account: subscribe (double opt-in,
limited per address), confirm, unsubscribe, and the digests of new resources. Every mail
is queued in the outbox in the transaction of the change that causes it."""

import datetime as dt
import logging
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from resources.filters import ResourceFilter
from resources.models import Resource, Subscription
from resources.sorts import LATEST_PUBLISHED

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
# One confirmation mail per address in this time, however many searches ask for one.
CONFIRMATION_INTERVAL = dt.timedelta(days=1)
SEARCH_DESCRIPTION_LENGTH = 200


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


def saved_query(params):
    """The canonical query string of the library filters in params (a QueryDict)."""
    return urlencode(ResourceFilter(params, queryset=Resource.objects.none()).canonical_params())


def one_line(text, length=SEARCH_DESCRIPTION_LENGTH):
    """text on one line, every run of whitespace (newlines too) one space, cut to length
    with an ellipsis: what a visitor typed cannot lay out a mail sent in the hub's name."""
    return Truncator(" ".join(str(text).split())).chars(length)


def describe_query(query):
    """A short human description of a saved search, on one line."""
    pairs = parse_qsl(query)
    if not pairs:
        return _("all new resources")
    return one_line("; ".join(f"{name}: {value}" for name, value in pairs))


def _send(subscription, subject, template, context):
    """Queue one mail to the subscriber: a row in the outbox (EMAIL_BACKEND), written in
    the caller's transaction; `manage.py send_mail` sends it."""
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
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()


# -- services ----------------------------------------------------------------------------------


def _lock_address(email):
    """Hold requests for one address in turn until the transaction ends, so that
    concurrent ones cannot each find no recent confirmation and each mail one. SQLite
    needs nothing: it lets one transaction write at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"alerts:{email}"])


@transaction.atomic
def subscription_request(*, email, params, frequency, language=None, now=None):
    """Record a wish to receive alerts for the library search in params and queue a
    confirmation link; an already confirmed subscription only changes its frequency. The
    caller's answer must be the same whatever happens here (no address probing), for no
    address can be mail-bombed through it: beyond ASMHUB_ALERT_MAX_PENDING unconfirmed
    searches nothing is recorded, and an address gets one confirmation mail a day.
    Its mails are written in language (an interface language; English by default), the
    one the visitor last asked in. Returns the subscription, or None when none was
    recorded."""
    email = email.strip().lower()
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    query = saved_query(params)
    now = now or timezone.now()
    _lock_address(email)
    # Unconfirmed ones expire with their link (alerts_send deletes them).
    pending = Subscription.objects.filter(email=email, confirmed_at__isnull=True)
    is_new = not Subscription.objects.filter(email=email, query=query).exists()
    if is_new and pending.count() >= settings.ASMHUB_ALERT_MAX_PENDING:
        return None
    subscription, _created = Subscription.objects.get_or_create(
        email=email, query=query, defaults={"frequency": frequency, "language": language}
    )
    subscription.frequency = frequency
    subscription.language = language
    subscription.save(update_fields=["frequency", "language"])
    if subscription.is_confirmed:
        return subscription
    if pending.filter(confirmation_sent_at__gt=now - CONFIRMATION_INTERVAL).exists():
        return subscription
    subscription.confirmation_sent_at = now
    subscription.save(update_fields=["confirmation_sent_at"])
    with translation.override(subscription.language):
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
    ).order_by(*LATEST_PUBLISHED.order_by)


def alerts_send(*, frequency, now=None):
    """Queue the digests of one frequency in the outbox; returns how many were queued.

    Each subscription is handled in its own transaction, its row locked, the digest queued
    and the high-water mark moved together: a second run finds nothing new, so nothing is
    queued twice, and the outbox sends each message once. No mail when nothing is new.
    """
    now = now or timezone.now()
    expired = now - dt.timedelta(days=settings.ASMHUB_ALERT_CONFIRM_DAYS)
    Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=expired).exclude(
        confirmation_sent_at__gte=expired
    ).delete()
    due_before = now - PERIODS[frequency] + PERIOD_SLACK
    candidates = Subscription.objects.filter(
        frequency=frequency, confirmed_at__isnull=False, sent_until__lt=now
    ).values_list("pk", flat=True)
    sent = 0
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
                with translation.override(subscription.language):
                    _send(
                        subscription,
                        _("%(count)s new resources for your %(site)s alert")
                        % {"count": total, "site": settings.ASMHUB_SITE_NAME},
                        "resources/email/alert_digest.txt",
                        {
                            "resources": [
                                {
                                    "title": one_line(r.title, 300),
                                    "year": r.year,
                                    "url": absolute(r.get_absolute_url()),
                                }
                                for r in matches[:DIGEST_LIMIT]
                            ],
                            "total": total,
                            "more": max(total - DIGEST_LIMIT, 0),
                        },
                    )
                subscription.last_sent_at = now
                sent += 1
            subscription.sent_until = now
            subscription.save(update_fields=["sent_until", "last_sent_at"])
    logger.info("Queued %s %s alert digests", sent, frequency)
    return sent
