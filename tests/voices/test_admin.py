"""Curators moderate every voice in the admin: the queue, edits recorded in the history,
publish, reject with a private reason, withdraw; and they enter voices gathered in person,
whose files are stripped as the form's are. Partners see none of it."""

import io

import exifread
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import CountryFactory, CuratorFactory, LearningGroupFactory, PartnerFactory
from voices.models import Voice

from .samples import VoiceFactory, gps_jpeg

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:voices_voice_changelist")


@pytest.fixture
def curator(client):
    client.force_login(CuratorFactory())
    return client


@pytest.fixture
def pending():
    return VoiceFactory(status=Voice.Status.PENDING, published_at=None, text="Please read me.")


def act(client, action, *voices):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [v.pk for v in voices]},
        follow=True,
    )


def test_the_queue_shows_waiting_voices_to_curators(curator, pending):
    page = curator.get(CHANGELIST + "?status__exact=pending").content.decode()
    assert "Please read me." in page


def test_partners_see_no_voices(client, pending):
    client.force_login(PartnerFactory())
    assert client.get(CHANGELIST).status_code == 403


def test_publish_then_reject_with_a_private_reason(curator, client, pending):
    act(curator, "publish", pending)
    pending.refresh_from_db()
    assert pending.status == Voice.Status.PUBLISHED and pending.published_at
    assert "Please read me." in curator.get("/voices/").content.decode()

    Voice.objects.filter(pk=pending.pk).update(rejection_reason="Names a third person.")
    act(curator, "reject", pending)
    pending.refresh_from_db()
    assert pending.status == Voice.Status.REJECTED
    assert pending.rejection_reason == "Names a third person."
    curator.logout()
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_a_voice_without_consent_is_not_published(curator):
    voice = VoiceFactory(status=Voice.Status.PENDING, published_at=None, consent_at=None)
    response = act(curator, "publish", voice)
    voice.refresh_from_db()
    assert voice.status == Voice.Status.PENDING
    assert "no consent recorded" in response.content.decode()


def test_an_edit_for_safety_is_recorded_in_the_history(curator, pending):
    url = reverse("admin:voices_voice_change", args=[pending.pk])
    response = curator.post(
        url,
        {
            "text": "Please read me. [name removed]",
            "transcript": "",
            "naming": "anonymous",
            "name": "",
            "role": "miner",
            "country": "TZ",
            "photo_description": "",
            "rejection_reason": "",
            "consent_recorded": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pending.refresh_from_db()
    assert pending.text.endswith("[name removed]")
    texts = [h.text for h in pending.history.order_by("history_date")]
    assert texts[0] == "Please read me." and texts[-1].endswith("[name removed]")


def test_a_voice_gathered_in_person_is_entered_with_a_stripped_photo(curator):
    CountryFactory(code="TZ")
    group = LearningGroupFactory(country_id="TZ")
    response = curator.post(
        reverse("admin:voices_voice_add"),
        {
            "text": "Said at the Geita meeting.",
            "transcript": "",
            "naming": "first",
            "name": "Neema",
            "role": "association",
            "country": "TZ",
            "learning_group": group.pk,
            "photo": SimpleUploadedFile("meeting.jpg", gps_jpeg(), "image/jpeg"),
            "photo_description": "Members of the association around a table.",
            "rejection_reason": "",
            "consent_recorded": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    voice = Voice.objects.get()
    assert voice.source == Voice.Source.IN_PERSON and voice.status == Voice.Status.PENDING
    assert voice.learning_group == group and voice.consent_at is not None
    with voice.photo.open("rb") as stored:
        assert exifread.process_file(io.BytesIO(stored.read())) == {}


def test_curators_withdraw_on_request(curator, pending):
    act(curator, "withdraw", pending)
    pending.refresh_from_db()
    assert pending.status == Voice.Status.WITHDRAWN and pending.text == ""


def test_a_voice_from_a_meeting_names_its_learning_group(curator):
    from tests.factories import MeetingFactory

    CountryFactory(code="TZ")
    meeting = MeetingFactory(group=LearningGroupFactory(country_id="TZ"))
    other = LearningGroupFactory(country=CountryFactory(code="ET"))
    data = {
        "text": "Said at the meeting.",
        "naming": "anonymous",
        "role": "miner",
        "country": "TZ",
        "meeting": meeting.pk,
        "consent_recorded": "on",
    }
    refused = curator.post(reverse("admin:voices_voice_add"), {**data, "learning_group": other.pk})
    assert refused.status_code == 200 and "another learning group" in refused.content.decode()
    assert curator.post(reverse("admin:voices_voice_add"), data).status_code == 302
    assert Voice.objects.get().learning_group == meeting.group
