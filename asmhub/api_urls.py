"""URLs of the read-only JSON API under /api/ (namespace "api").

Extension point: learning_groups and dialogues add their endpoints to this list at merge
time (see /work/notes/issue-5.md), reusing resources.api.api_view.
"""

from django.urls import path

from resources import api as resources_api

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
]
