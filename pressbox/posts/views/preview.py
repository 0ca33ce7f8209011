"""/preview/<token>/: a draft shown to whoever holds its signed link, for 7 days.

The token is the post's id signed with the site's secret (django.core.signing) and a
timestamp, so it cannot be guessed or altered, and expires without being stored. The
page is the public template; it is kept out of search engines and caches, and sends no
Referer, so the link does not leak through the post's own outgoing links.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from pressbox.posts.models import Post
from pressbox.posts.views.detail import render_post

SALT = "pressbox.posts.preview"
MAX_AGE = timedelta(days=7)


def preview_url(post: Post) -> str:
    token = signing.dumps(post.pk, salt=SALT)
    return reverse("posts:preview", kwargs={"token": token})


def preview(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        raise Http404("This preview link is not valid or has expired.") from None
    posts = Post.objects.prefetch_related(
        "post_authors__author__profile", "categories__parent", "tags"
    )
    post = get_object_or_404(posts, pk=pk)
    if post.is_published():
        return redirect(post.get_absolute_url())
    response = render_post(request, post)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
