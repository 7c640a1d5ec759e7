"""E-mail alerts without an account, mailed through a real SMTP server on loopback
(aiosmtpd): subscribe, double opt-in, digests of only new matching resources, nothing
twice, nothing when nothing is new, one-click unsubscribe."""

import datetime as dt
import email
import os
import re
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources import services
from resources.models import Resource, Subscription
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    """A real SMTP server on 127.0.0.1 for the test; Django mails through it."""
    port = int(os.environ.get("ASMHUB_TEST_SMTP_PORT") or free_port())
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.ASMHUB_BASE_URL = "http://hub.test"
    try:
        yield handler
    finally:
        controller.stop()


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, name):
    match = re.search(rf"http://hub\.test(/alerts/{name}/[^/\s]+/)", body(message))
    assert match, body(message)
    return match.group(1)


@pytest.fixture
def topics():
    return {
        "gh": CountryFactory(code="GH"),
        "mercury": ThemeFactory(slug="mercury", name="Mercury"),
    }


def subscribe(client, inbox, query, address="reader@example.org", frequency="daily"):
    url = reverse("alerts:subscribe") + query
    response = client.post(url, {"email": address, "frequency": frequency})
    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    ((_to, message),) = inbox.wait_for(1)[-1:]
    return message


def test_subscribe_confirm_digest_unsubscribe(client, inbox, topics):
    before = ResourceFactory(
        title="Old Ghana mercury", countries=[topics["gh"]], themes=[topics["mercury"]]
    )

    page = client.get(reverse("alerts:subscribe"), {"country": "GH", "theme": "mercury"})
    assert page.status_code == 200
    assert b"country: gh; theme: mercury" in page.content

    confirmation = subscribe(client, inbox, "?country=GH&theme=mercury")
    assert confirmation["To"] == "reader@example.org"
    assert "Confirm" in confirmation["Subject"]
    subscription = Subscription.objects.get()
    assert subscription.query == "country=gh&theme=mercury"
    assert not subscription.is_confirmed

    # Opening the link only shows a button (mail scanners follow links); pressing it confirms.
    confirm_url = link(confirmation, "confirm")
    assert b"Yes, start the alert" in client.get(confirm_url).content
    assert not Subscription.objects.get().is_confirmed
    assert b"Your alert is on" in client.post(confirm_url).content
    assert Subscription.objects.get().is_confirmed

    match = ResourceFactory(
        title="New Ghana mercury", countries=[topics["gh"]], themes=[topics["mercury"]]
    )
    ResourceFactory(
        title="New Peru mercury", countries=[CountryFactory(code="PE")], themes=[topics["mercury"]]
    )
    ResourceFactory(
        title="Draft Ghana mercury",
        countries=[topics["gh"]],
        themes=[topics["mercury"]],
        status=Resource.Status.DRAFT,
    )
    call_command("send_alerts", "--frequency", "weekly")
    call_command("send_alerts", "--frequency", "daily")
    messages = inbox.wait_for(2)
    assert len(messages) == 2
    to, digest = messages[1]
    assert to == ["reader@example.org"]
    text = body(digest)
    assert "New Ghana mercury" in text
    assert f"http://hub.test{match.get_absolute_url()}" in text
    assert "Peru" not in text and "Draft" not in text and before.title not in text
    unsubscribe_url = link(digest, "unsubscribe")
    assert digest["List-Unsubscribe"].strip() == f"<http://hub.test{unsubscribe_url}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Run again: nothing new, nothing sent.
    call_command("send_alerts", "--frequency", "daily")
    time.sleep(0.2)
    assert len(inbox.messages) == 2

    # Unsubscribing from the mail deletes the subscription; no more digests.
    assert b"Stop this alert?" in client.get(unsubscribe_url).content
    assert b"You are unsubscribed" in client.post(unsubscribe_url).content
    assert not Subscription.objects.exists()
    ResourceFactory(
        title="Later Ghana mercury", countries=[topics["gh"]], themes=[topics["mercury"]]
    )
    services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(days=1))
    time.sleep(0.2)
    assert len(inbox.messages) == 2


