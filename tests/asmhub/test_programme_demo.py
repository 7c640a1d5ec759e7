"""The programme demo loads the real dialogues and groups, links the real background
papers, marks sample figures, and can run twice without changing anything."""

import io

import pytest
from django.core.management import call_command

from dialogues.models import Dialogue, DialogueDocument
from learning_groups.models import LearningGroup, OutlookIndicator, OutlookReport
from resources.management.commands.load_demo import ORGANISATIONS, PROGRAMME_COUNTRIES
from resources.models import Country, Organisation
from tests.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    """What load_demo would have loaded that the programme demo relies on."""
    for code in PROGRAMME_COUNTRIES:
        Country.objects.create(
            code=code, is_programme_country=True, est_asm_miners=1000, figures_source="Delve"
        )
    for name, acronym, kind, _country in ORGANISATIONS:
        Organisation.objects.create(name=name, acronym=acronym, kind=kind)
    for slug in ("formalisation", "finance", "governance", "lsm_asm_relations", "gender"):
        ThemeFactory(slug=slug, name=slug)
    for code in ("16592IIED", "16618IIED", "16635IIED", "16641IIED", "G04119"):
        ResourceFactory(title=f"Report {code}", publisher_code=code)


def test_loads_the_programme_and_is_idempotent(library):
    call_command("load_programme_demo", stdout=io.StringIO())
    uids = set(Dialogue.objects.values_list("uid", flat=True))
    counts = (
        Dialogue.objects.count(),
        LearningGroup.objects.count(),
        OutlookReport.objects.count(),
        OutlookIndicator.objects.count(),
        DialogueDocument.objects.count(),
    )
    call_command("load_programme_demo", stdout=io.StringIO())
    assert set(Dialogue.objects.values_list("uid", flat=True)) == uids
    assert counts == (
        Dialogue.objects.count(),
        LearningGroup.objects.count(),
        OutlookReport.objects.count(),
        OutlookIndicator.objects.count(),
        DialogueDocument.objects.count(),
    )

    tarkwa = Dialogue.objects.get(slug="ghana-action-dialogue-tarkwa-2016")
    assert tarkwa.local_start.date().isoformat() == "2016-01-19"
    assert tarkwa.time_zone == "Africa/Accra"
    assert tarkwa.learning_group.country_id == "GH"
    assert [d.resource.publisher_code for d in tarkwa.documents.all()] == ["16618IIED"]
    geita = Dialogue.objects.get(slug="tanzania-action-dialogue-geita-2017")
    assert geita.local_start.isoformat() == "2017-11-07T00:00:00+03:00"
    assert not geita.times_known
    assert geita.stages.count() == 4
    assert set(LearningGroup.objects.values_list("country", flat=True)) == {"GH", "TZ"}
    assert set(OutlookReport.objects.values_list("country", flat=True)) == PROGRAMME_COUNTRIES
    assert not OutlookReport.objects.filter(is_sample=False).exists()
    # The miners estimate is the country's sourced figure; everything else is a sample.
    sourced = OutlookIndicator.objects.filter(is_sample=False)
    assert set(sourced.values_list("indicator", flat=True)) == {"asm_miners"}
    assert not sourced.filter(source="").exists()
