from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from pressbox.comments import protection
from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.comments.pages import commenter_url
from pressbox.comments.services import client_ip, comment_submit
from pressbox.comments.views.own import remember_own_comment
from pressbox.lib.http import HttpResponseSeeOther
from pressbox.posts.models import Post, SiteSettings
from pressbox.posts.views.detail import post_queryset, render_post


def same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the form came from this site.

    The comment form sits on pages cached for everyone, so it carries no per-visitor
    CSRF token; instead a cross-site POST is refused by the Origin header, which every
    current browser sends with a form POST (Referer when Origin is absent). A request
    with neither comes from a non-browser client, which CSRF cannot ride on.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    origin = urlsplit(source)
    allowed = {urlsplit(settings.SITE_URL).netloc, request.get_host()}
    return origin.netloc in allowed


@csrf_exempt  # see same_origin(): the page holding the form is cacheable
@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    # Accepting a comment needs the post alone; the page's prefetches (authors,
    # categories, tags) are loaded only when the form has to be shown again.
    post = get_object_or_404(Post.objects.published(), pk=post_id)
    form = CommentForm(request.POST, post=post)
    if not same_origin(request):
        form.add_error(None, "This comment did not come from this site's form. Please try again.")
    if not form.is_valid():
        return render_post(request, post_queryset().get(pk=post.pk), form=form, status=400)
    if over_rate_limit(request, form):
        form.add_error(None, protection.RATE_LIMITED)
        return render_post(request, post_queryset().get(pk=post.pk), form=form, status=429)
    comment = comment_submit(form=form, request=request)
    response = HttpResponseSeeOther(commenter_url(comment))
    if form.cleaned_data.get("save_details"):
        remember_commenter(response, form)
    else:
        response.delete_cookie("pressbox_commenter")
    if comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING):
        remember_own_comment(request, response, comment)
    return response


def over_rate_limit(request: HttpRequest, form: CommentForm) -> bool:
    """Count this valid comment against the hourly limits of its IP and email address.
    The site's own writers, signed in, are not limited."""
    if request.user.is_authenticated:
        return False
    site = SiteSettings.load()
    return protection.rate_limited(
        ip=client_ip(request),
        email=form.cleaned_data["email"],
        per_ip=site.comment_rate_per_ip,
        per_email=site.comment_rate_per_email,
    )


def remember_commenter(response: HttpResponse, form: CommentForm) -> None:
    """With the commenter's consent only: name, email and website for next time, read
    by a small script in their browser so the cached page stays the same for all."""
    value = json.dumps(
        {k: form.cleaned_data.get(k) or "" for k in ("name", "email", "url")},
        separators=(",", ":"),
    )
    response.set_cookie(
        "pressbox_commenter",
        quote(value, safe=""),
        max_age=60 * 60 * 24 * 365,
        samesite="Lax",
        secure=settings.SITE_URL.startswith("https://"),
    )


@require_safe
def form_token(request: HttpRequest, post_id: int) -> HttpResponse:
    """A fresh signed timestamp for a post's form, which theme.js asks for when a reader
    starts on a cached page (whose own token may be days old). The same for everyone."""
    post = get_object_or_404(Post.objects.published().only("pk"), pk=post_id)
    response = JsonResponse({"timestamp": protection.form_token(post.pk)})
    response["Cache-Control"] = "no-store"
    return response
