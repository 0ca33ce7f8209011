from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pressbox.accounts.roles import role_of
from pressbox.comments.models import Comment
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.posts.models import Post


@dashboard_view
def home(request: HttpRequest) -> HttpResponse:
    """At a glance: what waits for this person, and their latest drafts."""
    user = current_user(request)
    mine = Post.objects.filter(post_authors__author=user)
    context = {
        "role": role_of(user),
        "drafts": mine.filter(status=Post.Status.DRAFT).order_by("-updated_at")[:5],
        "draft_count": mine.filter(status=Post.Status.DRAFT).count(),
        "pending_count": Post.objects.filter(status=Post.Status.PENDING).count()
        if user.has_perm("posts.edit_others_post")
        else mine.filter(status=Post.Status.PENDING).count(),
        "scheduled_count": mine.filter(status=Post.Status.SCHEDULED).count(),
        "comments_waiting": Comment.objects.awaiting_moderation().count()
        if user.has_perm("comments.change_comment")
        else None,
    }
    return render(request, "dashboard/home.html", context)
