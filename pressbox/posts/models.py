"""Posts: what a blog publishes, and how it is found.

Post and Page share `Publishable` (title, slug, Markdown body rendered once on save,
status). `Post.objects.published()` is the one definition of "a reader may see this":
views, archives, feeds and sitemaps all use it. A post saved as published with a future
`published_at` is scheduled, and `published()` lets it in when its time comes, with no
cron. Categories form a tree; co-authors keep their order through `PostAuthor`.
`SiteSettings` holds what the owner sets for the whole blog (title, permalinks, paging).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from pressbox.lib.markup import (
    anchor_headings,
    excerpt_from_html,
    html_to_text,
    render_html,
    render_markdown,
)
from pressbox.lib.reversing import reverse_cached

WORDS_PER_MINUTE = 230
# A post gets a table of contents from this length and this many headings.
TOC_MIN_WORDS = 600
TOC_MIN_HEADINGS = 3


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: Any = None) -> str:
    """`text` as a slug, with -2, -3… appended until no other row of `model` has it."""
    base = slugify(text)[:180] or "untitled"
    slug, n = base, 1
    others = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class SiteSettings(models.Model):
    """The blog's own settings, one row, cached; the dashboard edits them (issue 4)."""

    class Permalink(models.TextChoices):
        DAY_AND_NAME = "day", "/2018/03/14/sample-post/"
        MONTH_AND_NAME = "month", "/2018/03/sample-post/"
        POST_NAME = "name", "/sample-post/"
        NUMERIC = "numeric", "/archives/123/"

    class Moderation(models.TextChoices):
        HOLD_ALL = "all", "Hold every comment for moderation"
        HOLD_FIRST = "first", "Hold comments from first-time commenters"
        PUBLISH_ALL = "none", "Publish every comment at once"

    class CommentOrder(models.TextChoices):
        OLDEST = "oldest", "Oldest threads first"
        NEWEST = "newest", "Newest threads first"

    class AvatarService(models.TextChoices):
        LOCAL = "local", "Generated on this server (no request to another site)"
        GRAVATAR = "gravatar", "Gravatar (sends a hash of each commenter's email to Gravatar)"
        LIBRAVATAR = "libravatar", "Libravatar (sends a hash of each commenter's email)"

    title = models.CharField(max_length=200, default="Pressbox")
    tagline = models.CharField(max_length=300, blank=True, default="Just another blog")
    posts_per_page = models.PositiveSmallIntegerField(default=10)
    permalink_structure = models.CharField(
        max_length=10, choices=Permalink.choices, default=Permalink.MONTH_AND_NAME
    )
    comment_moderation = models.CharField(
        max_length=5, choices=Moderation.choices, default=Moderation.HOLD_FIRST
    )
    comment_depth = models.PositiveSmallIntegerField(
        default=5, help_text="How deep replies nest; deeper replies attach at the deepest level."
    )
    comments_per_page = models.PositiveSmallIntegerField(
        default=50, help_text="Top-level comments (threads) per page; 0 shows them all on one page."
    )
    comment_order = models.CharField(
        max_length=6, choices=CommentOrder.choices, default=CommentOrder.OLDEST
    )
    close_comments_after_days = models.PositiveIntegerField(
        default=0, help_text="Close comments on posts older than this many days; 0 never closes."
    )
    comment_max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Hold a comment with more links than this."
    )
    moderation_keys = models.TextField(
        blank=True,
        help_text="One word, phrase, email or IP per line: a comment that contains one is "
        "held for moderation.",
    )
    disallowed_keys = models.TextField(
        blank=True,
        help_text="One word, phrase, email or IP per line: a comment that contains one is "
        "marked as spam.",
    )
    comment_rate_per_ip = models.PositiveSmallIntegerField(
        default=10, help_text="Comments accepted per hour from one IP address."
    )
    comment_rate_per_email = models.PositiveSmallIntegerField(
        default=10, help_text="Comments accepted per hour from one email address."
    )
    notify_authors = models.BooleanField(
        default=True, help_text="Email each co-author of a post when it gets a comment."
    )
    ip_retention_days = models.PositiveSmallIntegerField(
        default=30, help_text="Commenters' IP addresses are erased after this many days."
    )
    avatar_service = models.CharField(
        max_length=10, choices=AvatarService.choices, default=AvatarService.LOCAL
    )

    CACHE_KEY = "pressbox:site-settings:v2"

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        _request_memo.settings = None

    @classmethod
    def load(cls) -> SiteSettings:
        """The settings row: once per request from the cache (one query at most).

        Permalinks, avatars and comment rules all ask for it, a dozen times a page; the
        request memo keeps that to one cache round trip. Outside a request (commands,
        the task worker) there is no memo, so a long-running process never holds stale
        settings.
        """
        memo = getattr(_request_memo, "settings", None)
        if memo is not None:
            return memo
        found = cache.get(cls.CACHE_KEY)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, found, 300)
        if getattr(_request_memo, "active", False):
            _request_memo.settings = found
        return found


