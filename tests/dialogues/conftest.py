"""A small programme history: two held national dialogues, one planned, one cancelled."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from resources.models import Resource
from tests.factories import (
    CountryFactory,
    DialogueDocumentFactory,
    DialogueFactory,
    LearningGroupFactory,
    OrganisationFactory,
    ResourceFactory,
    StageFactory,
    ThemeFactory,
    ghana_action_dialogue,
)

DAR = zoneinfo.ZoneInfo("Africa/Dar_es_Salaam")


@pytest.fixture
def dialogues():
    ghana, tanzania = CountryFactory(code="GH"), CountryFactory(code="TZ")
    formalisation = ThemeFactory(slug="formalisation", name="Formalisation and licensing")
    gender = ThemeFactory(slug="gender", name="Gender and women in mining")
    ghana_group = LearningGroupFactory(country=ghana, name="Ghana LLG", slug="ghana-llg")
    tarkwa = ghana_action_dialogue(ghana, learning_group=ghana_group, themes=[formalisation])
    tarkwa.convenors.set([OrganisationFactory(name="Friends of the Nation")])
    tarkwa.participation.create(stakeholder_group="government", count=12)
    tarkwa.participation.create(stakeholder_group="asm", count=None)
    StageFactory(
        dialogue=tarkwa,
        kind="field_visits",
        starts_on=datetime.date(2016, 1, 19),
        ends_on=datetime.date(2016, 1, 20),
        place="Three ASM sites",
    )
    StageFactory(dialogue=tarkwa, kind="scoping", starts_on=datetime.date(2015, 10, 1))
    DialogueDocumentFactory(
        dialogue=tarkwa,
        role="background",
        resource=ResourceFactory(title="Evidence to inform an action dialogue", year=2016),
    )
    DialogueDocumentFactory(
        dialogue=tarkwa,
        role="outcome",
        resource=ResourceFactory(title="Co-chairs' summary", year=2016),
    )
    DialogueDocumentFactory(
        dialogue=tarkwa,
        role="agenda",
        resource=ResourceFactory(title="Draft agenda not published", status=Resource.Status.DRAFT),
    )
    geita = DialogueFactory(
        title="Tanzania action dialogue",
        slug="tanzania-action-dialogue",
        scope="national",
        country=tanzania,
        place="Geita",
        time_zone="Africa/Dar_es_Salaam",
        starts_at=datetime.datetime(2017, 11, 7, 8, tzinfo=DAR),
        ends_at=datetime.datetime(2017, 11, 10, 17, tzinfo=DAR),
        themes=[formalisation, gender],
    )
    soon = (timezone.now() + datetime.timedelta(days=40)).replace(microsecond=0)
    planned = DialogueFactory(
        title="Thematic dialogue on mercury",
        slug="mercury-dialogue",
        scope="thematic",
        status="planned",
        time_zone="UTC",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(days=1),
    )
    cancelled = DialogueFactory(
        title="Cancelled dialogue in Geneva",
        slug="cancelled-dialogue",
        status="cancelled",
        time_zone="Europe/Zurich",
        starts_at=soon + datetime.timedelta(days=10),
        ends_at=soon + datetime.timedelta(days=11),
    )
    return {"tarkwa": tarkwa, "geita": geita, "planned": planned, "cancelled": cancelled}
