"""The one call the apps make to count a use: `record(request, kind, item_kind, item_id)`.

One INSERT, nothing read: robots are recognised in the process, double clicks and unique
counts are worked out later by the aggregation (aggregation.py).
"""

from django.utils import timezone

from usage.models import Event, Kind
from usage.robots import MACHINE, ROBOT, classify
from usage.sessions import session_of

# Item kinds the apps record (a voice's and a news item's page count as views too).
RESOURCE, DIALOGUE, LEARNING_GROUP, OUTLOOK = "resource", "dialogue", "learning_group", "outlook"
VOICE, NEWS = "voice", "news"
API, OAI, FEED = "api", "oai", "feed"


def record(request, kind, item_kind, item_id=0, *, variant="", machine=False):
    """Count one use of an item by request, unless a robot made it. `machine` marks an
    endpoint made for machines (API, OAI-PMH, feeds); a script's agent is one anyway.
    Only GET is counted: HEAD asks about a file without taking it."""
    if request.method != "GET":
        return None
    who = classify(request.headers.get("User-Agent", ""))
    if who == ROBOT:
        return None
    now = timezone.now()
    return Event.objects.create(
        at=now,
        kind=kind,
        machine=machine or who == MACHINE,
        item_kind=item_kind,
        item_id=item_id,
        variant=variant[:24],
        session=session_of(request, now.date()),
    )


__all__ = ["record", "Kind", "country_item_id"]


def country_item_id(code):
    """The item id that stands for a country's page (keyed by ISO code, not a number)."""
    return int.from_bytes(code.upper().encode("ascii"), "big")


def country_of_item_id(item_id):
    return int(item_id).to_bytes(2, "big").decode("ascii")
