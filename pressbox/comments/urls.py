from django.urls import path

from pressbox.comments import feeds
from pressbox.comments.views import email, moderate, own, submit
from pressbox.posts.feeds.posts import legacy_feed

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:post_id>/", submit.post_comment, name="post"),
    path("comments/token/<int:post_id>/", submit.form_token, name="token"),
    path("comments/<int:pk>/edit/", own.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", own.delete_comment, name="delete"),
    path("comments/moderate/<str:token>/", moderate.moderate_by_link, name="moderate"),
    path("comments/notify/confirm/<str:token>/", email.confirm_subscription, name="confirm"),
    path("comments/notify/unsubscribe/<str:token>/", email.unsubscribe, name="unsubscribe"),
    path("comments/feed/", feeds.latest_comments_feed, {"kind": "rss"}, name="feed"),
    path("comments/feed/atom/", feeds.latest_comments_feed, {"kind": "atom"}, name="feed-atom"),
    path("comments/feed/json/", feeds.latest_comments_feed, {"kind": "json"}, name="feed-json"),
    path("comments/feed/<slug:legacy>/", legacy_feed, name="feed-legacy"),
]
