from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("organisations/<slug:slug>/logo", views.organisation_logo, name="organisation-logo"),
    path("news/", views.NewsListView.as_view(), name="news-list"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news-detail"),
    path("news/<slug:slug>/image", views.news_image, name="news-image"),
]
