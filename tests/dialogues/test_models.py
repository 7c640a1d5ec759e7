"""Constraints of dialogues and their stages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CountryFactory, DialogueFactory, StageFactory

pytestmark = pytest.mark.django_db


def test_a_dialogue_cannot_end_before_it_starts():
    dialogue = DialogueFactory.build()
    dialogue.ends_at = dialogue.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        dialogue.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        dialogue.save()
    dialogue.ends_at = dialogue.starts_at
    dialogue.save()


def test_a_national_dialogue_needs_its_country():
    dialogue = DialogueFactory.build(scope="national", country=None)
    with pytest.raises(ValidationError, match="needs its country"):
        dialogue.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        dialogue.save()
    dialogue.country = CountryFactory(code="GH")
    dialogue.save()


def test_the_time_zone_must_be_an_iana_name():
    dialogue = DialogueFactory.build(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError, match="IANA time zone"):
        dialogue.full_clean()


def test_a_stage_cannot_end_before_it_starts():
    dialogue = DialogueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StageFactory(
            dialogue=dialogue,
            starts_on=datetime.date(2017, 5, 19),
            ends_on=datetime.date(2017, 5, 11),
        )
    StageFactory(dialogue=dialogue, starts_on=datetime.date(2017, 5, 11), ends_on=None)
