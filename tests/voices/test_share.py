"""The public form: a voice shared without an account waits for a moderator, with only
the name the person chose to show and a private withdrawal link; a failed submission
keeps the text; robots and floods are turned away."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import CommodityFactory, CountryFactory
from voices.models import Voice, hash_token

from .samples import gps_jpeg, tagged_wav

pytestmark = pytest.mark.django_db

SHARE = "/voices/share/"
WITHDRAW = "/voices/withdraw/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tanzania():
    return CountryFactory(code="TZ")


def fields(**overrides):
    data = {
        "text": "The buyers pay us less than the world price.",
        "country": "TZ",
        "commodity": "",
        "role": "miner",
        "naming": "anonymous",
        "name": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_small_and_asks_what_the_issue_asks(client, tanzania):
    response = client.get(SHARE)
    assert response.status_code == 200
    stylesheet = Path(__file__).resolve().parents[2] / "static" / "css" / "hub.css"
    # The whole page: its HTML and the one stylesheet (no script, no image, no font).
    assert len(response.content) + stylesheet.stat().st_size < 50_000
    page = response.content.decode()
    for name in ("text", "photo", "audio", "country", "commodity", "role", "naming", "consent"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "<script" not in page


def test_a_shared_voice_waits_for_moderation_with_a_hashed_token(client, tanzania):
    gold = CommodityFactory(slug="gold", name="Gold")
    response = client.post(
        SHARE,
        fields(
            commodity="gold",
            naming="first",
            name="Amina Juma",
            photo=SimpleUploadedFile("IMG_1.jpg", gps_jpeg(), "image/jpeg"),
            audio=SimpleUploadedFile("rec.wav", tagged_wav(), "audio/wav"),
        ),
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    voice = Voice.objects.get()
    assert voice.status == Voice.Status.PENDING and voice.source == Voice.Source.FORM
    assert voice.name == "Amina"  # only the first name is kept
    assert voice.commodity == gold and voice.consent_at is not None
    assert voice.audio_type == "audio/wav" and voice.photo.name.endswith(".jpg")
    assert "IMG_1" not in voice.photo.name and "rec" not in voice.audio.name.split("/")[-1][:3]
    token = re.search(r'href="[^"]*/voices/withdraw/#([\w-]+)"', response.content.decode()).group(1)
    assert len(token) >= 40
    assert f'<code class="token-key">{token}</code>' in response.content.decode()
    assert voice.token_hash == hash_token(token) and token not in voice.token_hash
    assert not hasattr(voice.history.first(), "token_hash")  # never in the history
    # Invisible until published.
    assert client.get(voice.get_absolute_url()).status_code == 404
    assert client.get(reverse("voices:audio", args=[voice.pk])).status_code == 404
    assert "less than the world price" not in client.get("/voices/").content.decode()


def test_an_anonymous_voice_keeps_no_name(client, tanzania):
    client.post(SHARE, fields(name="Amina Juma"))
    assert Voice.objects.get().name == ""


def test_a_failed_submission_keeps_the_text_and_saves_nothing(client, tanzania):
    response = client.post(
        SHARE,
        fields(
            consent=None,
            naming="full",
            photo=SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", "image/jpeg"),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The buyers pay us less than the world price." in page
    assert "JPEG, PNG or WebP" in page  # what to fix: the photo
    assert "Give your name" in page  # and the name
    assert 'aria-invalid="true"' in page
    assert Voice.objects.count() == 0


def test_the_honeypot_turns_robots_away(client, tanzania):
    response = client.post(SHARE, fields(website="http://spam.example"))
    assert response.status_code == 400
    assert Voice.objects.count() == 0


def test_a_text_too_long_is_refused(client, tanzania):
    response = client.post(SHARE, fields(text="x" * 3001))
    assert response.status_code == 400 and Voice.objects.count() == 0


def test_a_flood_from_one_address_is_slowed_down(client, tanzania, settings):
    settings.ASMHUB_VOICE_RATE = "3/h"
    answers = [
        client.post(SHARE, fields(text=f"Voice {n}"), REMOTE_ADDR="203.0.113.9").status_code
        for n in range(6)
    ]
    assert answers == [200, 200, 200, 429, 429, 429]
    assert Voice.objects.count() == 3
    limited = client.post(SHARE, fields(text="Still here"), REMOTE_ADDR="203.0.113.9")
    assert "Still here" in limited.content.decode()  # the text is kept to send later
    # Another address is not held back.
    assert client.post(SHARE, fields(), REMOTE_ADDR="198.51.100.7").status_code == 200


def shared_key(client):
    """Share a voice; the withdrawal key its thank-you page shows."""
    response = client.post(SHARE, fields())
    return re.search(r'<code class="token-key">([\w-]+)</code>', response.content.decode()).group(1)


def test_the_private_link_keeps_the_key_out_of_every_request(client, tanzania):
    response = client.post(SHARE, fields())
    page = response.content.decode()
    link = re.search(r'class="token-link"><a href="([^"]+)"', page).group(1)
    key = re.search(r'<code class="token-key">([\w-]+)</code>', page).group(1)
    # The key only after the "#", which a browser never sends: no log can record it.
    assert link == f"http://testserver/voices/withdraw/#{key}"
    assert key not in link.split("#")[0]


def test_withdrawing_without_javascript_pastes_the_key_then_confirms(client, tanzania):
    key = shared_key(client)
    form = client.get(WITHDRAW)
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="key"' in page and "Paste the withdrawal key" in page
    assert "/static/js/voice-withdraw." in page  # fills the key in from the link, where it runs
    # The key (pasted, with the spaces a copy brings) shows the voice and a button.
    shown = client.post(WITHDRAW, {"key": f"  {key} "})
    assert shown.status_code == 200
    assert "less than the world price" in shown.content.decode()
    assert 'name="confirm"' in shown.content.decode()
    assert Voice.objects.get().status == Voice.Status.PENDING  # nothing withdrawn yet
    done = client.post(WITHDRAW, {"key": key, "confirm": "1"})
    assert done.status_code == 200 and "was withdrawn" in done.content.decode()
    voice = Voice.objects.get()
    assert voice.status == Voice.Status.WITHDRAWN and voice.text == ""
    # Spent: the same key again is refused with a message, and saves nothing.
    again = client.post(WITHDRAW, {"key": key, "confirm": "1"})
    assert again.status_code == 400 and "not valid" in again.content.decode()


@pytest.mark.parametrize("key", ["", "not-a-key", "a" * 300])
def test_a_wrong_key_is_refused_with_a_message(client, tanzania, key):
    shared_key(client)
    response = client.post(WITHDRAW, {"key": key, "confirm": "1"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert Voice.objects.get().status == Voice.Status.PENDING


def test_a_withdrawal_page_is_only_ever_changed_by_a_post(client, tanzania):
    key = shared_key(client)
    assert client.get(WITHDRAW, {"key": key, "confirm": "1"}).status_code == 200
    assert Voice.objects.get().status == Voice.Status.PENDING


def test_a_link_given_out_with_the_key_in_its_path_still_works(client, tanzania):
    key = shared_key(client)
    url = f"/voices/withdraw/{key}/"
    response = client.get(url)
    assert response.status_code == 200
    assert Voice.objects.get().status == Voice.Status.PENDING  # a GET withdraws nothing
    # Its button posts the key to the withdrawal page, out of the path.
    page = response.content.decode()
    assert f'action="{WITHDRAW}"' in page and f'name="key" value="{key}"' in page
    assert client.post(url).status_code == 200  # a page opened before posts to itself
    voice = Voice.objects.get()
    assert voice.status == Voice.Status.WITHDRAWN and voice.text == ""
    assert client.get(url).status_code == 404
    assert client.get("/voices/withdraw/not-a-token/").status_code == 404
    assert client.post("/voices/withdraw/" + "a" * 300 + "/").status_code == 404


def test_form_and_withdrawal_page_query_counts(client, tanzania, django_assert_max_num_queries):
    CommodityFactory.create_batch(5)
    # The countries and the commodities of the two selects: 2, however many there are.
    with django_assert_max_num_queries(2):
        assert client.get(SHARE).status_code == 200
    key = shared_key(client)
    # The form alone reads nothing.
    with django_assert_max_num_queries(0):
        assert client.get(WITHDRAW).status_code == 200
    # The voice the key's hash names: 1, for a key posted or in an earlier link's path.
    with django_assert_max_num_queries(1):
        assert client.post(WITHDRAW, {"key": key}).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/voices/withdraw/{key}/").status_code == 200
