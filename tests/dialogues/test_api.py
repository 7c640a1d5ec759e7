"""The dialogues' JSON API: the list page's filters, only published documents, local
times, strict 400s, 304s and fixed query counts."""

import pytest
from django.urls import reverse

from tests.factories import DialogueDocumentFactory, DialogueFactory, StageFactory, ThemeFactory
from tests.resources.discovery.test_api import assert_documented, get_json

pytestmark = pytest.mark.django_db

DIALOGUES = reverse("api:dialogues")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"scope": "national"},
        {"country": "GH"},
        {"country": ["gh", "tz"], "scope": "national"},
        {"theme": "gender"},
        {"theme": ["gender", "formalisation"]},
        {"year": "2017"},
    ],
)
def test_dialogue_filters_equal_the_list_page(client, dialogues, params):
    api = get_json(client, DIALOGUES, params)
    page = client.get(reverse("dialogues:list"), params).context
    shown = [*page["upcoming"], *page["past"]]
    assert sorted(d["slug"] for d in api["results"]) == sorted(d.slug for d in shown)
    assert api["count"] == len(shown)


def test_dialogue_list_is_latest_start_first(client, dialogues):
    slugs = [d["slug"] for d in get_json(client, DIALOGUES)["results"]]
    assert slugs == [
        "cancelled-dialogue",
        "mercury-dialogue",
        "tanzania-action-dialogue",
        "ghana-action-dialogue",
    ]


def test_dialogue_detail(client, dialogues):
    data = get_json(client, reverse("api:dialogue", args=["ghana-action-dialogue"]))
    assert data["html_url"] == "http://testserver/dialogues/ghana-action-dialogue/"
    assert data["calendar_url"].endswith("/dialogues/ghana-action-dialogue/calendar.ics")
    assert data["uid"] == str(dialogues["tarkwa"].uid)
    assert data["starts_at"] == "2016-01-19T08:00:00+00:00"  # Accra's own time
    assert (data["start_date"], data["end_date"]) == ("2016-01-19", "2016-01-22")
    assert data["country"]["code"] == "GH"
    assert data["learning_group"]["url"] == "http://testserver/api/learning-groups/ghana-llg/"
    assert [c["name"] for c in data["convenors"]] == ["Friends of the Nation"]
    assert {(p["stakeholder_group"], p["count"]) for p in data["participation"]} == {
        ("government", 12),
        ("asm", None),
    }
    assert [s["kind"] for s in data["stages"]] == ["scoping", "field_visits"]
    # The unpublished agenda is never referenced.
    assert [(d["role"], d["resource"]["title"]) for d in data["documents"]] == [
        ("background", "Evidence to inform an action dialogue"),
        ("outcome", "Co-chairs' summary"),
    ]
    assert "not published" not in client.get(data["url"]).content.decode()
    geita = get_json(client, reverse("api:dialogue", args=["tanzania-action-dialogue"]))
    assert geita["starts_at"] == "2017-11-07T08:00:00+03:00"
    assert geita["learning_group"] is None


def test_every_answer_is_what_the_document_says(client, dialogues):
    assert_documented(client, DIALOGUES)
    for slug in ("ghana-action-dialogue", "tanzania-action-dialogue"):
        assert_documented(client, reverse("api:dialogue", args=[slug]))


def test_the_group_lists_its_dialogues(client, dialogues):
    group = get_json(client, reverse("api:learning-group", args=["ghana-llg"]))
    assert [(d["slug"], d["start_date"]) for d in group["dialogues"]] == [
        ("ghana-action-dialogue", "2016-01-19")
    ]
    assert get_json(client, group["dialogues"][0]["url"])["slug"] == "ghana-action-dialogue"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"scope": "regional"}, "scope"),
        ({"country": "zz"}, "country"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"year": "twenty"}, "year"),
        ({"year": "3000"}, "year"),
        ({"status": "held"}, "status"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_400_that_names_them(client, dialogues, params, parameter):
    assert get_json(client, DIALOGUES, params, status=400)["error"]["parameter"] == parameter


def test_unknown_dialogue_is_a_json_404_and_a_known_one_answers_304(client, dialogues):
    get_json(client, reverse("api:dialogue", args=["nowhere"]), status=404)
    url = reverse("api:dialogue", args=["mercury-dialogue"])
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    origin = "https://elsewhere.example"
    assert client.options(DIALOGUES, HTTP_ORIGIN=origin)["Access-Control-Allow-Origin"] == "*"
    assert client.post(DIALOGUES).status_code == 405


@pytest.fixture
def many():
    themes = [ThemeFactory(slug=f"theme-{n}") for n in range(3)]
    for _n in range(15):
        dialogue = DialogueFactory(themes=themes)
        DialogueDocumentFactory(dialogue=dialogue)
        StageFactory(dialogue=dialogue)
    return dialogue


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        # count, the page (country and learning group joined), the themes, the
        # translations (each row carries them).
        (DIALOGUES, 4),
        # ...and the theme choices the filter checks a value against.
        (DIALOGUES + "?theme=theme-1", 5),
        # the dialogue, themes, organisers, convenors, participation, stages, its
        # translations, published documents (resource joined) and their authors.
        ("detail", 9),
    ],
)
def test_query_counts_do_not_grow_with_rows(
    client, many, url, limit, django_assert_max_num_queries
):
    if url == "detail":
        url = reverse("api:dialogue", args=[many.slug])
    # +1: the INSERT that counts the request as machine use (usage.middleware).
    with django_assert_max_num_queries(limit + 1):
        assert client.get(url).status_code == 200
