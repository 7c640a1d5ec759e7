"""The public side of voices: only published ones, anywhere; facets counted like the
library's; withdrawal takes a voice out of every page, feed, API answer, sitemap, cache and
storage at once; constant queries; no query string gives a 500."""

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from resources.search.version import content_version
from tests.factories import (
    CommodityFactory,
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    ThemeFactory,
)
from usage.models import Event, Kind
from voices import services
from voices.models import Voice

from .samples import VoiceFactory, tone_wav

pytestmark = pytest.mark.django_db


@pytest.fixture
def voices():
    tanzania, ghana = CountryFactory(code="TZ"), CountryFactory(code="GH")
    gold = CommodityFactory(slug="gold", name="Gold")
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    return {
        "tz_gold": VoiceFactory(
            country=tanzania, commodity=gold, themes=[mercury], text="Mercury hurts our children."
        ),
        "tz_trader": VoiceFactory(country=tanzania, role=Voice.Role.TRADER, text="Prices fall."),
        "gh_gold": VoiceFactory(
            country=ghana, commodity=gold, naming="full", name="Kofi Mensah", text="Licences!"
        ),
        "pending": VoiceFactory(
            country=ghana, status=Voice.Status.PENDING, published_at=None, text="Not yet seen."
        ),
        "rejected": VoiceFactory(
            country=ghana, status=Voice.Status.REJECTED, rejection_reason="Names a neighbour."
        ),
    }


def facet(response, name):
    found = next(f for f in response.context["facets"] if f["name"] == name)
    return {str(item["label"]): item["count"] for item in found["items"]}


def test_only_published_voices_are_listed(client, voices):
    page = client.get("/voices/").content.decode()
    assert "Mercury hurts our children." in page and "Kofi Mensah" in page
    assert "Not yet seen." not in page
    assert client.get(voices["pending"].get_absolute_url()).status_code == 404
    assert client.get(voices["rejected"].get_absolute_url()).status_code == 404
    detail = client.get(voices["gh_gold"].get_absolute_url()).content.decode()
    assert "Names a neighbour" not in detail


def test_facet_counts_equal_a_direct_count(client, voices):
    response = client.get("/voices/")
    published = Voice.objects.published()
    assert facet(response, "country") == {
        "Tanzania": published.filter(country="TZ").count(),
        "Ghana": published.filter(country="GH").count(),
    }
    gold = published.filter(commodity__slug="gold").count()
    assert facet(response, "commodity") == {"Gold": gold}
    assert facet(response, "theme") == {"Mercury": 1}
    assert facet(response, "role") == {"Miner": 2, "Trader": 1}

    # A facet counts under the other filters, not its own.
    filtered = client.get("/voices/?country=tz")
    listed = [v.pk for v in filtered.context["voices"]]
    assert listed == [voices["tz_trader"].pk, voices["tz_gold"].pk]
    assert facet(filtered, "country") == {"Tanzania": 2, "Ghana": 1}
    assert facet(filtered, "role") == {"Miner": 1, "Trader": 1}
    assert facet(filtered, "commodity") == {"Gold": 1}
    both = client.get("/voices/?country=tz&commodity=gold&theme=mercury&role=miner")
    assert [v.pk for v in both.context["voices"]] == [voices["tz_gold"].pk]


def test_unknown_filter_values_are_ignored_with_a_note(client, voices):
    response = client.get("/voices/?country=zz&role=king&commodity=unobtainium")
    assert response.status_code == 200
    assert len(response.context["voices"]) == 3
    assert len(response.context["notes"]) == 3


def test_the_detail_page_plays_the_recording_with_its_transcript(client, voices):
    voice = voices["gh_gold"]
    voice.audio.save("a.wav", ContentFile(tone_wav()), save=False)
    voice.audio_type = "audio/wav"
    voice.transcript = "We ask for licences near the pits."
    voice.save()
    page = client.get(voice.get_absolute_url()).content.decode()
    audio_url = reverse("voices:audio", args=[voice.pk])
    assert f'<audio controls preload="none" src="{audio_url}"' in page
    assert "We ask for licences near the pits." in page
    assert "The voice of Kofi Mensah" in page
    sound = client.get(audio_url, HTTP_RANGE="bytes=0-11")
    assert sound.status_code == 206 and sound["Content-Type"] == "audio/wav"
    assert b"".join(sound.streaming_content) == tone_wav()[:12]


def test_related_pages_link_to_their_voices(client, voices):
    group = LearningGroupFactory(country=voices["tz_gold"].country, slug="tz-llg")
    dialogue = DialogueFactory(slug="tz-dialogue", country=voices["tz_gold"].country)
    Voice.objects.filter(pk=voices["tz_gold"].pk).update(learning_group=group, dialogue=dialogue)
    for url, link in [
        ("/countries/tz/", "/voices/?country=tz"),
        ("/learning-groups/tz-llg/", "/voices/?learning_group=tz-llg"),
        ("/dialogues/tz-dialogue/", "/voices/?dialogue=tz-dialogue"),
    ]:
        page = client.get(url).content.decode()
        assert f'href="{link}"' in page, url
    listed = client.get("/voices/?learning_group=tz-llg").context["voices"]
    assert [v.pk for v in listed] == [voices["tz_gold"].pk]
    # No link where no voice is published.
    assert "/voices/?country=gh" in client.get("/countries/gh/").content.decode()
    CountryFactory(code="ET")
    assert "/voices/?country=et" not in client.get("/countries/et/").content.decode()


