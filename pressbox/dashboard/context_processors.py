from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from pressbox.comments.models import Comment

# (URL name, label, permission needed or None). A section appears once its URL exists.
SECTIONS = [
    ("dashboard:post-list", "Posts", "posts.change_post"),
    ("dashboard:media-list", "Media", "posts.change_post"),
    ("dashboard:comment-queue", "Comments", "comments.change_comment"),
    ("dashboard:user-list", "Users", "accounts.change_user"),
    ("dashboard:settings", "Settings", "posts.change_sitesettings"),
    ("dashboard:privacy", "Privacy", "comments.delete_comment"),
    ("dashboard:profile", "Your profile", None),
]


def dashboard_nav(request: HttpRequest) -> dict[str, Any]:
    """The dashboard's sections this person may open (only on dashboard pages)."""
    if not request.path.startswith("/dashboard/") or not request.user.is_authenticated:
        return {}
    items = []
    for name, label, permission in SECTIONS:
        if permission and not request.user.has_perm(permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        item = {"url": url, "label": label, "current": request.path.startswith(url)}
        if name == "dashboard:comment-queue":  # one count, for moderators only
            item["badge"] = Comment.objects.awaiting_moderation().count()
        items.append(item)
    return {"dashboard_nav": items}
