"""What a request records: robots never, machines apart, people's views and downloads of
every kind of page, one INSERT each."""

import datetime as dt
from unittest import mock

import counter_robots
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import BROWSER_AGENT
from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    OutlookReportFactory,
    ResourceFactory,
)
from usage.models import Event, Kind
from usage.recording import country_item_id, country_of_item_id
from usage.robots import HUMAN, MACHINE, ROBOT, classify

pytestmark = pytest.mark.django_db

# Taken from COUNTER's own robots list as the counter-robots package ships it (each
# matches one of its patterns), and two agents of its machine list.
ROBOT_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "",
    "x",
]
MACHINE_AGENTS = ["curl/8.4.0", "python-requests/2.32.3", "Wget/1.21.4"]


def browser(agent=BROWSER_AGENT, address="192.0.2.10"):
    return Client(headers={"User-Agent": agent}, REMOTE_ADDR=address)


@pytest.mark.parametrize("agent", ROBOT_AGENTS)
def test_robots_are_on_counters_list_and_not_counted(agent):
    assert counter_robots.is_robot(agent)
    assert classify(agent) == ROBOT
    resource = ResourceFactory(with_file=True)
    visitor = browser(agent)
    assert visitor.get(resource.get_absolute_url()).status_code == 200
    response = visitor.get(resource.get_download_url())
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert not Event.objects.exists()


@pytest.mark.parametrize("agent", MACHINE_AGENTS)
def test_scripts_are_counted_as_machine_use(agent):
    assert classify(agent) == MACHINE
    resource = ResourceFactory()
    browser(agent).get(resource.get_absolute_url())
    event = Event.objects.get()
    assert (event.kind, event.machine, event.item_id) == (Kind.VIEW, True, resource.pk)


def test_a_readers_browser_is_a_person():
    assert classify(BROWSER_AGENT) == HUMAN
    resource = ResourceFactory()
    browser().get(resource.get_absolute_url())
    event = Event.objects.get()
    assert (event.kind, event.machine, event.item_kind) == (Kind.VIEW, False, "resource")


def test_each_file_and_language_version_download_names_its_file():
    from django.core.files.base import ContentFile

    from resources.models import ResourceFile

    resource = ResourceFactory(with_file=True)
    ResourceFile.objects.create(
        resource=resource, language="fr", file=ContentFile(b"%PDF-1.4 fr", name="fr.pdf")
    )
    visitor = browser()
    for url in (
        resource.get_download_url(),
        reverse("resources:download-version", args=[resource.slug, "fr"]),
    ):
        response = visitor.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert sorted(Event.objects.values_list("kind", "variant")) == [
        (Kind.DOWNLOAD, ""),
        (Kind.DOWNLOAD, "fr"),
    ]


def test_head_and_a_missing_page_are_not_counted():
    resource = ResourceFactory(with_file=True)
    visitor = browser()
    visitor.head(resource.get_download_url())
    assert visitor.get("/resources/no-such-thing/").status_code == 404
    assert not Event.objects.exists()


def test_dialogue_learning_group_and_outlook_pages_count_their_views():
    dialogue = DialogueFactory()
    group = LearningGroupFactory()
    OutlookReportFactory(country=CountryFactory(code="TZ"), year=2018)
    visitor = browser()
    for url in (
        dialogue.get_absolute_url(),
        group.get_absolute_url(),
        reverse("learning_groups:outlook-country", args=["tz"]),
        reverse("learning_groups:outlooks"),
    ):
        assert visitor.get(url).status_code == 200
    assert sorted(Event.objects.values_list("item_kind", "item_id")) == sorted(
        [
            ("dialogue", dialogue.pk),
            ("learning_group", group.pk),
            ("outlook", country_item_id("TZ")),
            ("outlook", 0),
        ]
    )
    assert country_of_item_id(country_item_id("tz")) == "TZ"


@pytest.mark.parametrize(
    ("url", "item_kind", "variant"),
    [
        ("/api/resources/", "api", "resources"),
        ("/oai?verb=Identify", "oai", ""),
        ("/feeds/resources.atom", "feed", "resources"),
        ("/fr/feeds/resources.atom", "feed", "resources"),
    ],
)
def test_api_oai_and_feeds_are_machine_use_even_from_a_browser(url, item_kind, variant):
    ResourceFactory()
    assert browser().get(url).status_code == 200
    event = Event.objects.get()
    assert (event.kind, event.machine, event.item_kind, event.variant) == (
        Kind.REQUEST,
        True,
        item_kind,
        variant,
    )


def test_an_answer_that_is_not_a_success_is_no_machine_use():
    assert browser().get("/api/resources/?page=999").status_code == 404
    assert not Event.objects.exists()


def test_an_event_holds_the_time_and_a_hash_not_the_visitor():
    resource = ResourceFactory()
    moment = dt.datetime(2026, 3, 4, 10, 0, 5, tzinfo=dt.UTC)
    with mock.patch("usage.recording.timezone.now", return_value=moment):
        browser(address="203.0.113.77").get(resource.get_absolute_url())
    event = Event.objects.get()
    assert event.at == moment
    assert len(event.session) == 32 and "203.0.113.77" not in event.session


def _counted_queries(url, method="get"):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(browser(), method)(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page", ["detail", "download"])
def test_counting_adds_one_insert_and_nothing_else(page):
    resource = ResourceFactory(with_file=True)
    url = resource.get_absolute_url() if page == "detail" else resource.get_download_url()
    _counted_queries(url)  # the tags' content type, read once a process
    with mock.patch("usage.recording.Event.objects.create"):
        without = _counted_queries(url)
    counted = _counted_queries(url)
    assert len(counted) == len(without) + 1
    added = [sql for sql in counted if "usage_event" in sql]
    assert len(added) == 1 and added[0].startswith("INSERT")