def test_api_feed_and_sitemap_list_only_published_voices(client, voices):
    data = client.get("/api/voices/").json()
    assert {item["id"] for item in data["results"]} == {
        voices[k].pk for k in ("tz_gold", "tz_trader", "gh_gold")
    }
    assert client.get(f"/api/voices/{voices['pending'].pk}/").status_code == 404
    assert client.get("/api/voices/?country=zz").status_code == 400
    detail = client.get(f"/api/voices/{voices['gh_gold'].pk}/")
    assert detail.json()["name"] == "Kofi Mensah" and "no-cache" in detail["Cache-Control"]
    # A voice's answer and page are named by its id, not a slug (it has none).
    pk = voices["gh_gold"].pk
    assert detail.json()["url"] == f"http://testserver/api/voices/{pk}/"
    assert detail.json()["html_url"] == f"http://testserver/voices/{pk}/"
    feed = feedparser.parse(client.get("/feeds/voices.atom").content)
    assert not feed.bozo and len(feed.entries) == 3
    sitemap = client.get("/sitemap.xml").content.decode()
    assert voices["tz_gold"].get_absolute_url() in sitemap
    assert voices["pending"].get_absolute_url() not in sitemap


def test_withdrawal_leaves_only_a_bare_record(client, voices, django_capture_on_commit_callbacks):
    voice = voices["tz_gold"]
    voice.audio.save("a.wav", ContentFile(tone_wav()), save=False)
    voice.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    voice.transcript = "Mercury hurts our children."
    voice.save()
    storage, names = voice.audio.storage, [voice.audio.name, voice.photo.name]
    assert all(storage.exists(name) for name in names)
    assert voice.history.count() >= 2
    version = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        services.voice_withdraw(voice=Voice.objects.get(pk=voice.pk))

    voice.refresh_from_db()
    assert voice.status == Voice.Status.WITHDRAWN and voice.withdrawn_at
    assert (voice.text, voice.name, voice.transcript, voice.photo.name, voice.audio.name) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert voice.country is None and not voice.themes.exists()
    assert not any(storage.exists(name) for name in names)
    # The history keeps only the bare record, not the earlier text.
    assert [h.text for h in voice.history.all()] == [""]
    assert content_version() != version
    # Gone from every page, feed, API answer and the sitemap.
    assert client.get(voice.get_absolute_url()).status_code == 410
    assert "Mercury hurts" not in client.get(voice.get_absolute_url()).content.decode()
    assert "Mercury hurts" not in client.get("/voices/").content.decode()
    assert "Mercury hurts" not in client.get("/feeds/voices.atom").content.decode()
    assert client.get(f"/api/voices/{voice.pk}/").status_code == 404
    assert voice.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    assert client.get(reverse("voices:audio", args=[voice.pk])).status_code == 404


def test_list_query_count(client, voices, django_assert_max_num_queries):
    for _ in range(10):
        VoiceFactory(themes=[ThemeFactory()])
    # Choices of the commodity and theme filters (2), the four facet counts (4), the page
    # count and the page with its joins (2), the themes of the page (1): 9, constant
    # however many voices.
    with django_assert_max_num_queries(9):
        response = client.get("/voices/?country=tz&role=miner&theme=mercury")
    assert response.status_code == 200


def test_detail_query_count(client, voices, django_assert_max_num_queries):
    voice = voices["tz_gold"]
    # The voice with its country, commodity, group, dialogue and meeting (1), its themes
    # (1), and the INSERT that counts the view (usage) (1).
    with django_assert_max_num_queries(3):
        assert client.get(voice.get_absolute_url()).status_code == 200
    views = Event.objects.filter(kind=Kind.VIEW, item_kind="voice", item_id=voice.pk)
    assert views.count() == 1


def test_api_query_count(client, voices, django_assert_max_num_queries):
    for _ in range(10):
        VoiceFactory()
    # The count, the page with its joins, its themes, and the INSERT that counts the
    # request as machine use (usage.middleware): 4 whatever the page size.
    with django_assert_max_num_queries(4):
        assert client.get("/api/voices/?page_size=50").status_code == 200


PARAMS = ["country", "commodity", "theme", "role", "learning_group", "dialogue", "page", "x"]
VALUES = st.lists(
    st.sampled_from(["tz", "TZ", "", "0", "-1", "99999", "%00", "\x00", "é", "a" * 300, "'"]),
    min_size=1,
    max_size=3,
).map("".join)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=4))
def test_no_query_string_gives_a_500(client, query):
    from urllib.parse import urlencode

    qs = urlencode(query)
    for path in ("/voices/", "/feeds/voices.atom", "/api/voices/", "/voices/share/"):
        status = client.get(f"{path}?{qs}").status_code
        assert status in (200, 400, 404), (path, qs, status)


def test_a_recording_missing_from_storage_does_not_break_the_page(client, voices):
    voice = voices["tz_trader"]
    Voice.objects.filter(pk=voice.pk).update(audio="voices/audio/gone.wav", audio_type="audio/wav")
    response = client.get(voice.get_absolute_url())
    assert response.status_code == 200
    assert "Download the recording" in response.content.decode()
    assert client.get(reverse("voices:audio", args=[voice.pk])).status_code == 404


def test_what_the_voices_page_ignored_is_said(client, voices):
    page = client.get("/voices/?country=zz").content.decode()
    notice = "<ul><li>Unknown country “ZZ” was ignored.</li></ul></div>"
    assert f'  <div class="notice" role="status">{notice}' in page.splitlines()
