"""The review workflow: every transition against every role, what each move records, and
withdrawn resources answering 410 Gone with their citation."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from resources.curation import services
from resources.models import Resource, StatusChange
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory, ResourceFactory
from tests.usage.events import downloads_recorded

pytestmark = pytest.mark.django_db

Status = Resource.Status

MOVES = {
    "submit": lambda r, u: services.resource_submit(resource=r, user=u),
    "publish": lambda r, u: services.resource_publish(resource=r, user=u),
    "send_back": lambda r, u: services.resource_send_back(
        resource=r, user=u, comment="Add a summary"
    ),
    "pull_back": lambda r, u: services.resource_pull_back(resource=r, user=u),
    "withdraw": lambda r, u: services.resource_withdraw(resource=r, user=u, note="Superseded"),
}
# (from status, move): the status it leads to and who may make it.
ALLOWED = {
    (Status.DRAFT, "submit"): (Status.IN_REVIEW, {"owner", "curator"}),
    (Status.IN_REVIEW, "publish"): (Status.PUBLISHED, {"curator"}),
    (Status.IN_REVIEW, "send_back"): (Status.DRAFT, {"curator"}),
    (Status.IN_REVIEW, "pull_back"): (Status.DRAFT, {"owner"}),
    (Status.PUBLISHED, "withdraw"): (Status.WITHDRAWN, {"curator"}),
    (Status.WITHDRAWN, "publish"): (Status.PUBLISHED, {"curator"}),
}


@pytest.fixture
def people():
    owner_org = OrganisationFactory()
    return {
        "org": owner_org,
        "owner": PartnerFactory(organisation=owner_org),
        "other": PartnerFactory(),
        "curator": CuratorFactory(),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("who", ["anonymous", "other", "owner", "curator"])
@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("start", list(Status))
def test_transition_matrix(people, who, move, start):
    resource = ResourceFactory(status=start, owner=people["org"], complete=True)
    user = people[who]
    target, allowed = ALLOWED.get((start, move), (None, set()))
    if who in allowed:
        MOVES[move](resource, user)
        resource.refresh_from_db()
        assert resource.status == target
        change = StatusChange.objects.get(resource=resource)
        assert (change.from_status, change.to_status, change.changed_by) == (start, target, user)
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            MOVES[move](resource, user)
        resource.refresh_from_db()
        assert resource.status == start
        assert not StatusChange.objects.filter(resource=resource).exists()


@pytest.mark.parametrize("who", ["owner", "curator"])
@pytest.mark.parametrize("start", list(Status))
def test_change_form_offers_the_allowed_moves_as_buttons(client, people, who, start):
    resource = ResourceFactory(status=start, owner=people["org"])
    client.force_login(people[who])
    response = client.get(reverse("admin:resources_resource_change", args=[resource.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    buttons = re.findall(r'<button type="submit" name="move" value="(\w+)">', page)
    # Submitting is "Save and submit" among the form's own buttons, not a separate form.
    assert buttons == [
        move
        for move in MOVES
        if move not in ("submit", "publish") and who in ALLOWED.get((start, move), ((), ()))[1]
    ]
    # Publishing is a link to a page that shows what goes public first.
    publish_url = reverse("admin:resources_resource_publish", args=[resource.pk])
    assert (publish_url in page) == (who in ALLOWED.get((start, "publish"), ((), ()))[1])
    save_and_submit = 'name="_submit"' in page
    assert save_and_submit == (who in ALLOWED.get((start, "submit"), ((), ()))[1])
    comments = re.findall(r'<textarea id="comment-(\w+)" name="comment" [^>]*?( required)?>', page)
    assert comments == [
        (move, " required" if move == "send_back" else "")
        for move in ("send_back", "withdraw")
        if move in buttons
    ]


def test_full_cycle_records_who_and_when_and_sets_published_at_once(people):
    resource = ResourceFactory(status=Status.DRAFT, owner=people["org"], complete=True)
    assert resource.published_at is None
    services.resource_submit(resource=resource, user=people["owner"])
    services.resource_send_back(resource=resource, user=people["curator"], comment="Add the year")
    services.resource_submit(resource=resource, user=people["owner"])
    services.resource_publish(resource=resource, user=people["curator"])
    first_published = Resource.objects.get(pk=resource.pk).published_at
    assert first_published is not None
    services.resource_withdraw(resource=resource, user=people["curator"], note="Superseded")
    services.resource_publish(resource=resource, user=people["curator"])
    resource.refresh_from_db()
    assert resource.published_at == first_published
    assert resource.updated_by == people["curator"]
    steps = list(
        StatusChange.objects.filter(resource=resource)
        .order_by("changed_at", "pk")
        .values_list("to_status", "changed_by__username", "comment")
    )
    owner, curator = people["owner"].username, people["curator"].username
    assert steps == [
        ("in_review", owner, ""),
        ("draft", curator, "Add the year"),
        ("in_review", owner, ""),
        ("published", curator, ""),
        ("withdrawn", curator, "Superseded"),
        ("published", curator, ""),
    ]


def test_send_back_needs_a_comment(people):
    resource = ResourceFactory(status=Status.IN_REVIEW, owner=people["org"])
    with pytest.raises(ValidationError):
        services.resource_send_back(resource=resource, user=people["curator"], comment="  ")
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW


def test_publishing_needs_a_file_or_url(people):
    resource = ResourceFactory(status=Status.IN_REVIEW, owner=people["org"], external_url="")
    with pytest.raises(ValidationError):
        services.resource_publish(resource=resource, user=people["curator"])
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW


def test_only_curators_feature_and_only_published(people):
    resource = ResourceFactory(owner=people["org"])
    with pytest.raises(PermissionDenied):
        services.resource_feature(resource=resource, user=people["owner"])
    services.resource_feature(resource=resource, user=people["curator"])
    assert list(Resource.objects.featured()) == [resource]
    draft = ResourceFactory(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        services.resource_feature(resource=draft, user=people["curator"])
    services.resource_withdraw(resource=resource, user=people["curator"])
    assert not Resource.objects.featured().exists()


def test_a_published_resource_is_never_deleted(people):
    resource = ResourceFactory(owner=people["org"])
    services.resource_withdraw(resource=resource, user=people["curator"])
    with pytest.raises(PermissionDenied):
        services.resource_delete(resource=resource, user=people["curator"])
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_withdrawn_resource_answers_410_with_its_citation(client, people):
    resource = ResourceFactory(
        title="Mercury-free processing in Ghana",
        year=2017,
        publisher="IIED",
        doi="10.1234/abc",
        authors=["Hilson, G.", "UNEP"],
        with_file=True,
    )
    services.resource_withdraw(resource=resource, user=people["curator"], note="Replaced by v2")
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 410
    text = response.content.decode()
    assert "Mercury-free processing in Ghana" in text
    assert "Hilson, G.; UNEP" in text
    assert "(2017)" in text and "doi:10.1234/abc" in text
    assert "Replaced by v2" in text
    download = client.get(resource.get_download_url())
    assert download.status_code == 410
    assert downloads_recorded(resource) == 0


def test_drafts_and_reviews_stay_404_not_410(client):
    for status in (Status.DRAFT, Status.IN_REVIEW):
        resource = ResourceFactory(status=status, with_file=True)
        assert client.get(resource.get_absolute_url()).status_code == 404
        assert client.get(resource.get_download_url()).status_code == 404


def test_withdrawn_page_query_count(client, django_assert_max_num_queries, people):
    resource = ResourceFactory(authors=["Hilson, G."])
    services.resource_withdraw(resource=resource, user=people["curator"])
    # 1 published lookup (misses) + 1 withdrawn lookup + 1 authors prefetch = 3.
    with django_assert_max_num_queries(3):
        assert client.get(resource.get_absolute_url()).status_code == 410


def test_review_queue_shows_what_changed_since_publication(client, people):
    fresh = ResourceFactory(
        title="Never published", status=Status.DRAFT, owner=people["org"], complete=True
    )
    services.resource_submit(resource=fresh, user=people["owner"])
    edited = ResourceFactory(title="Edited after publication", owner=people["org"], complete=True)
    services.resource_withdraw(resource=edited, user=people["curator"])
    # A curator sends it back to draft by way of review, the partner edits and resubmits.
    Resource.objects.filter(pk=edited.pk).update(status=Status.DRAFT)
    edited.refresh_from_db()
    edited.summary = "A better summary."
    edited.year = 2021
    edited.save()
    services.resource_submit(resource=edited, user=people["owner"])
    client.force_login(people["curator"])
    response = client.get(reverse("admin:resources_reviewqueueitem_changelist"))
    text = response.content.decode()
    assert "Never published" in text and "New: never published" in text
    assert "summary, year" in text


def test_edits_are_checked_against_the_stored_row(people):
    """The service refuses what the admin hides: another organisation's resource, a
    published one, a forged owner or status."""
    other_org_draft = ResourceFactory(status=Status.DRAFT, owner=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.resource_save(resource=other_org_draft, user=people["owner"], created=False)
    published = ResourceFactory(owner=people["org"])
    published.title = "Changed without review"
    with pytest.raises(PermissionDenied):
        services.resource_save(resource=published, user=people["owner"], created=False)
    draft = ResourceFactory(status=Status.DRAFT, owner=people["org"])
    draft.status = Status.PUBLISHED
    draft.owner = OrganisationFactory()
    services.resource_save(resource=draft, user=people["owner"], created=False)
    draft.refresh_from_db()
    assert (draft.status, draft.owner) == (Status.DRAFT, people["org"])
    new = Resource(title="New", slug="new", resource_type="report", status=Status.PUBLISHED)
    services.resource_save(resource=new, user=people["curator"], created=True)
    assert (new.status, new.created_by, new.published_at) == (
        Status.DRAFT,
        people["curator"],
        None,
    )
    with pytest.raises(PermissionDenied):
        services.resource_save(
            resource=Resource(title="X", slug="x", resource_type="report"),
            user=people["anonymous"],
            created=True,
        )
