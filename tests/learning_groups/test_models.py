"""Constraints of learning groups and Outlooks hold in the database and in clean()."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learning_groups.models import LearningGroup, OutlookIndicator, OutlookReport
from tests.factories import (
    CountryFactory,
    LearningGroupFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
)

pytestmark = pytest.mark.django_db


def test_one_learning_group_per_country():
    ghana = CountryFactory(code="GH")
    LearningGroupFactory(country=ghana)
    second = LearningGroup(country=ghana, name="Another", slug="another")
    with pytest.raises(ValidationError, match="already has a learning group"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    LearningGroupFactory(country=CountryFactory(code="TZ"))
    assert LearningGroup.objects.count() == 2


def test_a_learning_group_cannot_end_before_it_starts():
    group = LearningGroupFactory.build(
        country=CountryFactory(code="GH"),
        started_on=datetime.date(2017, 1, 1),
        ended_on=datetime.date(2016, 12, 31),
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        group.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        group.save()
    group.ended_on = datetime.date(2017, 1, 1)
    group.save()


def test_one_outlook_per_country_and_year():
    ghana = CountryFactory(code="GH")
    OutlookReportFactory(country=ghana, year=2018)
    OutlookReportFactory(country=ghana, year=2019)
    OutlookReportFactory(country=CountryFactory(code="TZ"), year=2018)
    duplicate = OutlookReport(country=ghana, year=2018)
    with pytest.raises(ValidationError, match="already has an Outlook for that year"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_one_value_per_indicator_and_range_in_order():
    report = OutlookReportFactory(country=CountryFactory(code="GH"))
    OutlookIndicatorFactory(report=report, indicator="asm_miners")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutlookIndicatorFactory(report=report, indicator="asm_miners")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutlookIndicatorFactory(report=report, indicator="gold_output", low=10, high=5)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"indicator": "main_commodities", "value": Decimal(3)}, "takes a text"),
        ({"indicator": "gold_output", "value": None, "text_value": "lots"}, "takes a number"),
        ({"indicator": "women_share", "value": Decimal(120)}, "between 0 and 100"),
        ({"indicator": "gold_output", "value": Decimal(50), "low": 1, "high": 10}, "within"),
    ],
)
def test_indicator_clean_rejects_nonsense(fields, message):
    report = OutlookReportFactory(country=CountryFactory(code="GH"))
    indicator = OutlookIndicator(report=report, source="x", **{"value": None, **fields})
    with pytest.raises(ValidationError, match=message):
        indicator.full_clean()


def test_indicator_gets_its_default_unit_and_knows_when_it_is_missing():
    report = OutlookReportFactory(country=CountryFactory(code="GH"))
    share = OutlookIndicatorFactory(report=report, indicator="women_share", value=30)
    empty = OutlookIndicatorFactory(report=report, indicator="gold_output", value=None)
    assert share.unit == "%"
    assert not share.is_missing
    assert empty.is_missing
