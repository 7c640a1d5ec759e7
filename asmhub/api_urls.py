"""URLs of the read-only JSON API under /api/ (namespace "api").

Each app keeps its views (resources.discovery.api, learning_groups.api, dialogues.api), all on
core.api.ApiView.
"""

from django.urls import path

from dialogues import api as dialogues_api
from learning_groups import api as learning_groups_api
from network import api as network_api
from resources.discovery import api as resources_api
from usage_reports import api as usage_api
from voices import api as voices_api

from . import api

app_name = "api"

urlpatterns = [
    path("", api.Index.as_view(), name="index"),
    path("openapi.json", api.OpenApi.as_view(), name="openapi"),
    path("docs/", api.Docs.as_view(), name="docs"),
    path("resources/", resources_api.ResourceList.as_view(), name="resources"),
    path("resources/<slug:slug>/", resources_api.ResourceDetail.as_view(), name="resource"),
    path("countries/", resources_api.CountryList.as_view(), name="countries"),
    path("countries/<str:iso2>/", resources_api.CountryDetail.as_view(), name="country"),
    path("organisations/", resources_api.OrganisationList.as_view(), name="organisations"),
    path(
        "organisations/<slug:slug>/",
        resources_api.OrganisationDetail.as_view(),
        name="organisation",
    ),
    path(
        "learning-groups/",
        learning_groups_api.LearningGroupList.as_view(),
        name="learning-groups",
    ),
    path(
        "learning-groups/<slug:slug>/",
        learning_groups_api.LearningGroupDetail.as_view(),
        name="learning-group",
    ),
    path("outlooks/", learning_groups_api.OutlookList.as_view(), name="outlooks"),
    path("dialogues/", dialogues_api.DialogueList.as_view(), name="dialogues"),
    path("dialogues/<slug:slug>/", dialogues_api.DialogueDetail.as_view(), name="dialogue"),
    path("voices/", voices_api.VoiceList.as_view(), name="voices"),
    path("voices/<int:pk>/", voices_api.VoiceDetail.as_view(), name="voice"),
    path("news/", network_api.NewsList.as_view(), name="news"),
    path("news/<slug:slug>/", network_api.NewsDetail.as_view(), name="news-item"),
    path("usage/resources/", usage_api.ResourceUsageList.as_view(), name="usage-resources"),
    path("usage/item-report/", usage_api.ItemReport.as_view(), name="usage-item-report"),
]
