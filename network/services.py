"""The review of news, whoever asks (the admin, a command, a crafted POST): each move is
checked against who may make it and recorded (NewsStatusChange and the history).

draft → submitted → published → withdrawn, with submitted → draft (sent back with a
comment) and withdrawn → published. Partners write and submit their own organisation's
news; curators publish, send back and withdraw.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from resources.curation.roles import (
    CURATOR,
    PARTNER_OR_CURATOR,
    is_curator,
    may_edit_draft,
    may_make_move,
    partner_organisation,
)
from resources.curation.services import status_move

from .models import News

Status = News.Status
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): PARTNER_OR_CURATOR,
    (Status.SUBMITTED, Status.DRAFT): CURATOR,
    (Status.SUBMITTED, Status.PUBLISHED): CURATOR,
    (Status.DRAFT, Status.PUBLISHED): CURATOR,
    (Status.PUBLISHED, Status.WITHDRAWN): CURATOR,
    (Status.WITHDRAWN, Status.PUBLISHED): CURATOR,
}


def may_edit_news(user, news):
    """Curators edit any news; a partner only drafts of their own organisation."""
    return may_edit_draft(user, news.organisation_id, news.status, "network.change_news")


def _check(news, user, to_status):
    who = TRANSITIONS.get((news.status, to_status))
    if who is None:
        raise ValidationError(
            _("A %(from)s news item cannot become %(to)s.")
            % {"from": news.get_status_display().lower(), "to": Status(to_status).label.lower()}
        )
    if not may_make_move(user, who, news.organisation_id, "network.submit_news"):
        raise PermissionDenied(_("You may not do that with this news item."))


def _move(*, news, user, to_status, comment=""):
    return status_move(record=news, user=user, to_status=to_status, check=_check, comment=comment)


@transaction.atomic
def news_save(*, news, user, created):
    """Save news edited by user: a partner's always belongs to their organisation and
    stays a draft until submitted; only curators change news past the draft."""
    if not is_curator(user):
        organisation = partner_organisation(user)
        if organisation is None or not (created or may_edit_news(user, news)):
            raise PermissionDenied(_("You may not change this news item."))
        news.organisation = organisation
        news.status = Status.DRAFT
    if created:
        news.created_by = user
    news._history_user = user
    news.save()
    return news


@transaction.atomic
def news_submit(*, news, user):
    """Send a draft for review."""
    return _move(news=news, user=user, to_status=Status.SUBMITTED)


@transaction.atomic
def news_publish(*, news, user):
    """Publish news (curators)."""
    return _move(news=news, user=user, to_status=Status.PUBLISHED)


@transaction.atomic
def news_send_back(*, news, user, comment):
    """Return submitted news to its authors with a comment (curators)."""
    return _move(news=news, user=user, to_status=Status.DRAFT, comment=comment)


@transaction.atomic
def news_withdraw(*, news, user, note=""):
    """Take published news off the site, keeping it and its history (curators)."""
    return _move(news=news, user=user, to_status=Status.WITHDRAWN, comment=note)
