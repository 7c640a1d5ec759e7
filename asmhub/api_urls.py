"""URLs of the read-only JSON API under /api/ (namespace "api").

Each app keeps its views (resources.discovery.api, learning_groups.api, dialogues.api), all on
core.api.api_view.
"""

from django.urls import path

from dialogues import api as dialogues_api
from learning_groups import api as learning_groups_api
from resources.discovery import api as resources_api

from . import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("resources/", resources_api.resource_list, name="resources"),
    path("resources/<slug:slug>/", resources_api.resource_detail, name="resource"),
    path("countries/", resources_api.country_list, name="countries"),
    path("countries/<str:iso2>/", resources_api.country_detail, name="country"),
    path("organisations/", resources_api.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", resources_api.organisation_detail, name="organisation"),
    path("learning-groups/", learning_groups_api.learning_group_list, name="learning-groups"),
    path(
        "learning-groups/<slug:slug>/",
        learning_groups_api.learning_group_detail,
        name="learning-group",
    ),
    path("outlooks/", learning_groups_api.outlook_list, name="outlooks"),
    path("dialogues/", dialogues_api.dialogue_list, name="dialogues"),
    path("dialogues/<slug:slug>/", dialogues_api.dialogue_detail, name="dialogue"),
]
