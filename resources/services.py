"""State changes of the library that must obey the rules whoever asks: the admin, a
command, a crafted POST. Each checks who may do it and records who did.

The review workflow: draft → in review → published → withdrawn, with in review → draft
(sent back with a comment) and withdrawn → published.

E-mail alerts: subscribe, confirm, unsubscribe, send digests.
"""

import datetime as dt
import logging
import secrets
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .filters import ResourceFilter
from .models import PartnerProfile, PreviousFile, Resource, StatusChange, Subscription
from .roles import PARTNERS, is_curator, may_edit_resource, partner_organisation

Status = Resource.Status

# (from, to): who may make that move.
PARTNER_OR_CURATOR = "partner_or_curator"
CURATOR = "curator"
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): PARTNER_OR_CURATOR,
    (Status.IN_REVIEW, Status.DRAFT): CURATOR,
    (Status.IN_REVIEW, Status.PUBLISHED): CURATOR,
    (Status.PUBLISHED, Status.WITHDRAWN): CURATOR,
    (Status.WITHDRAWN, Status.PUBLISHED): CURATOR,
}


class TransitionError(ValidationError):
    """A move the workflow does not allow from the resource's current status."""


def _check_transition(resource, user, to_status):
    who = TRANSITIONS.get((resource.status, to_status))
    if who is None:
        raise TransitionError(
            _("A %(from)s resource cannot become %(to)s.")
            % {"from": resource.get_status_display().lower(), "to": Status(to_status).label.lower()}
        )
    if is_curator(user):
        return
    organisation = partner_organisation(user)
    if (
        who == PARTNER_OR_CURATOR
        and organisation is not None
        and resource.owner_id == organisation.pk
        and user.has_perm("resources.submit_resource")
    ):
        return
    raise PermissionDenied(_("You may not do that with this resource."))


def _move(*, resource, user, to_status, comment=""):
    """Lock the row, check the move against its current status, record it."""
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    _check_transition(locked, user, to_status)
    from_status = locked.status
    now = timezone.now()
    locked.status = to_status
    locked.updated_by = user
    fields = ["status", "updated_by", "updated_at"]
    if to_status == Status.PUBLISHED:
        locked.full_clean(exclude=["slug"], validate_unique=False)
        if locked.published_at is None:
            locked.published_at = now
            fields.append("published_at")
        locked.withdrawal_note = ""
        fields.append("withdrawal_note")
    if to_status == Status.WITHDRAWN:
        locked.withdrawal_note = comment
        locked.is_featured = False
        fields += ["withdrawal_note", "is_featured"]
    locked._history_user = user
    locked.save(update_fields=fields)
    fields.append("edit_version")
    StatusChange.objects.create(
        resource=locked,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changed_by=user,
        changed_at=now,
    )
    # The caller's object now matches the database.
    for field in fields:
        setattr(resource, field, getattr(locked, field))
    return resource


@transaction.atomic
def resource_save(*, resource, user, created):
    """Save a resource edited by user. Curators save anything; a partner saves only a new
    resource or a stored draft of their organisation, and the owner is always their
    organisation. New resources start as drafts, whoever makes them. The stored row is
    what is checked, not the edited copy, so a forged owner or status changes nothing."""
    if not is_curator(user):
        organisation = partner_organisation(user)
        needed = "resources.add_resource" if created else "resources.change_resource"
        if organisation is None or not user.has_perm(needed):
            raise PermissionDenied(_("Only partners and curators edit resources."))
        if not created:
            stored = Resource.objects.select_for_update().get(pk=resource.pk)
            if not may_edit_resource(user, stored):
                raise PermissionDenied(
                    _("Partners edit only drafts of their own organisation's resources.")
                )
            resource.status = stored.status
        resource.owner = organisation
    if created:
        resource.created_by = user
        resource.status = Status.DRAFT
        resource.published_at = None
    resource.updated_by = user
    resource._history_user = user
    resource.save()
    return resource


@transaction.atomic
def resource_submit(*, resource, user):
    """Draft → in review: a partner of the owner organisation, or a curator."""
    return _move(resource=resource, user=user, to_status=Status.IN_REVIEW)


@transaction.atomic
def resource_publish(*, resource, user):
    """In review or withdrawn → published: curators only. Sets published_at the first
    time; a published resource needs a file or a URL."""
    return _move(resource=resource, user=user, to_status=Status.PUBLISHED)


