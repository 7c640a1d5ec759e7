"""State changes of the library that must obey the rules whoever asks: the admin, a
command, a crafted POST. Each checks who may do it and records who did.

The review workflow: draft → in review → published → withdrawn, with in review → draft
(sent back with a comment) and withdrawn → published.

"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resources.curation import notifications
from resources.curation.roles import (
    CURATOR,
    PARTNER_OR_CURATOR,
    PARTNERS,
    is_curator,
    may_edit_resource,
    may_make_move,
    partner_organisation,
)
from resources.files.extraction import extract_text
from resources.models import PartnerProfile, PreviousFile, Resource

Status = Resource.Status

# (from, to): who may make that move.
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): PARTNER_OR_CURATOR,
    # A curator sends back with a comment; the owner's partner takes it back to fix it.
    (Status.IN_REVIEW, Status.DRAFT): PARTNER_OR_CURATOR,
    (Status.IN_REVIEW, Status.PUBLISHED): CURATOR,
    (Status.PUBLISHED, Status.WITHDRAWN): CURATOR,
    (Status.WITHDRAWN, Status.PUBLISHED): CURATOR,
}


class TransitionError(ValidationError):
    """A move the workflow does not allow from the resource's current status."""


class IncompleteError(ValidationError):
    """A submission refused because the resource lacks what a review needs; `missing`
    holds (field name, what is missing) pairs for the form to link to."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__([message for _field, message in missing], code="incomplete")


def resource_missing(resource):
    """What resource lacks before it can be submitted for review, as (field name, what
    is missing) pairs in the order of the form; empty when it is complete."""
    checks = [
        ("summary", bool(resource.summary.strip()), _("a summary")),
        ("year", bool(resource.year or resource.date), _("a year or a date")),
        ("language", bool(resource.language), _("the language")),
        (
            "countries",
            resource.is_global or resource.countries.exists(),
            _("the countries it is about, or “global”"),
        ),
        ("themes", resource.themes.exists(), _("at least one theme")),
        ("authors", resource.authors.exists(), _("the authors")),
        ("file", bool(resource.file or resource.external_url), _("a file or a web address")),
        ("licence", bool(resource.licence.strip()), _("a rights statement (licence)")),
    ]
    return [(name, message) for name, present, message in checks if not present]


def _check_transition(resource, user, to_status):
    who = TRANSITIONS.get((resource.status, to_status))
    if who is None:
        raise TransitionError(
            _("A %(from)s resource cannot become %(to)s.")
            % {"from": resource.get_status_display().lower(), "to": Status(to_status).label.lower()}
        )
    if not may_make_move(user, who, resource.owner_id, "resources.submit_resource"):
        raise PermissionDenied(_("You may not do that with this resource."))


def status_move(*, record, user, to_status, check, comment="", also=None):
    """Move record (a row with status, updated_at, published_at and status_changes: a
    resource or a news item) to to_status and return it. The row is locked and
    check(locked, user, to_status) may refuse the move; also(locked), called once the
    status is set, changes what else this move changes and names those fields; a first
    publication stamps published_at. The step is recorded in status_changes with who,
    when and what they said, and the caller's object brought up to date. Run it inside
    a transaction."""
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    check(locked, user, to_status)
    from_status, now = locked.status, timezone.now()
    locked.status = to_status
    fields = ["status", "updated_at", *(also(locked) if also else [])]
    if to_status == type(record).Status.PUBLISHED and locked.published_at is None:
        locked.published_at = now
        fields.append("published_at")
    locked._history_user = user
    locked.save(update_fields=fields)
    locked.status_changes.create(
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changed_by=user,
        changed_at=now,
    )
    for field in fields:
        setattr(record, field, getattr(locked, field))
    return record


def _move(*, resource, user, to_status, comment=""):
    """A resource's move (status_move): a submission must be complete, a publication
    valid; a withdrawal keeps its note and ends the featuring."""

    def also(locked):
        if to_status == Status.IN_REVIEW:
            missing = resource_missing(locked)
            if missing:
                raise IncompleteError(missing)
        locked.updated_by = user
        # save() counts the edit in edit_version; the caller's copy learns it too.
        fields = ["updated_by", "edit_version"]
        if to_status == Status.PUBLISHED:
            locked.full_clean(exclude=["slug"], validate_unique=False)
            locked.withdrawal_note = ""
            fields.append("withdrawal_note")
        if to_status == Status.WITHDRAWN:
            locked.withdrawal_note = comment
            locked.is_featured = False
            fields += ["withdrawal_note", "is_featured"]
        return fields

    return status_move(
        record=resource,
        user=user,
        to_status=to_status,
        check=_check_transition,
        comment=comment,
        also=also,
    )


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
    """Draft → in review: a partner of the owner organisation, or a curator; refused with
    IncompleteError while resource_missing() names anything."""
    return _move(resource=resource, user=user, to_status=Status.IN_REVIEW)


@transaction.atomic
def resource_publish(*, resource, user):
    """In review or withdrawn → published: curators only. Sets published_at the first
    time; a published resource needs a file or a URL. The submitter is mailed (through
    the outbox) when it was in review."""
    _move(resource=resource, user=user, to_status=Status.PUBLISHED)
    if resource.status_changes.first().from_status == Status.IN_REVIEW:
        notifications.notify_submitter(resource=resource, published=True)
    return resource


@transaction.atomic
def resource_send_back(*, resource, user, comment):
    """In review → draft with the curator's comment saying what to change, mailed to the
    submitter (through the outbox)."""
    if not is_curator(user):
        raise PermissionDenied(_("Only curators send resources back."))
    if not (comment or "").strip():
        raise ValidationError(_("Say what should change when sending a resource back."))
    _move(resource=resource, user=user, to_status=Status.DRAFT, comment=comment.strip())
    notifications.notify_submitter(resource=resource, published=False, comment=comment.strip())
    return resource


@transaction.atomic
def resource_pull_back(*, resource, user):
    """In review → draft by a partner of the owner organisation, to fix something before
    a curator acts (once one has, the resource is no longer in review)."""
    if is_curator(user):
        raise PermissionDenied(_("Curators send a resource back with a comment."))
    return _move(resource=resource, user=user, to_status=Status.DRAFT)


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


def file_extract_text(*, resource):
    """Put the words of resource's file in its full_text, for the search index; the
    caller saves. Called where a file is attached (the admin's save, the tests'
    factories), never from save(): an edit that keeps the file keeps its words unread."""
    resource.full_text = extract_text(resource.file) if resource.file else ""
    return resource


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
