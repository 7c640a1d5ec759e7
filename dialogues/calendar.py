"""Dialogues as an RFC 5545 calendar, written with the icalendar library.

Start and end carry the place's IANA time zone (TZID) with a matching VTIMEZONE, so a
calendar client shows local times correctly; UTC times are written with a Z. A dialogue
whose hours are unknown becomes an all-day event on the place's dates.

Any text a partner typed makes a valid file: text properties are escaped by icalendar
(vText), control characters RFC 5545 forbids are dropped, and the calendar's name, an
extension icalendar writes as it is given, is one escaped line.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from core.translations import in_language

from .models import Dialogue

MARGIN = datetime.timedelta(days=366)
ICS_STATUS = {
    Dialogue.Status.PLANNED: "CONFIRMED",
    Dialogue.Status.HELD: "CONFIRMED",
    Dialogue.Status.CANCELLED: "CANCELLED",
}
# RFC 5545's CONTROL characters but tab and line breaks, which vText escapes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value):
    """value without the control characters a content line cannot hold."""
    return _CONTROL.sub("", value)


def dialogue_calendar(dialogues, *, request, name):
    """The dialogues as the bytes of one VCALENDAR; request makes the links absolute."""
    calendar = Calendar()
    calendar.add("prodid", "-//ASM Hub//Dialogues//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # X-WR-CALNAME is not a property icalendar knows: unless given as vText it is written
    # unescaped, and a title with a line break made a broken line (a 500).
    calendar.add("x-wr-calname", vText(" ".join(_text(name).split())))
    stamp = timezone.now()
    dialogues = list(dialogues)
    for dialogue in dialogues:
        calendar.add_component(_event(dialogue, request=request, stamp=stamp))
    if dialogues:
        # Time zone rules only for the years the events span keep the file small.
        calendar.add_missing_timezones(
            first_date=min(d.starts_at for d in dialogues).date() - MARGIN,
            last_date=max(d.ends_at for d in dialogues).date() + MARGIN,
        )
    return calendar.to_ical()


def _event(dialogue, *, request, stamp):
    url = request.build_absolute_uri(dialogue.get_absolute_url())
    event = Event()
    # The UUID never changes, so a client updates its copy instead of adding a second one.
    event.add("uid", f"{dialogue.uid}@asmhub")
    event.add("dtstamp", stamp)
    if dialogue.times_known:
        event.add("dtstart", dialogue.local_start)
        event.add("dtend", dialogue.local_end)
    else:
        # All-day event: DTEND is the day after the last one (RFC 5545, 3.6.1).
        event.add("dtstart", dialogue.local_start.date())
        event.add("dtend", dialogue.local_end.date() + datetime.timedelta(days=1))
    # In the language of the calendar's link where the dialogue is translated into it.
    event.add("summary", _text(str(in_language(dialogue, "title"))))
    location = ", ".join(part for part in (dialogue.place, str(dialogue.country or "")) if part)
    if location:
        event.add("location", _text(location))
    description = str(in_language(dialogue, "summary"))
    if dialogue.status == Dialogue.Status.CANCELLED:
        # Outside the f-string, where makemessages can find it.
        cancelled = _("Cancelled.")
        description = f"{cancelled} {description}".strip()
    event.add("description", _text(f"{description}\n\n{url}".strip()))
    event.add("url", url)
    event.add("status", ICS_STATUS[dialogue.status])
    event.add("last-modified", dialogue.updated_at)
    themes = [_text(theme.name) for theme in dialogue.themes.all()]
    if themes:
        event.add("categories", themes)
    return event