@transaction.atomic
def resource_send_back(*, resource, user, comment):
    """In review → draft with the curator's comment saying what to change."""
    if not (comment or "").strip():
        raise ValidationError(_("Say what should change when sending a resource back."))
    return _move(resource=resource, user=user, to_status=Status.DRAFT, comment=comment.strip())


@transaction.atomic
def resource_withdraw(*, resource, user, note=""):
    """Published → withdrawn: the page then answers 410 Gone with the citation and note."""
    return _move(resource=resource, user=user, to_status=Status.WITHDRAWN, comment=note.strip())


@transaction.atomic
def resource_feature(*, resource, user, featured=True):
    """Feature (or stop featuring) a published resource: curators only."""
    if not user.has_perm("resources.feature_resource"):
        raise PermissionDenied(_("Only curators feature resources."))
    if featured and resource.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published resource can be featured."))
    resource.is_featured = featured
    resource._history_user = user
    resource.save(update_fields=["is_featured"])
    return resource


def resource_check_delete(*, resource, user):
    """Raise unless user may delete resource: never once it was published (it is
    withdrawn instead), and never by a partner."""
    if resource.was_ever_published or resource.status in (Status.PUBLISHED, Status.WITHDRAWN):
        raise PermissionDenied(_("A resource that was published is withdrawn, never deleted."))
    if not (is_curator(user) and user.has_perm("resources.delete_resource")):
        raise PermissionDenied(_("Only curators delete resources."))


@transaction.atomic
def resource_delete(*, resource, user):
    resource_check_delete(resource=resource, user=user)
    resource.delete()


def file_keep_previous(*, resource, name, size=None, language="", user=None):
    """Record a replaced or removed file as a previous version. The file itself stays in
    storage (new uploads get new names), so nothing is copied."""
    if not name:
        return None
    return PreviousFile.objects.create(
        resource=resource, language=language, file=name, file_size=size, replaced_by=user
    )


@transaction.atomic
def partner_onboard(*, organisation, username, email, by=None):
    """Make a partner account in one step: a staff user in the Partners group, attached to
    organisation, with a random password to hand over (the partner changes it)."""
    if by is not None and not (is_curator(by) or by.is_superuser):
        raise PermissionDenied(_("Only curators onboard partners."))
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The username %(name)s is taken.") % {"name": username})
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, email=email, password=password)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=PARTNERS))
    PartnerProfile.objects.create(user=user, organisation=organisation)
    return user, password


@transaction.atomic
def tags_merge(*, tags, into, user):
    """Move every use of tags onto into, then delete them (curators only)."""
    from taggit.models import TaggedItem

    if not user.has_perm("taggit.change_tag") or not user.has_perm("taggit.delete_tag"):
        raise PermissionDenied(_("Only curators merge tags."))
    merged = 0
    for tag in tags:
        if tag.pk == into.pk:
            continue
        for item in TaggedItem.objects.filter(tag=tag):
            exists = TaggedItem.objects.filter(
                tag=into, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists()
            if exists:
                item.delete()
            else:
                item.tag = into
                item.save(update_fields=["tag"])
        tag.delete()
        merged += 1
    return merged


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


def canonical_query(params):
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
def subscription_request(*, email, params, frequency, now=None):
    """Record a wish to receive alerts for the library search in params and queue a
    confirmation link; an already confirmed subscription only changes its frequency. The
    caller's answer must be the same whatever happens here (no address probing), for no
    address can be mail-bombed through it: beyond ASMHUB_ALERT_MAX_PENDING unconfirmed
    searches nothing is recorded, and an address gets one confirmation mail a day.
    Returns the subscription, or None when none was recorded."""
    email = email.strip().lower()
    query = canonical_query(params)
    now = now or timezone.now()
    _lock_address(email)
    # Unconfirmed ones expire with their link (alerts_send deletes them).
    pending = Subscription.objects.filter(email=email, confirmed_at__isnull=True)
    is_new = not Subscription.objects.filter(email=email, query=query).exists()
    if is_new and pending.count() >= settings.ASMHUB_ALERT_MAX_PENDING:
        return None
    subscription, _created = Subscription.objects.get_or_create(
        email=email, query=query, defaults={"frequency": frequency}
    )
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    if subscription.is_confirmed:
        return subscription
    if pending.filter(confirmation_sent_at__gt=now - CONFIRMATION_INTERVAL).exists():
        return subscription
    subscription.confirmation_sent_at = now
    subscription.save(update_fields=["confirmation_sent_at"])
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
    with translation.override(settings.LANGUAGE_CODE):
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
