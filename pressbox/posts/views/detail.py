from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.db.models import Prefetch, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render

from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.comments.threads import build_threads
from pressbox.posts.models import Page, Post, PostAuthor, SiteSettings


def post_queryset():
    """Published posts with everything the post page shows, in a fixed number of queries."""
    return Post.objects.published().prefetch_related(
        Prefetch(
            "post_authors",
            queryset=PostAuthor.objects.select_related("author__profile"),
        ),
        "categories__parent",
        "tags",
    )


def visible_comments(request: HttpRequest, post: Post) -> list[Comment]:
    """Approved comments, plus a held one whose author holds its moderation hash."""
    wanted = Q(status=Comment.Status.APPROVED)
    held_id = request.GET.get("unapproved", "")
    if held_id.isascii() and held_id.isdigit():
        wanted |= Q(pk=int(held_id), status=Comment.Status.PENDING)
    token = request.GET.get("moderation-hash", "")
    return [
        c
        for c in Comment.objects.filter(post=post).filter(wanted)
        if c.status == Comment.Status.APPROVED or c.check_moderation_hash(token)
    ]


def render_post(
    request: HttpRequest, post: Post, *, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    site = SiteSettings.load()
    comments = visible_comments(request, post)
    if form is None:
        form = CommentForm(post=post, initial={"parent": request.GET.get("replytocom")})
    parent_id = str(form["parent"].value() or "")
    reply_to = next(
        (c for c in comments if str(c.pk) == parent_id and c.status == Comment.Status.APPROVED),
        None,
    )
    if reply_to is None and not form.is_bound:
        form = CommentForm(post=post)
    context = {
        "post": post,
        "authors": [pa.author for pa in post.post_authors.all()],
        "threads": build_threads(comments, max_depth=site.comment_depth),
        "comment_count": sum(1 for c in comments if c.status == Comment.Status.APPROVED),
        "form": form,
        "reply_to": reply_to,
    }
    return render(request, "posts/post_detail.html", context, status=status)


def _canonical_or_render(request: HttpRequest, post: Post) -> HttpResponse:
    canonical = post.get_absolute_url()
    if request.path != unquote(canonical):  # reverse() escapes non-ASCII slugs; path doesn't
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    return render_post(request, post)


def post_detail(request: HttpRequest, slug: str, **date_parts: Any) -> HttpResponse:
    """Any permalink shape finds the post by slug; a wrong shape or date answers 301."""
    post = get_object_or_404(post_queryset(), slug=slug)
    return _canonical_or_render(request, post)


def post_detail_numeric(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(post_queryset(), pk=pk)
    return _canonical_or_render(request, post)


def page_or_post(request: HttpRequest, slug: str) -> HttpResponse:
    """/<slug>/ is a page; failing that, a post under the post-name permalink."""
    page = Page.objects.published().filter(slug=slug).first()
    if page is not None:
        return render(request, "posts/page_detail.html", {"page": page})
    post = post_queryset().filter(slug=slug).first()
    if post is None:
        raise Http404("No page or post here.")
    return _canonical_or_render(request, post)
