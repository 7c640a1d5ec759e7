"""The dialogue list (upcoming and past, filters) and a dialogue from start to finish."""

import pytest
from django.urls import reverse

from tests.conftest import page_html
from tests.factories import DialogueFactory

pytestmark = pytest.mark.django_db

URL = reverse("dialogues:list")


def titles(dialogues):
    return [d.title for d in dialogues]


def test_upcoming_soonest_first_and_past_latest_first(client, dialogues):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response.context["upcoming"]) == [
        "Thematic dialogue on mercury",
        "Cancelled dialogue in Geneva",
    ]
    assert titles(response.context["past"]) == [
        "Tanzania action dialogue",
        "Ghana action dialogue",
    ]
    html = response.content.decode()
    assert "19–22 January 2016" in html
    assert "Cancelled" in html


@pytest.mark.parametrize(
    "query, upcoming, past",
    [
        ({"scope": "national"}, [], ["Tanzania action dialogue", "Ghana action dialogue"]),
        ({"scope": "thematic"}, ["Thematic dialogue on mercury"], []),
        ({"country": "gh"}, [], ["Ghana action dialogue"]),
        ({"country": ["GH", "tz"]}, [], ["Tanzania action dialogue", "Ghana action dialogue"]),
        ({"theme": "gender"}, [], ["Tanzania action dialogue"]),
        ({"year": "2016"}, [], ["Ghana action dialogue"]),
        ({"theme": "formalisation", "year": "2017"}, [], ["Tanzania action dialogue"]),
    ],
)
def test_filters(client, dialogues, query, upcoming, past):
    response = client.get(URL, query)
    assert titles(response.context["upcoming"]) == upcoming
    assert titles(response.context["past"]) == past


def test_unknown_filter_values_are_ignored_with_a_note(client, dialogues):
    response = client.get(URL, {"country": ["zz", "gh"], "year": "year-one"})
    assert response.status_code == 200
    assert titles(response.context["past"]) == ["Ghana action dialogue"]
    notes = " ".join(str(n) for n in response.context["notes"])
    assert "“ZZ”" in notes and "Year" in notes


def test_detail_follows_the_dialogue_from_start_to_finish(client, dialogues):
    html = page_html(client, dialogues["tarkwa"].get_absolute_url())
    for text in (
        "Ghana action dialogue",
        "Tarkwa",
        "19–22 January 2016",
        "from 08:00 to 17:00, Africa/Accra time",
        "Friends of the Nation",
        "Ghana LLG",
        "About 55 participants.",
        "Government",
        "not recorded",
        "Scoping research",
        "Field visits",
        "Three ASM sites",
        "Background paper",
        "Evidence to inform an action dialogue",
        "Outcome or co-chairs&#x27; summary",
        "Co-chairs&#x27; summary",
        "Formalisation and licensing",
    ):
        assert text in html, text
    # Stages in time order: scoping before the field visits.
    assert html.index("Scoping research") < html.index("Field visits")
    assert "Draft agenda not published" not in html
    assert ">Agenda<" not in html


def test_times_are_shown_in_the_place_s_time_zone(client, dialogues):
    html = client.get(dialogues["geita"].get_absolute_url()).content.decode()
    # 08:00 in Geita is 05:00 UTC: the page says 08:00.
    assert "from 08:00 to 17:00, Africa/Dar_es_Salaam time" in html
    assert 'datetime="2017-11-07T08:00:00+03:00"' in html


def test_a_dialogue_with_little_content_still_reads_well(client):
    bare = DialogueFactory(title="A bare dialogue")
    html = client.get(bare.get_absolute_url()).content.decode()
    assert "Participation has not been recorded yet." in html
    assert "The stages of this dialogue have not been recorded yet." in html
    assert "No documents of this dialogue are in the library yet." in html


def test_unknown_dialogue_is_a_404(client):
    assert client.get(reverse("dialogues:detail", args=["nowhere"])).status_code == 404


def test_list_query_count(client, django_assert_max_num_queries, dialogues):
    for n in range(5):
        DialogueFactory(title=f"Extra {n}")
    # Filter choices: themes, countries, years (3); past: count and page (2) with
    # prefetches of themes and translations (2); upcoming (1) with the same two
    # prefetches (2): 10, constant.
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"scope": "international"}).status_code == 200


def test_detail_query_count(client, django_assert_max_num_queries, dialogues):
    # The dialogue with country and group (1), prefetches of themes, organisers,
    # convenors, participation, stages, translations (title and summary in the reader's
    # language), documents with resources and their authors (8), the documents' titles'
    # translations (their titles in the reader's language) (1), its learning group's
    # translations (its name in the reader's language) (1), its published voices
    # counted for the link to them (1), and the INSERT that counts the view (usage) (1).
    with django_assert_max_num_queries(13):
        assert client.get(dialogues["tarkwa"].get_absolute_url()).status_code == 200


def test_hours_are_not_shown_when_unknown(client, dialogues):
    geita = dialogues["geita"]
    geita.times_known = False
    geita.save()
    html = client.get(geita.get_absolute_url()).content.decode()
    assert "7–10 November 2017" in html
    assert "08:00" not in html


def test_stakeholder_groups_without_counts_are_listed(client, dialogues):
    geita = dialogues["geita"]
    geita.participation.create(stakeholder_group="women")
    html = client.get(geita.get_absolute_url()).content.decode()
    assert "Stakeholder groups at the table:" in html
    assert "<li>Women miners</li>" in html
    assert "not recorded" not in html
