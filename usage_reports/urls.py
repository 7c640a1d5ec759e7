from django.urls import path

from usage_reports import views

app_name = "statistics"

urlpatterns = [
    path("", views.statistics, name="index"),
    path("<slug:table>.csv", views.table_csv, name="csv"),
    path(
        "organisations/<slug:slug>/<int:year>/",
        views.organisation_report,
        name="organisation",
    ),
    path(
        "organisations/<slug:slug>/<int:year>.csv",
        views.organisation_csv,
        name="organisation-csv",
    ),
]
