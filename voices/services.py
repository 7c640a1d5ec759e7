"""What happens to a voice: shared, published, rejected, withdrawn. Views and the admin
call these; each is one transaction."""

import secrets

from django.db import transaction
from django.utils import timezone

from resources.search.version import bump_version

from .models import Voice, hash_token


def new_token():
    """A withdrawal token: 256 random bits, shown once; only its hash is kept."""
    return secrets.token_urlsafe(32)


@transaction.atomic
def voice_share(
    *,
    text,
    country,
    role,
    naming,
    name="",
    commodity=None,
    photo=None,
    audio=None,
    audio_type="",
    language="",
):
    """A voice from the public form, waiting for moderation, and its withdrawal token.
    photo and audio are already stripped of their metadata (media.py). Only the name the
    person agreed to show is kept: nothing when anonymous, the first word for a first name.
    """
    if naming == Voice.Naming.ANONYMOUS:
        name = ""
    elif naming == Voice.Naming.FIRST:
        name = name.split()[0] if name.split() else ""
    token = new_token()
    voice = Voice(
        source=Voice.Source.FORM,
        text=text,
        country=country,
        commodity=commodity,
        role=role,
        naming=naming,
        name=name,
        language=language,
        consent_at=timezone.now(),
        token_hash=hash_token(token),
        audio_type=audio_type if audio else "",
    )
    try:
        if photo:
            voice.photo.save(photo.name, photo, save=False)
        if audio:
            voice.audio.save(audio.name, audio, save=False)
        voice.save()
    except BaseException:
        # Nothing half-saved: files written for a row that never was are removed.
        for field in (voice.photo, voice.audio):
            if field.name:
                field.storage.delete(field.name)
        raise
    return voice, token


def voice_for_token(token):
    """The voice a withdrawal token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return Voice.objects.filter(token_hash=hash_token(token)).first()


@transaction.atomic
def voice_publish(*, voice):
    """Show a voice on every public page, feed and the API."""
    voice.status = Voice.Status.PUBLISHED
    voice.published_at = voice.published_at or timezone.now()
    voice.rejection_reason = ""
    voice.save()
    bump_version()


@transaction.atomic
def voice_reject(*, voice, reason=""):
    """Keep a voice from the public, with a reason only curators read."""
    was_public = voice.status == Voice.Status.PUBLISHED
    voice.status = Voice.Status.REJECTED
    voice.rejection_reason = reason
    voice.save()
    if was_public:
        bump_version()


@transaction.atomic
def voice_withdraw(*, voice):
    """Withdraw consent: the text, name, transcript, links, files and every earlier
    version in the history go; a bare record that a voice was withdrawn stays. The
    content version is bumped so no cached page or count keeps it; the files leave
    storage once the transaction commits."""
    storage_names = [
        (field.storage, field.name) for field in (voice.photo, voice.audio) if field.name
    ]
    voice.themes.clear()
    for field in (
        "text",
        "name",
        "transcript",
        "photo_description",
        "rejection_reason",
        "audio_type",
        "role",
        "language",
        "token_hash",
    ):
        setattr(voice, field, "")
    voice.photo = voice.audio = ""
    voice.country = voice.commodity = None
    voice.learning_group = voice.meeting = voice.dialogue = None
    voice.naming = Voice.Naming.ANONYMOUS
    voice.status = Voice.Status.WITHDRAWN
    voice.withdrawn_at = timezone.now()
    voice.save()
    latest = voice.history.order_by("-history_id").first()
    voice.history.exclude(history_id=latest.history_id).delete()
    bump_version()

    def delete_files():
        for storage, name in storage_names:
            storage.delete(name)

    transaction.on_commit(delete_files)
