"""The permission matrix of the admin: anonymous, partner A, partner B, curator, against
every admin page and action, with crafted POSTs that the buttons would never send."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from resources.curation.roles import CURATORS, PARTNERS, sync_roles
from resources.models import Organisation, PartnerProfile, Resource, Theme
from tests.factories import (
    CuratorFactory,
    DialogueFactory,
    LearningGroupFactory,
    OrganisationFactory,
    OutlookReportFactory,
    PartnerFactory,
    ResourceFactory,
    ThemeFactory,
    UserFactory,
    make_complete,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

Status = Resource.Status


@pytest.fixture
def world():
    org_a = OrganisationFactory(name="Alpha Institute")
    org_b = OrganisationFactory(name="Beta Network")
    return {
        "org_a": org_a,
        "org_b": org_b,
        "partner_a": PartnerFactory(username="partner_a", organisation=org_a),
        "partner_b": PartnerFactory(username="partner_b", organisation=org_b),
        "curator": CuratorFactory(username="curator"),
        "draft_a": ResourceFactory(title="Alpha draft", status=Status.DRAFT, owner=org_a),
        "review_a": ResourceFactory(title="Alpha in review", status=Status.IN_REVIEW, owner=org_a),
        "published_a": ResourceFactory(title="Alpha published", owner=org_a),
        "draft_b": ResourceFactory(title="Beta draft", status=Status.DRAFT, owner=org_b),
        "theme": ThemeFactory(slug="mercury", name="Mercury"),
    }


def login(client, world, who):
    if who != "anonymous":
        client.force_login(world[who])
    return client


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


# who: expected status of a GET; 302 for anonymous is the login redirect, and 302 for a
# partner of another organisation is the admin's "does not exist" redirect, not a leak.
GET_MATRIX = [
    (
        "resources_resource_changelist",
        None,
        {"anonymous": 302, "partner_a": 200, "partner_b": 200, "curator": 200},
    ),
    (
        "resources_resource_add",
        None,
        {"anonymous": 302, "partner_a": 200, "partner_b": 200, "curator": 200},
    ),
    (
        "resources_resource_change",
        "draft_a",
        {"anonymous": 302, "partner_a": 200, "partner_b": 302, "curator": 200},
    ),
    (
        "resources_resource_change",
        "published_a",
        {"anonymous": 302, "partner_a": 200, "partner_b": 302, "curator": 200},
    ),
    (
        "resources_resource_delete",
        "draft_a",
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_resource_delete",
        "published_a",
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 403},
    ),
    (
        "resources_resource_history",
        "draft_a",
        {"anonymous": 302, "partner_a": 200, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_resource_import",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_resource_export",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_reviewqueueitem_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_theme_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_commodity_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_country_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "taggit_tag_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "auth_user_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 403},
    ),
    (
        "auth_group_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 403},
    ),
    (
        "resources_partnerprofile_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_organisation_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "resources_organisation_change",
        "org_a",
        {"anonymous": 302, "partner_a": 200, "partner_b": 302, "curator": 200},
    ),
    (
        "resources_organisation_onboard",
        "org_a",
        {"anonymous": 302, "partner_a": 403, "partner_b": 404, "curator": 200},
    ),
    # The programme's content is the curators' alone.
    (
        "learning_groups_learninggroup_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "learning_groups_learninggroup_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "learning_groups_outlookreport_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "learning_groups_outlookreport_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "dialogues_dialogue_changelist",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
    (
        "dialogues_dialogue_add",
        None,
        {"anonymous": 302, "partner_a": 403, "partner_b": 403, "curator": 200},
    ),
]


@pytest.mark.parametrize(("name", "obj", "expected"), GET_MATRIX)
def test_admin_page_matrix(client, world, name, obj, expected):
    args = [world[obj].pk] if obj else []
    answers = {}
    for who in expected:
        client.logout()
        answers[who] = login(client, world, who).get(admin_url(name, *args)).status_code
    assert answers == expected


def titles_in(response):
    return {r.title for r in response.context["cl"].result_list}


def test_partners_list_only_their_organisations_resources(client, world):
    url = admin_url("resources_resource_changelist")
    assert titles_in(login(client, world, "partner_a").get(url)) == {
        "Alpha draft",
        "Alpha in review",
        "Alpha published",
    }
    client.logout()
    assert titles_in(login(client, world, "partner_b").get(url)) == {"Beta draft"}
    client.logout()
    assert len(titles_in(login(client, world, "curator").get(url))) == 4


def test_partner_edits_own_draft_but_only_views_what_is_under_review_or_published(client, world):
    login(client, world, "partner_a")
    draft = client.get(admin_url("resources_resource_change", world["draft_a"].pk))
    published = client.get(admin_url("resources_resource_change", world["published_a"].pk))
    assert b'name="_save"' in draft.content
    assert b'name="_save"' not in published.content


def test_partner_sees_only_submit_action(client, world):
    response = login(client, world, "partner_a").get(admin_url("resources_resource_changelist"))
    actions = {choice[0] for choice in response.context["action_form"].fields["action"].choices}
    assert actions == {"", "submit_selected"}


def test_curator_has_no_bulk_delete(client, world):
    response = login(client, world, "curator").get(admin_url("resources_resource_changelist"))
    actions = {choice[0] for choice in response.context["action_form"].fields["action"].choices}
    assert "delete_selected" not in actions
    assert {"publish_selected", "withdraw_selected", "feature_selected"} <= actions


# Crafted POSTs.


def test_partner_b_cannot_post_changes_to_partner_a_draft(client, world):
    login(client, world, "partner_a")
    data = form_data(
        client.get(admin_url("resources_resource_change", world["draft_a"].pk)), "resource_form"
    )
    client.logout()
    login(client, world, "partner_b")
    data["title"] = "Hijacked"
    response = client.post(admin_url("resources_resource_change", world["draft_a"].pk), data)
    # Outside partner B's queryset the draft does not exist for the admin: back to its index.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    world["draft_a"].refresh_from_db()
    assert world["draft_a"].title == "Alpha draft"


def test_partner_cannot_post_changes_to_own_published_resource(client, world):
    login(client, world, "curator")
    data = form_data(
        client.get(admin_url("resources_resource_change", world["published_a"].pk)),
        "resource_form",
    )
    client.logout()
    login(client, world, "partner_a")
    data["title"] = "Quietly changed after publication"
    response = client.post(admin_url("resources_resource_change", world["published_a"].pk), data)
    assert response.status_code == 403
    world["published_a"].refresh_from_db()
    assert world["published_a"].title == "Alpha published"


def test_partner_add_forces_own_organisation_and_draft(client, world):
    login(client, world, "partner_a")
    data = form_data(client.get(admin_url("resources_resource_add")), "resource_form")
    data.update(
        title="New from Alpha",
        slug="new-from-alpha",
        resource_type="report",
        language="en",
        year="2024",
        external_url="https://example.org/new",
        owner=str(world["org_b"].pk),
        status="published",
        is_featured="on",
    )
    response = client.post(admin_url("resources_resource_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Resource.objects.get(slug="new-from-alpha")
    assert created.owner == world["org_a"]
    assert created.status == Status.DRAFT
    assert created.is_featured is False
    assert created.created_by == world["partner_a"]


@pytest.mark.parametrize("action", ["publish", "withdraw", "send_back"])
def test_partner_cannot_post_curator_moves(client, world, action):
    login(client, world, "partner_a")
    target = world["published_a"] if action == "withdraw" else world["review_a"]
    before = target.status
    client.post(
        admin_url("resources_resource_workflow", target.pk), {"action": action, "comment": "x"}
    )
    target.refresh_from_db()
    assert target.status == before


def test_partner_cannot_submit_another_organisations_draft(client, world):
    login(client, world, "partner_a")
    response = client.post(
        admin_url("resources_resource_workflow", world["draft_b"].pk), {"action": "submit"}
    )
    assert response.status_code == 404
    world["draft_b"].refresh_from_db()
    assert world["draft_b"].status == Status.DRAFT


def test_partner_submits_own_draft_through_the_button(client, world):
    make_complete(world["draft_a"])
    login(client, world, "partner_a")
    url = admin_url("resources_resource_change", world["draft_a"].pk)
    data = form_data(client.get(url), "resource_form")
    response = client.post(url, {**data, "_submit": "Save and submit"})
    assert response.status_code == 302
    world["draft_a"].refresh_from_db()
    assert world["draft_a"].status == Status.IN_REVIEW


def test_partner_cannot_publish_through_a_crafted_bulk_action(client, world):
    login(client, world, "partner_a")
    client.post(
        admin_url("resources_resource_changelist"),
        {"action": "publish_selected", "_selected_action": [world["review_a"].pk]},
    )
    world["review_a"].refresh_from_db()
    assert world["review_a"].status == Status.IN_REVIEW


def test_bulk_submit_by_partner_ignores_other_organisations_rows(client, world):
    make_complete(world["draft_a"])
    make_complete(world["draft_b"])
    login(client, world, "partner_a")
    client.post(
        admin_url("resources_resource_changelist"),
        {
            "action": "submit_selected",
            "_selected_action": [world["draft_a"].pk, world["draft_b"].pk],
        },
    )
    world["draft_a"].refresh_from_db()
    world["draft_b"].refresh_from_db()
    assert world["draft_a"].status == Status.IN_REVIEW
    assert world["draft_b"].status == Status.DRAFT


def test_partner_cannot_delete_even_own_draft(client, world):
    login(client, world, "partner_a")
    response = client.post(
        admin_url("resources_resource_delete", world["draft_a"].pk), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Resource.objects.filter(pk=world["draft_a"].pk).exists()


def test_curator_cannot_delete_a_published_resource(client, world):
    login(client, world, "curator")
    response = client.post(
        admin_url("resources_resource_delete", world["published_a"].pk), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Resource.objects.filter(pk=world["published_a"].pk).exists()


def test_curator_deletes_a_never_published_draft(client, world):
    login(client, world, "curator")
    response = client.post(
        admin_url("resources_resource_delete", world["draft_b"].pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Resource.objects.filter(pk=world["draft_b"].pk).exists()


def test_partner_cannot_change_vocabulary_by_post(client, world):
    login(client, world, "partner_a")
    response = client.post(
        admin_url("resources_theme_change", world["theme"].pk),
        {"name": "Renamed", "slug": "mercury"},
    )
    assert response.status_code == 403
    assert Theme.objects.get(pk=world["theme"].pk).name == "Mercury"


def test_partner_b_cannot_edit_organisation_a(client, world):
    login(client, world, "partner_b")
    response = client.post(
        admin_url("resources_organisation_change", world["org_a"].pk),
        {"name": "Taken over", "slug": world["org_a"].slug},
    )
    # Outside partner B's queryset the organisation does not exist for the admin.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert Organisation.objects.get(pk=world["org_a"].pk).name == "Alpha Institute"


def test_partner_cannot_merge_tags(client, world):
    world["published_a"].tags.set(["women", "Women in mining"])
    login(client, world, "partner_a")
    from taggit.models import Tag

    ids = list(Tag.objects.values_list("pk", flat=True))
    response = client.post(
        admin_url("taggit_tag_changelist"),
        {"action": "merge_tags", "_selected_action": ids, "apply": "1", "into": ids[0]},
    )
    assert response.status_code == 403
    assert Tag.objects.count() == 2


def test_curator_merges_tags(client, world):
    from taggit.models import Tag

    world["published_a"].tags.set(["women", "Women in mining"])
    world["draft_a"].tags.set(["Women in mining"])
    into = Tag.objects.get(name="women")
    login(client, world, "curator")
    client.post(
        admin_url("taggit_tag_changelist"),
        {
            "action": "merge_tags",
            "_selected_action": list(Tag.objects.values_list("pk", flat=True)),
            "apply": "1",
            "into": into.pk,
        },
    )
    assert list(Tag.objects.values_list("name", flat=True)) == ["women"]
    assert list(world["draft_a"].tags.names()) == ["women"]
    assert list(world["published_a"].tags.names()) == ["women"]


# Onboarding and the groups.


def test_curator_onboards_a_partner_in_one_step(client, world):
    login(client, world, "curator")
    response = client.post(
        admin_url("resources_organisation_onboard", world["org_b"].pk),
        {"username": "newpartner", "email": "new@example.org"},
    )
    assert response.status_code == 200
    password = response.context["password"]
    profile = PartnerProfile.objects.select_related("user").get(user__username="newpartner")
    assert profile.organisation == world["org_b"]
    assert profile.user.is_staff and not profile.user.is_superuser
    assert profile.user.check_password(password)
    assert profile.user.has_perm("resources.submit_resource")
    assert not profile.user.has_perm("resources.publish_resource")


def test_add_partner_command(world, capsys):
    call_command("add_partner", "cmdpartner", "cmd@example.org", world["org_a"].slug)
    assert "One-time password" in capsys.readouterr().out
    assert PartnerProfile.objects.get(user__username="cmdpartner").organisation == world["org_a"]


def test_fresh_install_has_the_groups_and_sync_is_idempotent():
    curators = Group.objects.get(name=CURATORS)
    partners = Group.objects.get(name=PARTNERS)
    assert curators.permissions.filter(codename="publish_resource").exists()
    assert curators.permissions.filter(codename="change_tag").exists()
    assert not partners.permissions.filter(codename="publish_resource").exists()
    assert not partners.permissions.filter(codename="delete_resource").exists()
    before = set(curators.permissions.values_list("pk", flat=True))
    assert sync_roles() == {PARTNERS: (0, 0), CURATORS: (0, 0)}
    assert set(curators.permissions.values_list("pk", flat=True)) == before


def test_sync_roles_restores_a_removed_permission(capsys):
    curators = Group.objects.get(name=CURATORS)
    curators.permissions.remove(Permission.objects.get(codename="publish_resource"))
    call_command("sync_roles")
    assert "Curators: 1 permissions granted" in capsys.readouterr().out
    assert curators.permissions.filter(codename="publish_resource").exists()


def test_staff_user_without_organisation_sees_no_resources(client, world):
    loner = UserFactory(username="loner")
    loner.groups.add(Group.objects.get(name=PARTNERS))
    client.force_login(loner)
    response = client.get(admin_url("resources_resource_changelist"))
    assert titles_in(response) == set()


def test_admin_resource_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    for n in range(30):
        ResourceFactory(title=f"Alpha {n}", owner=world["org_a"])
    client.force_login(world["partner_a"])
    url = admin_url("resources_resource_changelist")
    # 12 whatever the number of rows: session, user, partner profile, user and group
    # permissions, 2 counts, the page (owner joined, latest comment as a subquery), the
    # filter choices (themes, years) and the date hierarchy.
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 33


ROWS = ("draft_a", "review_a", "published_a", "draft_b")


def statuses(world):
    """(status, featured) of each resource of the world, read from the database."""
    rows = Resource.objects.in_bulk([world[key].pk for key in ROWS])
    return {key: (rows[world[key].pk].status, rows[world[key].pk].is_featured) for key in ROWS}


# action: what changes when a curator runs it on every resource at once.
ACTION_EFFECTS = {
    "submit_selected": {"draft_a": (Status.IN_REVIEW, False), "draft_b": (Status.IN_REVIEW, False)},
    "publish_selected": {"review_a": (Status.PUBLISHED, False)},
    "withdraw_selected": {"published_a": (Status.WITHDRAWN, False)},
    "feature_selected": {"published_a": (Status.PUBLISHED, True)},
    "unfeature_selected": {},
    "export_selected": {},
}


@pytest.mark.parametrize("who", ["anonymous", "partner_a", "partner_b", "curator"])
@pytest.mark.parametrize("action", list(ACTION_EFFECTS))
def test_bulk_action_matrix(client, world, who, action):
    make_complete(world["draft_a"])
    make_complete(world["draft_b"])
    before = statuses(world)
    response = login(client, world, who).post(
        admin_url("resources_resource_changelist"),
        {
            "action": action,
            "_selected_action": [world[key].pk for key in ROWS],
            "index": "0",
            # As the confirmation page of a move that asks first (publish) sends it.
            "post": "yes",
        },
    )
    expected = dict(before)
    if who == "curator":
        expected.update(ACTION_EFFECTS[action])
    elif who in ("partner_a", "partner_b") and action == "submit_selected":
        own = "draft_a" if who == "partner_a" else "draft_b"
        expected[own] = (Status.IN_REVIEW, False)
    assert statuses(world) == expected
    if action == "export_selected":
        exported = response.get("Content-Type", "").startswith("text/csv")
        assert exported == (who == "curator")
        if exported:
            assert response.content.decode().count("\n") == 5


# History reverts: one object of each model with a history page, changed once after it
# was made; (object, field, value of the first version, value now). Partner A's
# organisation owns, organises or convenes each one that can belong to an organisation.
def _changed(obj, field, new):
    old = getattr(obj, field)
    setattr(obj, field, new)
    obj.save()
    return obj, field, old, new


HISTORY_OBJECTS = {
    "resources_resource": lambda w: _changed(w["draft_a"], "title", "Alpha draft, vandalised"),
    "resources_organisation": lambda w: _changed(w["org_a"], "name", "Alpha, renamed"),
    "resources_partnerprofile": lambda w: _changed(
        PartnerFactory(username="colleague_a", organisation=w["org_a"]).partner_profile,
        "organisation_id",
        w["org_b"].pk,
    ),
    "learning_groups_learninggroup": lambda w: _changed(
        LearningGroupFactory(name="Alpha group", convenors=[w["org_a"]]), "name", "Renamed group"
    ),
    "learning_groups_outlookreport": lambda w: _changed(
        OutlookReportFactory(title="First outlook"), "title", "Renamed outlook"
    ),
    "dialogues_dialogue": lambda w: _changed(
        _organised_by(DialogueFactory(title="Alpha dialogue"), w["org_a"]),
        "title",
        "Renamed dialogue",
    ),
}


def _organised_by(dialogue, organisation):
    dialogue.organisers.set([organisation])
    return dialogue


@pytest.mark.parametrize("who", ["anonymous", "partner_a", "partner_b", "curator"])
@pytest.mark.parametrize("model", list(HISTORY_OBJECTS))
def test_history_revert_matrix(client, world, who, model):
    """Only curators revert history, whatever the page shows: a crafted POST of the
    revert form by a partner, even of their own organisation's object, changes nothing."""
    obj, field, old, new = HISTORY_OBJECTS[model](world)
    versions = obj.history.count()
    first = obj.history.earliest("history_date")
    url = admin_url(f"{model}_simple_history", obj.pk, first.history_id)
    curator = Client()
    curator.force_login(world["curator"])
    data = form_data(curator.get(url), f"historical{obj._meta.model_name}_form")

    response = login(client, world, who).post(url, data)

    obj.refresh_from_db()
    if who == "curator":
        assert response.status_code == 302
        assert getattr(obj, field) == old
        assert obj.history.count() == versions + 1
        return
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403
    assert getattr(obj, field) == new
    assert obj.history.count() == versions
