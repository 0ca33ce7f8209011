"""Dashboard routes: comments section (names live in the dashboard namespace).

The privacy tools (export and erase a commenter's data) live at /dashboard/privacy/, in
routes/accounts.py, so that the Comments and Privacy menu items are never both current.
"""

from django.urls import URLPattern, path

from pressbox.dashboard.views import comments

urlpatterns: list[URLPattern] = [
    path("", comments.comment_queue, name="comment-queue"),
    path("<int:pk>/moderate/", comments.comment_moderate_view, name="comment-moderate"),
    path("<int:pk>/reply/", comments.comment_reply_view, name="comment-reply"),
    path("bulk/", comments.comment_bulk, name="comment-bulk"),
]