def confirmed(query="", frequency="daily", at=None):
    subscription = Subscription.objects.create(
        email="r@example.org", query=query, frequency=frequency
    )
    return services.subscription_confirm(subscription=subscription, now=at)


def test_each_resource_is_mailed_once_across_runs(inbox, topics):
    start = timezone.now() - dt.timedelta(days=3)
    subscription = confirmed("country=gh", at=start)
    first = ResourceFactory(title="First", countries=[topics["gh"]])
    assert services.alerts_send(frequency="daily") == 1
    second = ResourceFactory(title="Second", countries=[topics["gh"]])
    # Same day again: a re-run of the cron job sends nothing, not even the new one...
    assert services.alerts_send(frequency="daily") == 0
    # ...which comes in the next day's digest, alone.
    assert services.alerts_send(frequency="daily", now=timezone.now() + dt.timedelta(days=1)) == 1
    messages = inbox.wait_for(2)
    assert first.title in body(messages[0][1]) and second.title not in body(messages[0][1])
    assert second.title in body(messages[1][1]) and first.title not in body(messages[1][1])
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_no_mail_when_nothing_is_new(inbox, topics):
    confirmed("country=gh")
    ResourceFactory(title="Elsewhere", countries=[CountryFactory(code="PE")])
    assert services.alerts_send(frequency="daily") == 0
    time.sleep(0.2)
    assert inbox.messages == []


def test_unconfirmed_subscriptions_get_no_digest_and_expire(inbox, topics, settings):
    Subscription.objects.create(email="r@example.org", query="")
    ResourceFactory()
    assert services.alerts_send(frequency="weekly") == 0
    later = timezone.now() + dt.timedelta(days=settings.ASMHUB_ALERT_CONFIRM_DAYS + 1)
    services.alerts_send(frequency="weekly", now=later)
    assert not Subscription.objects.exists()


def test_a_failed_send_is_retried_not_lost(inbox, topics, settings):
    subscription = confirmed("")
    ResourceFactory(title="Waiting")
    working_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nobody listens
    with pytest.raises(OSError):
        services.alerts_send(frequency="daily")
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None
    settings.EMAIL_PORT = working_port
    assert services.alerts_send(frequency="daily") == 1
    assert "Waiting" in body(inbox.wait_for(1)[0][1])


def test_bad_address_is_refused_without_mail(client, inbox):
    response = client.post(
        reverse("alerts:subscribe"), {"email": "not-an-address", "frequency": "daily"}
    )
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content
    assert not Subscription.objects.exists()


def test_subscribing_twice_keeps_one_subscription(client, inbox):
    subscribe(client, inbox, "?q=gold")
    subscribe(client, inbox, "?q=gold", address=" Reader@Example.org ", frequency="weekly")
    subscription = Subscription.objects.get()
    assert subscription.frequency == "weekly"


def test_bad_and_expired_tokens(client, inbox, settings):
    subscription = Subscription.objects.create(email="r@example.org", query="")
    token = services.confirm_token(subscription)
    settings.ASMHUB_ALERT_CONFIRM_DAYS = -1
    assert client.get(reverse("alerts:confirm", args=[token])).status_code == 404
    assert client.get(reverse("alerts:confirm", args=["forged:token"])).status_code == 404
    assert client.get(reverse("alerts:unsubscribe", args=["forged:token"])).status_code == 404


def test_one_click_unsubscribe_from_a_mail_client(inbox):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no CSRF token."""
    subscription = confirmed("")
    url = reverse("alerts:unsubscribe", args=[services.unsubscribe_token(subscription)])
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_library_page_links_to_an_alert_on_its_search(client, topics):
    page = client.get(reverse("resources:list"), {"country": "GH", "sort": "title"})
    assert f'href="{reverse("alerts:subscribe")}?country=gh"'.encode() in page.content


def test_curators_see_alerts_in_the_admin_but_cannot_add_them(admin_client):
    confirmed("q=gold")
    listing = admin_client.get(reverse("admin:resources_subscription_changelist"))
    assert listing.status_code == 200 and b"r@example.org" in listing.content
    assert admin_client.get(reverse("admin:resources_subscription_add")).status_code == 403
