from django.urls import path

from . import views

app_name = "learning_groups"

urlpatterns = [
    path("learning-groups/", views.LearningGroupListView.as_view(), name="list"),
    path("learning-groups/<slug:slug>/", views.LearningGroupDetailView.as_view(), name="detail"),
    path("outlooks/", views.outlook_comparison, name="outlooks"),
    path("outlooks/<str:iso2>/", views.outlook_country, name="outlook-country"),
]
