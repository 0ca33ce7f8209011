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
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from pressbox.lib import pagecache
from pressbox.posts.models import Post

RELATED_COUNT = 3
RELATED_CACHE_SECONDS = 24 * 3600
RELATED_CANDIDATES = 200
TAG_WEIGHT = 2  # a shared tag says more than a shared category


def _listed() -> QuerySet[Post]:
    return Post.objects.published().only("title", "slug", "published_at", "pk")


def previous_post(post: Post) -> Post | None:
    """The published post just before this one (by date, then id)."""
    if post.published_at is None:
        return None
    # Anything before a published post is past, so the status alone says "published";
    # leaving out published()'s `<= now` lets SQLite walk the index down from this post
    # rather than from today.
    earlier = Q(published_at__lt=post.published_at) | Q(pk__lt=post.pk)
    found = Post.objects.filter(
        earlier, status__in=Post.LIVE, published_at__lte=post.published_at
    ).only("title", "slug", "published_at", "pk")
    return found.order_by("-published_at", "-pk").first()


def next_post(post: Post) -> Post | None:
    """The published post just after this one (by date, then id)."""
    if post.published_at is None:
        return None
    later = Q(published_at__gt=post.published_at) | Q(pk__gt=post.pk)
    found = _listed().filter(later, published_at__gte=post.published_at)
    return found.order_by("published_at", "pk").first()


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
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            shared_categories=Count(
                "categories", filter=Q(categories__in=category_ids), distinct=True
            ),
        )
        .annotate(score=F("shared_tags") * TAG_WEIGHT + F("shared_categories"))
        .order_by("-score", "-published_at", "-pk")
    )
    return list(scored[:count])
