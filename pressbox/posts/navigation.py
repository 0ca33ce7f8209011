"""What the post page offers to read next: the previous and next posts in time, and
posts related by shared tags and categories.

Previous and next cost one indexed query each, whatever the site's size. Related posts
are scored among a bounded set of recent candidates (the newest `RELATED_CANDIDATES`
published posts sharing a tag or a category), which still reads a few thousand index
entries on a large blog, so the answer is kept in the cache under the page cache's
generation: it is worked out again exactly when something published changes, and a
post page otherwise pays nothing for it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from pressbox.lib import pagecache
from pressbox.lib.prepared import Param, Prepared
from pressbox.posts.models import Post

RELATED_COUNT = 3
RELATED_CACHE_SECONDS = 24 * 3600
RELATED_CANDIDATES = 200
TAG_WEIGHT = 2  # a shared tag says more than a shared category


def _listed() -> QuerySet[Post]:
    return Post.objects.published().only("title", "slug", "published_at", "pk")


# Prepared (pressbox.lib.prepared): Django took longer to compile these than SQLite to
# answer them (issue 7). Anything before a published post is past, so the earlier one
# needs the status alone to be "published"; leaving out published()'s `<= now` lets
# SQLite walk the index down from this post rather than from today.
_EARLIER: Prepared[Post] = Prepared(
    lambda: (
        Post.objects.filter(
            Q(published_at__lt=Param("at", Post, "published_at"))
            | Q(pk__lt=Param("pk", Post, "id")),
            status__in=Post.LIVE,
            published_at__lte=Param("at", Post, "published_at"),
        )
        .only("title", "slug", "published_at", "pk")
        .order_by("-published_at", "-pk")[:1]
    )
)
_LATER: Prepared[Post] = Prepared(
    lambda: (
        Post.objects.filter(
            Q(published_at__gt=Param("at", Post, "published_at"))
            | Q(pk__gt=Param("pk", Post, "id")),
            status__in=Post.LIVE,
            published_at__lte=Param("now", Post, "published_at"),
            published_at__gte=Param("at", Post, "published_at"),
        )
        .only("title", "slug", "published_at", "pk")
        .order_by("published_at", "pk")[:1]
    )
)


def previous_post(post: Post) -> Post | None:
    """The published post just before this one (by date, then id)."""
    if post.published_at is None:
        return None
    return _EARLIER.first(at=post.published_at, pk=post.pk)


def next_post(post: Post) -> Post | None:
    """The published post just after this one (by date, then id)."""
    if post.published_at is None:
        return None
    return _LATER.first(at=post.published_at, pk=post.pk, now=timezone.now())


def related_posts(post: Post) -> list[Post]:
    """Up to `RELATED_COUNT` published posts sharing the most tags and categories with
    `post`, newest first among equals (title, slug and date loaded)."""
    key = f"related:{post.pk}:{pagecache.current_generation()}"
    found = cache.get(key)
    if found is None:
        found = [
            (item.pk, item.title, item.slug, item.published_at) for item in _score_related(post)
        ]
        cache.set(key, found, RELATED_CACHE_SECONDS)
    return [
        Post(pk=pk, title=title, slug=slug, published_at=published_at)
        for pk, title, slug, published_at in found
    ]


def _score_related(post: Post, count: int = RELATED_COUNT) -> list[Post]:
    """The scoring query behind `related_posts`, from the post's prefetched tags and
    categories."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    category_ids = [category.pk for category in post.categories.all()]
    if not tag_ids and not category_ids:
        return []
    tagged = Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag_id__in=tag_ids)
    filed = Post.categories.through.objects.filter(
        post_id=OuterRef("pk"), category_id__in=category_ids
    )
    candidates = (
        Post.objects.published()
        .filter(Exists(tagged) | Exists(filed))
        .exclude(pk=post.pk)
        .order_by("-published_at", "-pk")
        .values("pk")[:RELATED_CANDIDATES]
    )
    scored = (
        _listed()
        .filter(pk__in=candidates)
        .annotate(
            shared_tags=_shared("tags", tag_ids),
            shared_categories=_shared("categories", category_ids),
        )
        .annotate(score=F("shared_tags") * TAG_WEIGHT + F("shared_categories"))
        .order_by("-score", "-published_at", "-pk")
    )
    return list(scored[:count])


def _shared(relation: str, ids: list[int]) -> Count | Value:
    """How many of `ids` a candidate has; a plain 0 for no ids, as a count filtered on
    an empty list makes Django fold the whole score to 0 (the newest would then win)."""
    if not ids:
        return Value(0)
    return Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True)
