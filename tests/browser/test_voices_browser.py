"""A voice shared from a 375 px phone with JavaScript off, with a photo carrying a GPS
position and a recording: stored without any location, invisible until published, then
shown, then withdrawn through its private link and gone from the page, the API, the feed,
the sitemap and storage. And every voices page, at 320 and 375 px, neither scrolls
sideways nor fails axe.

The recording is a WAV (a tone, with a location in LIST/INFO and ID3 chunks) made with
the standard library: these machines have no M4A, MP3 or Ogg encoder."""

import io
import re

import exifread
import feedparser
import pytest
from django.core.cache import cache

from tests.conftest import axe_violations
from tests.factories import CommodityFactory, CountryFactory, ThemeFactory
from tests.voices.samples import LOCATION_TEXT, VoiceFactory, gps_jpeg, tagged_wav
from voices import services
from voices.models import Voice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    try:
        yield context.new_page()
    finally:
        context.close()


def overflow(page):
    # Measured with JavaScript on: the page under test has none of its own.
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_voice_from_a_phone_without_javascript(phone, live_server, tmp_path, client):
    cache.clear()
    CountryFactory(code="TZ")
    CommodityFactory(slug="gold", name="Gold")
    photo, recording = tmp_path / "IMG_2041.jpg", tmp_path / "voice-note.wav"
    photo.write_bytes(gps_jpeg())
    recording.write_bytes(tagged_wav())
    assert any(k.startswith("GPS") for k in exifread.process_file(io.BytesIO(gps_jpeg())))

    phone.goto(f"{live_server.url}/voices/share/")
    # First a submission the server refuses (a full name asked for, none given): the
    # text survives, the error is next to its field.
    phone.fill("#id_text", "The pit collapsed twice this year; we need inspectors.")
    phone.select_option("#id_country", "TZ")
    phone.select_option("#id_commodity", "gold")
    phone.check("#id_role_0")
    phone.check("#id_naming_0")
    phone.check("#id_consent")
    phone.click(".share-form button[type=submit]")
    assert phone.locator("#name-error").is_visible()
    assert phone.input_value("#id_text").startswith("The pit collapsed twice")
    # Then the whole voice, anonymous.
    phone.check("#id_naming_2")
    phone.set_input_files("#id_photo", str(photo))
    phone.set_input_files("#id_audio", str(recording))
    phone.click(".share-form button[type=submit]")
    assert "your voice was received" in phone.inner_text("h1").lower()
    withdraw_url = phone.get_attribute(".token-link a", "href")
    key = phone.inner_text(".token-key")
    # The key only after the "#": never sent, so never in a server's log.
    assert re.fullmatch(r"[\w-]{40,}", key) and withdraw_url.endswith(f"/voices/withdraw/#{key}")

    voice = Voice.objects.get()
    assert voice.status == Voice.Status.PENDING
    with voice.photo.open("rb") as stored:
        photo_bytes = stored.read()
    with voice.audio.open("rb") as stored:
        audio_bytes = stored.read()
    assert exifread.process_file(io.BytesIO(photo_bytes)) == {}
    assert b"Exif" not in photo_bytes and LOCATION_TEXT not in audio_bytes
    assert audio_bytes.startswith(b"RIFF") and b"LIST" not in audio_bytes
    storage, names = voice.photo.storage, [voice.photo.name, voice.audio.name]

    # Invisible until published.
    detail = f"{live_server.url}{voice.get_absolute_url()}"
    assert phone.goto(detail).status == 404
    phone.goto(f"{live_server.url}/voices/")
    assert "The pit collapsed" not in phone.content()

    services.voice_publish(voice=voice)
    assert phone.goto(detail).status == 200
    assert "The pit collapsed twice" in phone.content()
    assert phone.locator("audio[controls]").count() == 1
    assert phone.locator("figure img").count() == 1
    phone.goto(f"{live_server.url}/voices/")
    assert "The pit collapsed" in phone.content()
    assert client.get(f"/api/voices/{voice.pk}/").status_code == 200

    # Withdrawn through the private link: without JavaScript, the key pasted by hand.
    phone.goto(withdraw_url)
    assert phone.input_value("#id_key") == ""
    phone.fill("#id_key", key)
    phone.click("main button[type=submit]")
    assert "The pit collapsed twice" in phone.inner_text("main blockquote")
    phone.click("main button[name=confirm]")
    assert "was withdrawn" in phone.inner_text("main")
    assert phone.goto(detail).status == 410
    assert "The pit collapsed" not in phone.content()
    phone.goto(f"{live_server.url}/voices/")
    assert "The pit collapsed" not in phone.content()
    assert client.get(f"/api/voices/{voice.pk}/").status_code == 404
    assert client.get("/api/voices/").json()["count"] == 0
    feed = feedparser.parse(client.get("/feeds/voices.atom").content)
    assert not feed.bozo and feed.entries == []
    assert voice.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    assert not any(storage.exists(name) for name in names)
    assert Voice.objects.get().text == ""


@pytest.mark.parametrize("width", [320, 375])
def test_every_voices_page_fits_and_passes_axe(browser, live_server, width):
    cache.clear()
    tanzania = CountryFactory(code="TZ")
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    voice = VoiceFactory(
        country=tanzania,
        themes=[mercury],
        naming="full",
        name="Amina Juma Mwakalinga-Kibwana",
        text="Averyveryveryverylongwordwithoutanyspacesthatcouldpushthepagesideways " * 3,
        transcript="A transcript.",
    )
    withdrawn = VoiceFactory()
    services.voice_withdraw(voice=withdrawn)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        pages = [
            "/voices/",
            "/voices/?country=tz&theme=mercury",
            voice.get_absolute_url(),
            withdrawn.get_absolute_url(),
            "/voices/share/",
            "/sw/voices/share/",
            "/voices/withdraw/",
            "/voices/withdraw/not-a-token/",
        ]
        for path in pages:
            page.goto(f"{live_server.url}{path}")
            assert overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
            assert axe_violations(page) == [], f"{path} at {width} px"
        # The form with its errors, the thank-you page, and both withdrawal pages.
        page.goto(f"{live_server.url}/voices/share/")
        page.fill("#id_text", "Short.")
        page.select_option("#id_country", "TZ")
        page.check("#id_role_1")
        page.check("#id_naming_1")
        page.check("#id_consent")
        page.click(".share-form button[type=submit]")
        assert page.locator(".error").count() == 1
        assert overflow(page) <= 0 and axe_violations(page) == [], "form with errors"
        page.fill("#id_name", "Neema")
        page.click(".share-form button[type=submit]")
        assert page.locator(".token-link").count() == 1
        assert overflow(page) <= 0 and axe_violations(page) == [], "thank-you page"
        key = page.inner_text(".token-key")
        page.goto(page.get_attribute(".token-link a", "href"))
        # With JavaScript the key comes from the link's "#", which then leaves the address.
        assert page.input_value("#id_key") == key and "#" not in page.url
        assert overflow(page) <= 0 and axe_violations(page) == [], "withdrawal page"
        page.click("main button[type=submit]")
        assert overflow(page) <= 0 and axe_violations(page) == [], "confirmation page"
        page.click("main button[name=confirm]")
        assert "was withdrawn" in page.inner_text("main")
        assert overflow(page) <= 0 and axe_violations(page) == [], "withdrawn page"
    finally:
        context.close()
