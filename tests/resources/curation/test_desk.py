"""Each role's desk in the admin: the hub's name and logo on every admin page; a
partner's start page is their organisation's resources by status with what to do next,
without vocabularies or other apps; a curator's leads with the review queue."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from resources.curation import services
from resources.models import Resource
from tests.factories import CuratorFactory, OrganisationFactory, PartnerFactory, ResourceFactory

pytestmark = pytest.mark.django_db

Status = Resource.Status


@pytest.fixture
def desk():
    org_a = OrganisationFactory(name="Alpha Institute")
    org_b = OrganisationFactory(name="Beta Network")
    partner = PartnerFactory(username="partner_a", organisation=org_a)
    curator = CuratorFactory(username="curator")
    sent = ResourceFactory(title="Alpha sent back", status=Status.IN_REVIEW, owner=org_a)
    services.resource_send_back(resource=sent, user=curator, comment="Add the year, please.")
    return {
        "partner": partner,
        "curator": curator,
        "draft": ResourceFactory(title="Alpha draft", status=Status.DRAFT, owner=org_a),
        "review": ResourceFactory(title="Alpha in review", status=Status.IN_REVIEW, owner=org_a),
        "published": ResourceFactory(title="Alpha published", owner=org_a),
        "withdrawn": ResourceFactory(title="Alpha withdrawn", status=Status.WITHDRAWN, owner=org_a),
        "sent": sent,
        "other": ResourceFactory(title="Beta draft", status=Status.DRAFT, owner=org_b),
    }


def section(html, key):
    """The text of one desk group's section."""
    start = html.index(f'id="desk-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("who", ["partner", "curator"])
@pytest.mark.parametrize(
    "url",
    [
        "admin:index",
        "admin:resources_resource_changelist",
        "admin:resources_resource_add",
        "admin:password_change",
    ],
)
def test_every_admin_page_carries_the_hub_name_and_logo(client, desk, who, url):
    client.force_login(desk[who])
    html = client.get(reverse(url)).content.decode()
    assert f"{settings.ASMHUB_SITE_NAME}</a>" in html
    assert 'class="hub-brand"><img src="/static/img/favicon.' in html
    assert "Django administration" not in html
    assert "Django site admin" not in html


def test_the_login_page_carries_the_hub_name(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert f"{settings.ASMHUB_SITE_NAME}</a>" in html
    assert "Django administration" not in html


def test_the_partners_start_page_is_their_desk(client, desk, django_assert_max_num_queries):
    client.force_login(desk["partner"])
    # Session, user, partner profile, groups' permissions (two), the group counts, the
    # newest rows; then the admin's own: the app list is built from the registry only.
    with django_assert_max_num_queries(8):
        html = client.get(reverse("admin:index")).content.decode()
    assert "The resources of Alpha Institute" in html
    assert section(html, "sent_back").count("<li>") == 1
    assert "Alpha sent back" in section(html, "sent_back")
    assert "Add the year, please." in section(html, "sent_back")
    assert "Alpha draft" in section(html, "draft")
    assert "Alpha sent back" not in section(html, "draft")
    assert "Alpha in review" in section(html, "in_review")
    assert "take a submission back" in section(html, "in_review")
    assert "Alpha published" in section(html, "published")
    assert "Alpha withdrawn" in section(html, "withdrawn")
    assert "Drafts (1)" in html and "Sent back to you (1)" in html
    assert "Beta draft" not in html
    assert reverse("admin:resources_resource_add") in html
    # Their figures for their own funders (usage_reports), this year's.
    year = timezone.now().year
    report = reverse(
        "statistics:organisation", args=[desk["partner"].partner_profile.organisation.slug, year]
    )
    assert f'href="{report}"' in html
    assert client.get(report).status_code == 200


def test_a_partner_sees_no_vocabularies_other_apps_or_second_sidebar(client, desk):
    client.force_login(desk["partner"])
    index = client.get(reverse("admin:index")).content.decode()
    for hidden in ("Countries", "Themes", "Commodities", "Recent actions", "Learning groups"):
        assert hidden not in index
    changelist = client.get(reverse("admin:resources_resource_changelist")).content.decode()
    assert 'id="nav-sidebar"' not in changelist
    # The autocomplete of the resource form still reaches the vocabularies.
    answer = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "resources", "model_name": "resource", "field_name": "themes"},
    )
    assert answer.status_code == 200


def test_a_group_longer_than_the_desk_links_to_the_whole_list(client, desk):
    owner = desk["draft"].owner
    ResourceFactory.create_batch(11, status=Status.DRAFT, owner=owner)
    client.force_login(desk["partner"])
    html = client.get(reverse("admin:index")).content.decode()
    drafts = section(html, "draft")
    assert drafts.count("<li>") == 10
    assert "See all 12" in drafts
    assert "?status__exact=draft" in drafts


def test_the_curators_start_page_leads_with_the_review_queue(
    client, desk, django_assert_max_num_queries
):
    older = desk["review"]
    older.status_changes.create(
        from_status=Status.DRAFT,
        to_status=Status.IN_REVIEW,
        changed_at=timezone.now() - timezone.timedelta(days=3),
    )
    newer = ResourceFactory(
        title="Newer submission", status=Status.DRAFT, owner=older.owner, complete=True
    )
    services.resource_submit(resource=newer, user=desk["curator"])
    client.force_login(desk["curator"])
    # Session, user, partner profile (none), permissions (two), the queue's rows, two
    # history queries per waiting resource (two wait; at most ten are listed, then one
    # count), recent actions; the app list comes from the registry.
    with django_assert_max_num_queries(7 + 2 * 2):
        html = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for review: 2" in html
    queue = html[html.index('id="queue-heading"') : html.index("</section>")]
    assert queue.index("Newer submission") > queue.index("Alpha in review")
    assert "New: never published" in queue
    assert "Countries" in html  # curators keep every app


def test_the_review_queue_says_when_nothing_waits(client, desk):
    Resource.objects.filter(status=Status.IN_REVIEW).update(status=Status.DRAFT)
    client.force_login(desk["curator"])
    queue = client.get(reverse("admin:resources_reviewqueueitem_changelist")).content.decode()
    assert "Nothing waits for review." in queue
    assert "0 review queue" not in queue
    index = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for review: 0" in index and "Nothing waits for review." in index


def test_the_desk_speaks_the_partners_language(client, desk):
    client.force_login(desk["partner"])
    # Inside override: the request activates Spanish, which must not outlive the test.
    with translation.override("es"):
        url = reverse("admin:index")
        html = client.get(url).content.decode()
    assert url == "/es/admin/"
    assert "Borradores (1)" in html
