from django.urls import path

from pressbox.comments import views

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:post_id>/", views.post_comment, name="post"),
]
