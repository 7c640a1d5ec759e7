"""Curators manage the programme in the admin: inlines and autocomplete work."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    DialogueDocumentFactory,
    LearningGroupFactory,
    MeetingFactory,
    MembershipFactory,
    OutlookIndicatorFactory,
    ResourceFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    client.force_login(user)
    return client


def test_change_pages_show_their_inlines(curator):
    group = LearningGroupFactory(country=CountryFactory(code="GH"))
    MembershipFactory(group=group)
    MeetingFactory(group=group)
    indicator = OutlookIndicatorFactory(report__country=group.country)
    document = DialogueDocumentFactory()
    StageFactory(dialogue=document.dialogue)
    pages = {
        reverse("admin:learning_groups_learninggroup_change", args=[group.pk]): (
            "memberships-TOTAL_FORMS",
            "meetings-TOTAL_FORMS",
        ),
        reverse("admin:learning_groups_outlookreport_change", args=[indicator.report.pk]): (
            "indicators-TOTAL_FORMS",
        ),
        reverse("admin:dialogues_dialogue_change", args=[document.dialogue.pk]): (
            "stages-TOTAL_FORMS",
            "participation-TOTAL_FORMS",
            "documents-TOTAL_FORMS",
        ),
    }
    for url, inlines in pages.items():
        html = curator.get(url).content.decode()
        for name in inlines:
            assert name in html, (url, name)
        assert "admin-autocomplete" in html
    for name in (
        "dialogues_dialogue",
        "learning_groups_learninggroup",
        "learning_groups_outlookreport",
    ):
        assert curator.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert curator.get(reverse(f"admin:{name}_add")).status_code == 200


def test_resources_autocomplete_for_dialogue_documents(curator):
    ResourceFactory(title="Evidence to inform an action dialogue")
    response = curator.get(
        reverse("admin:autocomplete"),
        {
            "term": "evidence",
            "app_label": "dialogues",
            "model_name": "dialoguedocument",
            "field_name": "resource",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Evidence to inform an action dialogue"
    ]
