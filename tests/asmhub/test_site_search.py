"""The site-wide search page finds dialogues, learning groups and Outlooks too, grouped."""

import pytest
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    OutlookReportFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


def test_every_kind_is_searched_and_grouped(
    client, django_assert_max_num_queries, warm_facet_index
):
    ghana, peru = CountryFactory(code="GH"), CountryFactory(code="PE")
    ResourceFactory(title="Gold in Ghana", countries=[ghana])
    DialogueFactory(title="Tarkwa action dialogue", place="Tarkwa", country=ghana, scope="national")
    DialogueFactory(title="A dialogue in Lima", place="Lima", country=peru, scope="national")
    LearningGroupFactory(country=ghana, name="Ghana Learning and Leadership Group")
    OutlookReportFactory(country=ghana, year=2018)
    OutlookReportFactory(country=peru, year=2018)
    # The resources' budget (17, see test_search.py), which one resource found stays
    # well under, and a count, a page and the page's translations (titles in the
    # reader's language) for each of the three other kinds (9): 23 holds.
    warm_facet_index()
    with django_assert_max_num_queries(23):
        body = client.get(reverse("search"), {"q": "ghana"}).content.decode()
    for heading in ("Library resources", "Dialogues", "Learning groups", "National ASM Outlooks"):
        assert heading in body
    assert "Tarkwa action dialogue" in body  # found by its country's name
    assert "Ghana Learning and Leadership Group" in body
    assert "National ASM Outlook: Ghana 2018" in body
    assert "Lima" not in body and "Peru 2018" not in body


def test_a_new_dialogue_is_found_at_once(client):
    """The page is not cached by the library's content version, which dialogues do not
    change."""
    assert "Geita" not in client.get(reverse("search"), {"q": "geita"}).content.decode()
    DialogueFactory(title="Geita action dialogue", place="Geita")
    assert "Geita action dialogue" in client.get(reverse("search"), {"q": "geita"}).content.decode()


def test_translated_texts_are_found_in_any_language(client):
    from dialogues.models import DialogueTranslation
    from learning_groups.models import LearningGroupTranslation

    dialogue = DialogueFactory(title="Geita action dialogue", place="Geita")
    DialogueTranslation.objects.create(
        dialogue=dialogue, language="sw", title="Mdahalo wa utekelezaji wa Tanzania"
    )
    group = LearningGroupFactory(name="Tanzania group", country=CountryFactory(code="TZ"))
    LearningGroupTranslation.objects.create(
        group=group, language="sw", name="Kikundi cha Kujifunza na Uongozi"
    )
    url = reverse("search")
    body = client.get("/sw" + url, {"q": "mdahalo utekelezaji"}).content.decode()
    # Found, and titled in the reader's language.
    assert '<h3 class="result-title" lang="sw"><a href="/sw/dialogues/' in body
    assert "Mdahalo wa utekelezaji wa Tanzania" in body
    # An English reader finds it by its Swahili words too, and sees the original.
    body = client.get(url, {"q": "kikundi uongozi"}).content.decode()
    assert '<h3 class="result-title" lang="en"><a href="/learning-groups/' in body
    assert "Tanzania group" in body
    # Every word must match, in the original or in one translation.
    assert "Geita" not in client.get(url, {"q": "mdahalo lima"}).content.decode()
