"""One-click moderation from the email an author gets about a new comment.

The link names a comment, an action and the user it was sent to, signed and valid for
a week. GET only shows what will happen, because mail scanners open links; the button
POSTs, and the action is applied only if that user may still moderate the comment.
The token is the credential (no session), so no CSRF token is needed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pressbox.accounts.models import User
from pressbox.comments import services, tokens
from pressbox.comments.models import Comment
from pressbox.comments.notifications import comment_url
from pressbox.comments.views.email import link_invalid


def may_moderate(user: User, comment: Comment) -> bool:
    """Co-authors moderate their post's comments; editors (the permission) all of them."""
    if not user.is_active:
        return False
    if user.has_perm("comments.change_comment"):
        return True
    return comment.post.post_authors.filter(author=user).exists()


@never_cache
@csrf_exempt  # the signed token is the credential, not a session cookie
@require_http_methods(["GET", "HEAD", "POST"])
def moderate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = tokens.read_moderation(token)
    except tokens.BadToken:
        return link_invalid(request)
    comment = Comment.objects.select_related("post").filter(pk=link.comment_id).first()
    user = User.objects.filter(pk=link.user_id).first()
    if comment is None or user is None:
        return link_invalid(request)
    context = {"comment": comment, "action": link.action, "moderator": user}
    if not may_moderate(user, comment):
        return render(request, "comments/moderate_forbidden.html", context, status=403)
    if request.method == "POST" and comment.status != link.status:
        services.comment_moderate(comment=comment, status=link.status, by=user)
        comment.refresh_from_db()
    context["comment_url"] = comment_url(comment)
    if comment.status == link.status:
        return render(request, "comments/moderate_done.html", context)
    return render(request, "comments/moderate_confirm.html", context)
