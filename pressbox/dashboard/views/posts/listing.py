"""/dashboard/posts/: the posts this person may edit, by status, searchable, paged."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.dashboard.access import current_user, dashboard_view
from pressbox.posts.models import Post, PostAuthor

PER_PAGE = 20
Status = Post.Status
TABS = [
    ("", "All"),
    (Status.DRAFT, "Drafts"),
    (Status.PENDING, "Pending review"),
    (Status.SCHEDULED, "Scheduled"),
    (Status.PUBLISHED, "Published"),
    (Status.PRIVATE, "Private"),
]


def tab_filters(now: datetime) -> dict[str, Q]:
    """What each tab lists; a scheduled post whose time has come counts as published."""
    return {
        "": Q(),
        Status.DRAFT: Q(status=Status.DRAFT),
        Status.PENDING: Q(status=Status.PENDING),
        Status.SCHEDULED: Q(status=Status.SCHEDULED, published_at__gt=now),
        Status.PUBLISHED: Q(status__in=Post.LIVE, published_at__lte=now),
        Status.PRIVATE: Q(status=Status.PRIVATE),
    }


def editable_posts(user: User) -> QuerySet[Post]:
    """Everyone's posts for editors; one's own (as a co-author) for everyone else."""
    if user.has_perm("posts.edit_others_post"):
        return Post.objects.all()
    return Post.objects.filter(pk__in=PostAuthor.objects.filter(author=user).values("post_id"))


@dashboard_view(permission="posts.change_post")
def post_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    posts = editable_posts(user)
    query = request.GET.get("q", "").strip()
    if query:
        posts = posts.filter(title__icontains=query)
    filters = tab_filters(timezone.now())
    counts = posts.aggregate(
        **{key or "all": Count("pk", filter=q or None) for key, q in filters.items()}
    )
    status = request.GET.get("status", "")
    status = status if status in filters else ""
    approved_comments = (
        Comment.objects.filter(post=OuterRef("pk"), status=Comment.Status.APPROVED)
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    listed = (
        posts.filter(filters[status])
        .annotate(comment_count=Coalesce(Subquery(approved_comments), 0))
        .prefetch_related(
            Prefetch("post_authors", queryset=PostAuthor.objects.select_related("author__profile"))
        )
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    tabs = [(key, label, counts[key or "all"]) for key, label in TABS]
    context = {"page": page, "tabs": tabs, "status": status, "query": query}
    return render(request, "dashboard/posts/post_list.html", context)
