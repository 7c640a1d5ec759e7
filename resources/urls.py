from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.ResourceListView.as_view(), name="list"),
    path("cite.bib", views.cite_list, {"fmt": "bib"}, name="list-bib"),
    path("cite.ris", views.cite_list, {"fmt": "ris"}, name="list-ris"),
    path("offline-pack.zip", views.pack, name="pack"),
    path("<slug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
    path("<slug:slug>/preview/", views.ResourcePreviewView.as_view(), name="preview"),
    path("<slug:slug>/download/", views.download, name="download"),
    path("<slug:slug>/cite.bib", views.cite, {"fmt": "bib"}, name="cite-bib"),
    path("<slug:slug>/cite.ris", views.cite, {"fmt": "ris"}, name="cite-ris"),
    path(
        "<slug:slug>/download/<slug:language>/",
        views.download_version,
        name="download-version",
    ),
]
