"""Root URLs: the public contract of DESIGN.md.

Uploaded files are never served from /media/: only the counted download view hands
them out, and only for published resources.
"""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", include("resources.urls")),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso2>/", views.country_detail, name="country-detail"),
    path("search/", views.site_search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
