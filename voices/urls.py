from django.urls import path

from . import views

app_name = "voices"

urlpatterns = [
    path("", views.VoiceListView.as_view(), name="list"),
    path("share/", views.share, name="share"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("withdraw/<str:token>/", views.withdraw_link, name="withdraw-link"),
    path("<int:pk>/", views.VoiceDetailView.as_view(), name="detail"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/audio/", views.audio, name="audio"),
]
