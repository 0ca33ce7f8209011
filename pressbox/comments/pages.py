"""Comment pages: a post's comments cut by thread, as WordPress pages them.

A page holds `SiteSettings.comments_per_page` threads (0 puts them all on one page),
oldest or newest thread first (`comment_order`); replies always stay with their thread,
oldest first. Page 1 is the post's own address, page n is `<permalink>comment-page-<n>/`.

What a page counts is a *thread head*: an approved top-level comment, or an approved
reply whose thread root is no longer visible (held, spam or trashed after the reply was
made), so that no approved reply is lost with its root. Reading a page costs two
queries whatever the number of comments (a count, then the page's heads and every
approved comment of their threads in one query); finding the page of a comment, for a
permalink in an email or a feed, costs two queries for any number of comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext

from pressbox.comments.models import Comment
from pressbox.comments.threads import Node, build_threads
from pressbox.lib.avatars import avatar_url
from pressbox.lib.prepared import Param, Prepared
from pressbox.posts.models import Post, SiteSettings
from pressbox.templatetags.pressbox_tags import texturize

APPROVED = Comment.Status.APPROVED


def _is_head() -> Q:
    visible_root = Exists(Comment.objects.filter(pk=OuterRef("root_id"), status=APPROVED))
    return Q(root__isnull=True) | ~Q(visible_root)


def thread_heads(post_id: int | OuterRef) -> QuerySet[Comment]:
    """The approved thread heads of a post, unordered."""
    return Comment.objects.filter(Q(post_id=post_id), status=APPROVED).filter(_is_head())


def head_order(site: SiteSettings) -> list[str]:
    if site.comment_order == SiteSettings.CommentOrder.NEWEST:
        return ["-created_at", "-pk"]
    return ["created_at", "pk"]


def page_url(post: Post, number: int, *, base: str = "") -> str:
    """`<permalink>comment-page-<n>/`; page 1 is the permalink itself (`base`, when the
    caller already knows it).

    Every permalink structure ends in "/" and has a `comment-page-<n>/` route beside it
    (posts/urls.py, and pressbox/urls.py for /<slug>/), so the suffix is appended rather
    than reversed once per structure.
    """
    base = base or post.get_absolute_url()
    return base if number <= 1 else f"{base}comment-page-{number}/"


@dataclass
class CommentPage:
    post: Post
    number: int
    num_pages: int
    comment_count: int
    threads: list[Node] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    newest_first: bool = False

    @property
    def url(self) -> str:
        return page_url(self.post, self.number)

    @property
    def is_paginated(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_url(self) -> str | None:
        return page_url(self.post, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return page_url(self.post, self.number + 1) if self.number < self.num_pages else None

    # "Older comments" and "Newer comments" go the way the owner's order says.
    @property
    def older_url(self) -> str | None:
        return self.next_url if self.newest_first else self.previous_url

    @property
    def newer_url(self) -> str | None:
        return self.previous_url if self.newest_first else self.next_url

    @property
    def older_rel(self) -> str:
        return "next" if self.newest_first else "prev"

    @property
    def newer_rel(self) -> str:
        return "prev" if self.newest_first else "next"


# Fields no comment page shows: left in the database (`meta` alone is a JSON parse per
# comment). Loading one later would cost a query per comment; the post page's pinned
# query count would show it.
UNSHOWN = ("body", "meta", "user_agent", "ip_address", "spam_score", "status_reason")


APPROVED_PAIRS = Prepared(
    lambda: (
        Comment.objects.filter(post=Param("post", Comment, "post"), status=APPROVED)
        .order_by("created_at", "pk")
        .values_list("pk", "root_id")
    )
)
# Comments by id, prepared for lists of 8, 16, 32… ids (the last id repeated to fill);
# past the largest, the ORM's own query.
BY_ID_SIZES = [2**n for n in range(3, 11)]
_by_id: dict[int, Prepared[Comment]] = {}


def comments_by_id(ids: list[int]) -> list[Comment]:
    """These comments (those a page shows: UNSHOWN fields left out), one query."""
    if not ids:
        return []
    size = next((n for n in BY_ID_SIZES if n >= len(ids)), 0)
    if not size:
        return list(Comment.objects.filter(pk__in=ids).defer(*UNSHOWN))
    if size not in _by_id:
        slots = [Param(f"id{n}", Comment, "id") for n in range(size)]
        _by_id[size] = Prepared(lambda: Comment.objects.filter(pk__in=slots).defer(*UNSHOWN))
    padded = ids + ids[-1:] * (size - len(ids))
    return _by_id[size].all(**{f"id{n}": pk for n, pk in enumerate(padded)})


class PageNotFound(Exception):
    """A comment page past the last one."""


def comment_page(
    post: Post, *, number: int, site: SiteSettings, held: Comment | None = None
) -> CommentPage:
    """Page `number` of the post's comments, threaded to the owner's depth.

    `held` is a comment awaiting moderation that its author may see (they hold its
    moderation hash); it is shown in its thread, and its page exists even when it is
    the one past the last page of approved threads.
    """
    per_page = site.comments_per_page
    approved = Comment.objects.filter(post=post, status=APPROVED)
    if not per_page:
        if number != 1:
            raise PageNotFound
        comments = list(approved.defer(*UNSHOWN))
        total, num_pages = len(comments), 1
    else:
        # Who heads a thread is worked out here from (id, root) pairs rather than in
        # SQL, and both queries are prepared (pressbox.lib.prepared): the queryset doing
        # it in SQL (a count, then heads found with an EXISTS, sliced, in a subquery
        # twice) cost Django more to compile than the rest of the page took to render
        # (issue 7). Two queries, whatever the number of comments.
        pairs: list[tuple[int, int | None]] = APPROVED_PAIRS.all(post=post.pk)
        shown = {pk for pk, _ in pairs}
        heads = [pk for pk, root in pairs if root is None or root not in shown]
        if site.comment_order == SiteSettings.CommentOrder.NEWEST:
            heads.reverse()
        total, num_pages = len(pairs), max(1, ceil(len(heads) / per_page))
        if number > num_pages:  # the held comment's own page may be the one after
            held_page = comment_pages([held], site=site)[held.pk] if held else 0
            if number > held_page:
                raise PageNotFound
            num_pages = held_page
        start = (number - 1) * per_page
        on_page = set(heads[start : start + per_page])
        comments = comments_by_id([pk for pk, root in pairs if pk in on_page or root in on_page])
    if held is not None and all(c.pk != held.pk for c in comments):
        comments.append(held)
    dress(comments, site=site)
    threads = build_threads(comments, max_depth=site.comment_depth)
    newest_first = site.comment_order == SiteSettings.CommentOrder.NEWEST
    if newest_first:
        threads.reverse()
    return CommentPage(post, number, num_pages, total, threads, comments, newest_first)


AVATAR_KEY_SLOT = "0" * 32


def dress(comments: Sequence[Comment], *, site: SiteSettings) -> None:
    """Work out once per page what the comment template shows of each comment:
    `avatar_src`, `shown_name` (with curly quotes), `shown_at` ("March 3, 2025 at 9:05
    a.m.", the `date` filter's "F j, Y \\a\\t g:i a") and `iso_at`.

    Per comment, the template's own lookups cost a reverse() for the avatar, three
    texturizes and Django's general date formatter: most of a 50-comment page's render
    (issue 7).
    """
    local = site.avatar_service == SiteSettings.AvatarService.LOCAL
    if local:
        head, _, tail = reverse("avatar", kwargs={"key": AVATAR_KEY_SLOT}).partition(
            AVATAR_KEY_SLOT
        )
    zone = timezone.get_current_timezone()
    noon = {False: gettext("a.m."), True: gettext("p.m.")}
    months: dict[int, str] = {}
    for comment in comments:
        if local and comment.avatar_key:
            comment.avatar_src = f"{head}{comment.avatar_key}{tail}"
        else:
            comment.avatar_src = avatar_url(
                comment.author_email, key=comment.avatar_key, service=site.avatar_service
            )
        comment.shown_name = texturize(comment.author_name)
        when = comment.created_at.astimezone(zone)
        if when.month not in months:
            months[when.month] = str(MONTHS[when.month])
        comment.shown_at = (
            f"{months[when.month]} {when.day}, {when.year:04d} at "
            f"{when.hour % 12 or 12}:{when.minute:02d} {noon[when.hour > 11]}"
        )
        comment.iso_at = when.replace(microsecond=0).isoformat()


def comment_pages(comments: Sequence[Comment], *, site: SiteSettings) -> dict[int, int]:
    """The page number each comment's thread is on, in two queries for any number.

    A comment of any status is placed where its thread head is, or, when it is a head
    itself (a top-level comment, even one still held), where it would be if approved.
    """
    per_page = site.comments_per_page
    if not per_page or not comments:
        return {c.pk: 1 for c in comments}
    root_ids = {c.root_id for c in comments if c.root_id}
    visible_roots = set(
        Comment.objects.filter(pk__in=root_ids, status=APPROVED).values_list("pk", flat=True)
    )
    head_of = {c.pk: c.root_id if c.root_id in visible_roots else c.pk for c in comments}
    newest = site.comment_order == SiteSettings.CommentOrder.NEWEST
    earlier = "gt" if newest else "lt"
    before = (
        thread_heads(OuterRef("post_id"))
        .filter(
            Q(**{f"created_at__{earlier}": OuterRef("created_at")})
            | Q(created_at=OuterRef("created_at"), **{f"pk__{earlier}": OuterRef("pk")})
        )
        .order_by()
        .values("post_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    positions = dict(
        Comment.objects.filter(pk__in=set(head_of.values()))
        .annotate(before=Coalesce(Subquery(before), Value(0)))
        .values_list("pk", "before")
    )
    return {pk: positions.get(head, 0) // per_page + 1 for pk, head in head_of.items()}


def comment_url(comment: Comment, *, page: int | None = None) -> str:
    """The comment's permalink: its thread's page, then its anchor."""
    if page is None:
        page = comment_pages([comment], site=SiteSettings.load())[comment.pk]
    return f"{page_url(comment.post, page)}#{comment.anchor}"


def commenter_url(comment: Comment) -> str:
    """Where its author is sent after posting or editing: a held comment's page carries
    the proof that lets them alone see it (`?unapproved=&moderation-hash=`)."""
    url = comment_url(comment)
    if comment.status != Comment.Status.PENDING:
        return url
    path, anchor = url.split("#", 1)
    query = urlencode({"unapproved": str(comment.pk), "moderation-hash": comment.moderation_hash()})
    return f"{path}?{query}#{anchor}"


def held_comment(post: Post, *, comment_id: str, token: str) -> Comment | None:
    """The held comment named by `?unapproved=`, if the request holds its hash."""
    if not (comment_id.isascii() and comment_id.isdigit()) or len(comment_id) > 18:
        return None
    found = Comment.objects.filter(post=post, pk=int(comment_id), status=Comment.Status.PENDING)
    comment = found.first()
    return comment if comment is not None and comment.check_moderation_hash(token) else None
