"""Workflow mails, each in its recipient's language and each kind turned off by its
recipient: the submitter hears when their submission is published or sent back (queued
in the outbox with the move); curators get one digest of new submissions at most every
hour, queued by `manage.py send_desk_mail`. Nothing here talks to SMTP: the outbox
(django-mailer) does, from `manage.py send_mail`."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resources.curation.roles import CURATORS
from resources.models import NotificationSetting, Resource, StatusChange

DIGEST_INTERVAL = timedelta(hours=1)


def setting_for(user):
    """user's mail settings, made with the defaults (every kind on) the first time."""
    setting, _created = NotificationSetting.objects.get_or_create(user=user)
    return setting


def _absolute(path):
    return settings.ASMHUB_BASE_URL + path


def _queue(*, to, subject, template, context):
    body = render_to_string(template, {"site_name": settings.ASMHUB_SITE_NAME, **context})
    EmailMessage(
        subject=subject, body=body, to=[to], headers={"Auto-Submitted": "auto-generated"}
    ).send()


def submitter_of(resource):
    """Who last submitted resource for review, or None."""
    change = (
        StatusChange.objects.filter(resource=resource, to_status=Resource.Status.IN_REVIEW)
        .select_related("changed_by")
        .first()
    )
    return change.changed_by if change else None


def notify_submitter(*, resource, published, comment=""):
    """Tell the submitter their submission was published, or sent back with comment."""
    user = submitter_of(resource)
    if user is None or not user.email or not user.is_active:
        return False
    setting = setting_for(user)
    if not (setting.on_published if published else setting.on_sent_back):
        return False
    with translation.override(setting.language):
        if published:
            subject = _("Published: %(title)s") % {"title": resource.title}
            link = _absolute(resource.get_absolute_url())
        else:
            subject = _("Sent back to you: %(title)s") % {"title": resource.title}
            link = _absolute(reverse("admin:resources_resource_change", args=[resource.pk]))
        _queue(
            to=user.email,
            subject=subject,
            template="resources/email/workflow_outcome.txt",
            context={
                "resource": resource,
                "published": published,
                "comment": comment,
                "link": link,
                "settings_link": _absolute(
                    reverse("admin:resources_notificationsetting_changelist")
                ),
            },
        )
    return True


def curators():
    """Active curators with an address: the Curators group and superusers."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=CURATORS) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def send_submission_digests(*, now=None):
    """Queue for each curator who wants it one mail listing what was submitted since their
    last one, if that was at least an hour ago. Answers how many mails were queued."""
    now = now or timezone.now()
    queued = 0
    for curator in curators():
        setting = setting_for(curator)
        since = setting.submissions_mailed_at
        if not setting.on_submission or (since and since > now - DIGEST_INTERVAL):
            continue
        changes = StatusChange.objects.filter(
            to_status=Resource.Status.IN_REVIEW,
            resource__status=Resource.Status.IN_REVIEW,
            changed_at__lte=now,
        ).select_related("resource", "resource__owner")
        if since:
            changes = changes.filter(changed_at__gt=since)
        waiting = [
            (
                change.resource,
                _absolute(reverse("admin:resources_resource_change", args=[change.resource_id])),
            )
            for change in changes.order_by("changed_at", "pk")
        ]
        if not waiting:
            continue
        with translation.override(setting.language):
            _queue(
                to=curator.email,
                subject=_("Submitted for review: %(count)s") % {"count": len(waiting)},
                template="resources/email/submission_digest.txt",
                context={
                    "waiting": waiting,
                    "queue_link": _absolute(reverse("admin:resources_reviewqueueitem_changelist")),
                    "settings_link": _absolute(
                        reverse("admin:resources_notificationsetting_changelist")
                    ),
                },
            )
        setting.submissions_mailed_at = now
        setting.save(update_fields=["submissions_mailed_at"])
        queued += 1
    return queued
