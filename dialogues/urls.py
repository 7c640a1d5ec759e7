from django.urls import path

from . import views

app_name = "dialogues"

urlpatterns = [
    path("", views.DialogueListView.as_view(), name="list"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
    path("<slug:slug>/", views.DialogueDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", views.event_ics, name="event-ics"),
]
