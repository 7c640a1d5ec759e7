"""Root URLs: the public contract of DESIGN.md.

Uploaded files are never served from /media/: only the counted download view hands
them out, and only for published resources.
"""

from django.contrib import admin
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", include("resources.urls")),
    path("countries/", views.country_list, name="country-list"),
    re_path(r"^countries/(?P<iso2>[A-Za-z]{2})/$", views.country_detail, name="country-detail"),
    path("", include("learning_groups.urls")),
    path("dialogues/", include("dialogues.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