_request_memo = Local()


def _memo_start(**_: Any) -> None:
    _request_memo.active, _request_memo.settings = True, None


def _memo_end(**_: Any) -> None:
    _request_memo.active, _request_memo.settings = False, None


request_started.connect(_memo_start, dispatch_uid="pressbox.site-settings.memo-start")
request_finished.connect(_memo_end, dispatch_uid="pressbox.site-settings.memo-end")


@contextmanager
def site_settings_read_once() -> Iterator[None]:
    """`SiteSettings.load()` memoised for a block of work that stands for one request:
    the static export renders every page from one reading of the site (issue 7)."""
    _memo_start()
    try:
        yield
    finally:
        _memo_end()


class Category(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Category, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def ancestors(self) -> list[Category]:
        """From the root down to the parent (the tree is shallow; cycles are cut)."""
        chain: list[Category] = []
        node, seen = self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.insert(0, node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def get_absolute_url(self) -> str:
        path = "/".join([c.slug for c in self.ancestors()] + [self.slug])
        return reverse_cached("posts:category", path=path)

    def descendant_ids(self) -> set[int]:
        """This category and every category below it, so a parent's archive lists all."""
        ids, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = (
                set(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
                - ids
            )
            ids |= frontier
        return ids


class Tag(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_cached("posts:tag", slug=self.slug)


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        """What a reader may see now: published, or scheduled and its time has come."""
        return self.filter(
            status__in=[Publishable.Status.PUBLISHED, Publishable.Status.SCHEDULED],
            published_at__lte=timezone.now(),
        )


class Publishable(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"  # a contributor's submission
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        PRIVATE = "private", "Private"  # seen only by people who may edit it

    LIVE = (Status.SCHEDULED, Status.PUBLISHED)

    class Format(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        HTML = "html", "HTML"  # imported content (WordPress), kept as written

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    body = models.TextField(blank=True, help_text="Markdown, or HTML when body_format says so.")
    body_format = models.CharField(max_length=10, choices=Format.choices, default=Format.MARKDOWN)
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    import_ref = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, touch: bool = True, **kwargs: Any) -> None:
        """Derive the stored fields, then save.

        `touch=False` keeps `updated_at` as given (imports carry their own dates).
        """
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, exclude_pk=self.pk)
        if self.status in self.LIVE:
            self.published_at = self.published_at or timezone.now()
            future = self.published_at > timezone.now()
            self.status = self.Status.SCHEDULED if future else self.Status.PUBLISHED
        if touch:
            self.updated_at = timezone.now()
        self.derive_fields()
        super().save(*args, **kwargs)

    def derive_fields(self) -> None:
        self.body_html, _ = anchor_headings(self.render_body())

    def render_body(self) -> str:
        """The body as sanitised HTML: Markdown rendered, or HTML cleaned."""
        if self.body_format == self.Format.HTML:
            return render_html(self.body)
        return render_markdown(self.body)

    def is_published(self) -> bool:
        return (
            self.status in self.LIVE
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def display_status(self) -> str:
        """Scheduled posts read as published once their time has passed."""
        if self.status == self.Status.SCHEDULED and self.is_published():
            return self.Status.PUBLISHED.label
        return self.get_status_display()


class Post(Publishable):
    excerpt = models.TextField(blank=True, help_text="Shown in lists; derived when empty.")
    summary = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    authors: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PostAuthor", related_name="posts", blank=True
    )
    categories = models.ManyToManyField(Category, related_name="posts", blank=True)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    comments_open = models.BooleanField(default=True)
    sticky = models.BooleanField(
        default=False, help_text="Kept at the top of the home page's first page."
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="What search engines show under the title; the excerpt when empty.",
    )
    featured_image = models.ForeignKey(
        "media.Media",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_in_posts",
    )
    # The post's h2–h4 headings ({"level", "id", "title"}), for its table of contents.
    toc = models.JSONField(default=list, blank=True, editable=False)
    # Bumped by every save through pressbox.posts.services, so that an editor form
    # carrying an older number knows someone else saved in between (issue 4).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        # Every list and the previous/next links walk posts newest first by
        # (published_at, id), filtering on status as they go; this index lets them stop
        # after a page. (A status-first index tempted SQLite's planner into sorting
        # every published post for each list.)
        indexes = [
            models.Index(fields=["published_at", "id"], name="posts_post_published_id"),
            # The home page's sticky posts, found without walking every post to see
            # which are sticky (a second on 100,000 posts; issue 7).
            models.Index(
                fields=["published_at", "id"],
                condition=models.Q(sticky=True),
                name="posts_post_sticky_published_id",
            ),
            # Counts and "newest change" over the published posts (the sitemap) read
            # this index alone, not every post's row: 1.2 s to 15-60 ms each on 100,000.
            models.Index(
                fields=["published_at", "status", "updated_at"],
                name="posts_post_published_changed",
            ),
        ]
        permissions = [
            ("publish_post", "Can publish posts"),
            ("edit_others_post", "Can edit other people's posts"),
        ]

    def derive_fields(self) -> None:
        self.body_html, self.toc = anchor_headings(self.render_body())
        self.summary = self.excerpt.strip() or excerpt_from_html(self.body_html)
        self.word_count = len(html_to_text(self.body_html).split())

    def get_absolute_url(self) -> str:
        # A list page asks each post for its address three or four times: remembered on
        # the instance for as long as nothing it is made of changes.
        structure = SiteSettings.load().permalink_structure
        # (created_at only for an undated draft: lists load posts without it.)
        when = self.published_at or self.created_at
        parts = (structure, self.pk, self.slug, when)
        remembered = self.__dict__.get("_url")
        if remembered is None or remembered[0] != parts:
            remembered = (parts, self.permalink(structure))
            self.__dict__["_url"] = remembered
        return remembered[1]

    def permalink(self, structure: str) -> str:
        when = timezone.localtime(self.published_at or self.created_at)
        Permalink = SiteSettings.Permalink
        if structure == Permalink.POST_NAME:
            return reverse_cached("page-or-post", slug=self.slug)
        if structure == Permalink.NUMERIC and self.pk:
            return reverse_cached("posts:detail-numeric", pk=self.pk)
        if structure == Permalink.DAY_AND_NAME:
            return reverse_cached(
                "posts:detail-day",
                year=when.year,
                month=f"{when.month:02d}",
                day=f"{when.day:02d}",
                slug=self.slug,
            )
        return reverse_cached(
            "posts:detail", year=when.year, month=f"{when.month:02d}", slug=self.slug
        )

    def table_of_contents(self) -> list[dict[str, Any]]:
        """The headings as a two-level tree, for a post long enough to need one
        (`TOC_MIN_WORDS` words and `TOC_MIN_HEADINGS` headings), else nothing.

        Each entry is {"id", "title", "children"}; h3 and h4 nest under the h2 before
        them (or stand at the top when no h2 came first).
        """
        if self.word_count < TOC_MIN_WORDS or len(self.toc) < TOC_MIN_HEADINGS:
            return []
        top = min(int(entry["level"]) for entry in self.toc)
        tree: list[dict[str, Any]] = []
        for entry in self.toc:
            item = {"id": entry["id"], "title": entry["title"], "children": []}
            if int(entry["level"]) > top and tree:
                tree[-1]["children"].append(item)
            else:
                tree.append(item)
        return tree

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def accepts_comments(self) -> bool:
        """Open on this post, published, and not past the site's automatic closing
        (`SiteSettings.close_comments_after_days`, 0 = never)."""
        if not (self.comments_open and self.is_published()):
            return False
        days = SiteSettings.load().close_comments_after_days
        assert self.published_at is not None  # is_published() checked it
        return not days or timezone.now() < self.published_at + timedelta(days=days)


class PostRevision(models.Model):
    """A copy of a post's text as it was saved, autosaved or restored; history is kept.

    Autosaves never touch the post itself: they wait here until someone restores them.
    """

    class Kind(models.TextChoices):
        SAVE = "save", "Saved"
        AUTOSAVE = "autosave", "Autosaved"
        RESTORE = "restore", "Restored"

    FIELDS = ("title", "slug", "body", "excerpt", "seo_description")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVE)
    title = models.CharField(max_length=300, blank=True)
    slug = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    seo_description = models.CharField(max_length=160, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="post_revisions",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title!r} at {self.created_at:%Y-%m-%d %H:%M}"

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


class PostAuthor(models.Model):
    """A co-author of a post, in the order the byline shows them."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_authors")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_authorships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "author"], name="unique_post_author")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.post}"


class Page(Publishable):
    """A standalone page (About, Contact) at /<slug>/, listed in the site navigation."""

    menu_order = models.IntegerField(default=0)
    show_in_menu = models.BooleanField(default=True)

    NAV_CACHE_KEY = "pressbox:nav-pages:v1"

    class Meta:
        ordering = ["menu_order", "title"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(self.NAV_CACHE_KEY))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(self.NAV_CACHE_KEY))
        return result

    def get_absolute_url(self) -> str:
        return reverse_cached("page-or-post", slug=self.slug)


class Redirect(models.Model):
    """An old address that answers 301 to a new one (old slugs, imported permalinks)."""

    old_path = models.CharField(max_length=500, unique=True)
    new_path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"
