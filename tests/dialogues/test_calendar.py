"""The calendars parse with the icalendar library and hold the right events, with UIDs,
DTSTAMPs and time zones a calendar client needs (icalendar is lenient: assert them)."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.factories import DialogueFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_calendar_holds_every_dialogue(client, dialogues):
    calendar = parse(client.get(reverse("dialogues:calendar")))
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    found = events(calendar)
    assert set(found) == {d.title for d in dialogues.values()}
    uids = [str(e["UID"]) for e in found.values()]
    assert len(set(uids)) == len(uids)
    for dialogue in dialogues.values():
        event = found[dialogue.title]
        assert str(event["UID"]) == f"{dialogue.uid}@asmhub"
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert event["DTSTART"].dt == dialogue.starts_at
        assert event["DTEND"].dt == dialogue.ends_at
        assert str(event["URL"]).endswith(dialogue.get_absolute_url())
    assert str(found["Cancelled dialogue in Geneva"]["STATUS"]) == "CANCELLED"
    assert str(found["Ghana action dialogue"]["STATUS"]) == "CONFIRMED"
    assert str(found["Ghana action dialogue"]["LOCATION"]) == "Tarkwa, Ghana"


def test_local_times_carry_their_time_zone_with_a_vtimezone(client, dialogues):
    calendar = parse(client.get(reverse("dialogues:calendar")))
    geita = events(calendar)["Tanzania action dialogue"]
    assert geita["DTSTART"].params["TZID"] == "Africa/Dar_es_Salaam"
    assert geita["DTSTART"].dt == datetime.datetime(
        2017, 11, 7, 8, tzinfo=zoneinfo.ZoneInfo("Africa/Dar_es_Salaam")
    )
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert {"Africa/Dar_es_Salaam", "Europe/Zurich"} <= zones
    # Every TZID used by an event is defined in the file.
    used = {
        e[prop].params["TZID"]
        for e in calendar.walk("VEVENT")
        for prop in ("DTSTART", "DTEND")
        if "TZID" in e[prop].params
    }
    assert used <= zones
    raw = client.get(reverse("dialogues:calendar")).content
    assert b"DTSTART;TZID=Africa/Dar_es_Salaam:20171107T080000" in raw
    assert b"\r\n" in raw


def test_a_utc_dialogue_is_written_in_utc(client, dialogues):
    raw = client.get(dialogues["planned"].get_calendar_url()).content.decode()
    start = dialogues["planned"].starts_at.astimezone(datetime.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in raw


def test_calendar_takes_the_list_filters(client, dialogues):
    calendar = parse(client.get(reverse("dialogues:calendar"), {"country": "tz"}))
    assert set(events(calendar)) == {"Tanzania action dialogue"}


def test_one_dialogue_calendar(client, dialogues):
    response = client.get(dialogues["tarkwa"].get_calendar_url())
    calendar = parse(response)
    assert list(events(calendar)) == ["Ghana action dialogue"]
    assert 'filename="ghana-action-dialogue.ics"' in response["Content-Disposition"]
    event = calendar.walk("VEVENT")[0]
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Formalisation and licensing"]


def test_empty_calendar_is_still_valid(client):
    calendar = parse(client.get(reverse("dialogues:calendar")))
    assert calendar.walk("VEVENT") == []


def test_unknown_dialogue_calendar_is_a_404(client):
    assert client.get(reverse("dialogues:event-ics", args=["nowhere"])).status_code == 404


def test_a_dialogue_without_known_hours_is_an_all_day_event(client, dialogues):
    geita = dialogues["geita"]
    geita.times_known = False
    geita.save()
    calendar = parse(client.get(geita.get_calendar_url()))
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].dt == datetime.date(2017, 11, 7)
    assert not isinstance(event["DTSTART"].dt, datetime.datetime)
    # DTEND of an all-day event is exclusive: the day after the last day.
    assert event["DTEND"].dt == datetime.date(2017, 11, 11)
    assert event["DTSTART"].params.get("VALUE") == "DATE"


def test_calendar_query_count(client, django_assert_max_num_queries, dialogues):
    # The dialogues with country and group (1), their themes (1) and their translations
    # (1, titles and summaries in the language of the link): 3, however many.
    with django_assert_max_num_queries(3):
        assert client.get(reverse("dialogues:calendar")).status_code == 200
    # A theme filter also reads the themes it may choose from: 4.
    with django_assert_max_num_queries(4):
        url = reverse("dialogues:calendar") + "?theme=gender"
        assert client.get(url).status_code == 200
    # One dialogue, its themes and its translations: 3.
    with django_assert_max_num_queries(3):
        assert client.get(dialogues["tarkwa"].get_calendar_url()).status_code == 200


def test_every_event_has_what_a_calendar_client_needs(client, dialogues):
    calendar = parse(client.get(reverse("dialogues:calendar")))
    for event in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL"):
            assert str(event.get(name, "")), (str(event.get("SUMMARY")), name)
    where = {str(e["SUMMARY"]): str(e["LOCATION"]) for e in calendar.walk("VEVENT")}
    assert where["Tanzania action dialogue"] == "Geita, Tanzania"
    assert where["Thematic dialogue on mercury"] == "London"  # no country: the place alone


@pytest.mark.parametrize(
    ("title", "summary", "name_line"),
    [
        ("Two\nlines", "Two\nlines", b"X-WR-CALNAME:Two lines"),
        ("Windows\r\nbreak", "Windows\nbreak", b"X-WR-CALNAME:Windows break"),
        ('Quote " ; comma, \\', 'Quote " ; comma, \\', b'X-WR-CALNAME:Quote " \\; comma\\, \\\\'),
        ("Vertical\x0btab\x01", "Verticaltab", b"X-WR-CALNAME:Verticaltab"),
    ],
)
def test_any_title_makes_a_valid_calendar(client, title, summary, name_line):
    # A line break in the title once went unescaped into the calendar's name: a 500.
    dialogue = DialogueFactory(title=title, summary=title)
    response = client.get(dialogue.get_calendar_url())
    (event,) = parse(response).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]).startswith(summary + "\n\n")
    # The calendar's name is one line, its TEXT specials escaped; no control characters.
    assert name_line + b"\r\n" in response.content
    assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", response.content.replace(b"\r\n", b""))
