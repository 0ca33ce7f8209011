"""Dashboard routes: media section (names live in the dashboard namespace)."""

from django.urls import path

from pressbox.dashboard.views import media

urlpatterns = [
    path("", media.media_list, name="media-list"),
    path("upload/", media.media_upload, name="media-upload"),
    path("upload/json/", media.media_upload_json, name="media-upload-json"),
    path("<int:pk>/", media.media_detail, name="media-detail"),
    path("<int:pk>/delete/", media.media_delete, name="media-delete"),
]
