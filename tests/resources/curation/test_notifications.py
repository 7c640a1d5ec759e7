"""Workflow mails through the outbox: curators' digest of submissions at most hourly,
the submitter told of publication or send-back with the comment and a link, each in the
recipient's language, each kind turned off by its recipient."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from resources.curation import notifications, services
from resources.models import Resource
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory, ResourceFactory

pytestmark = pytest.mark.django_db

Status = Resource.Status


@pytest.fixture
def people():
    organisation = OrganisationFactory(name="Alpha Institute")
    partner = PartnerFactory(username="pia", email="pia@example.org", organisation=organisation)
    carla = CuratorFactory(username="carla", email="carla@example.org")
    claude = CuratorFactory(username="claude", email="claude@example.org")
    notifications.setting_for(claude).__class__.objects.filter(user=claude).update(language="fr")
    return {"partner": partner, "carla": carla, "claude": claude, "org": organisation}


def submit(people, title):
    resource = ResourceFactory(title=title, status=Status.DRAFT, owner=people["org"], complete=True)
    services.resource_submit(resource=resource, user=people["partner"])
    return resource


def test_curators_get_one_digest_an_hour_in_their_language(people, mailoutbox):
    submit(people, "Mercury retorts in Geita")
    submit(people, "Cooperatives in Bolivia")
    assert mailoutbox == []  # nothing is mailed on submission itself
    call_command("send_desk_mail")
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_recipient) == {"carla@example.org", "claude@example.org"}
    assert by_recipient["carla@example.org"].subject == "Submitted for review: 2"
    assert "Mercury retorts in Geita" in by_recipient["carla@example.org"].body
    assert by_recipient["claude@example.org"].subject == "Soumises pour examen : 2"
    assert "/admin/resources/reviewqueueitem/" in by_recipient["claude@example.org"].body
    # Another submission within the hour waits for the next digest.
    submit(people, "Women traders in Ghana")
    call_command("send_desk_mail")
    assert len(mailoutbox) == 2
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert notifications.send_submission_digests(now=later) == 2
    assert "Women traders in Ghana" in mailoutbox[-1].body
    assert "Mercury retorts" not in mailoutbox[-1].body


def test_a_curator_who_turned_digests_off_gets_none(people, mailoutbox):
    setting = notifications.setting_for(people["carla"])
    setting.on_submission = False
    setting.save()
    submit(people, "Mercury retorts in Geita")
    call_command("send_desk_mail")
    assert [mail.to for mail in mailoutbox] == [["claude@example.org"]]


def test_the_submitter_hears_of_a_send_back_with_the_comment_in_their_language(people, mailoutbox):
    setting = notifications.setting_for(people["partner"])
    setting.language = "es"
    setting.save()
    resource = submit(people, "Mercury retorts in Geita")
    services.resource_send_back(
        resource=resource, user=people["carla"], comment="Add the 2019 data, please."
    )
    [mail] = mailoutbox
    assert mail.to == ["pia@example.org"]
    assert mail.subject == "Devuelto a usted: Mercury retorts in Geita"
    assert "Add the 2019 data, please." in mail.body
    assert reverse("admin:resources_resource_change", args=[resource.pk]) in mail.body


def test_the_submitter_hears_of_publication_unless_turned_off(people, mailoutbox):
    resource = submit(people, "Mercury retorts in Geita")
    services.resource_publish(resource=resource, user=people["carla"])
    [mail] = mailoutbox
    assert mail.to == ["pia@example.org"]
    assert mail.subject == "Published: Mercury retorts in Geita"
    assert resource.get_absolute_url() in mail.body
    setting = notifications.setting_for(people["partner"])
    setting.on_published = False
    setting.save()
    other = submit(people, "Cooperatives in Bolivia")
    services.resource_publish(resource=other, user=people["carla"])
    assert len(mailoutbox) == 1


def test_each_person_reaches_only_their_own_mail_settings(client, people):
    client.force_login(people["partner"])
    response = client.get(reverse("admin:resources_notificationsetting_changelist"))
    own = notifications.setting_for(people["partner"])
    assert response["Location"] == reverse(
        "admin:resources_notificationsetting_change", args=[own.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "id_on_sent_back" in page and "id_on_submission" not in page
    response = client.post(response["Location"], {"on_published": "on", "language": "sw"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.on_published, own.on_sent_back, own.language) == (True, False, "sw")
    theirs = notifications.setting_for(people["carla"])
    url = reverse("admin:resources_notificationsetting_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # not theirs: back to the index
    desk = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:resources_notificationsetting_changelist") in desk
