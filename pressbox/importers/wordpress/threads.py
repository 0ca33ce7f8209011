"""Comments of imported posts, threads kept, written a batch of posts at a time.

Comments are written in bulk (`rows`: an export can hold hundreds of thousands), so
this does what `Comment.save()` would: the body rendered by the model's own function
(`render.render_comment_text`), the avatar key, the thread's root, and an author URL
only when it is http(s). A comment is found again by `import_ref` ("wxr:<comment
id>"). Replies are written after the comments they answer, one depth at a time, so
each knows its parent's id.

WordPress statuses map as: 1 approved, 0 pending, spam, trash and post-trashed
trash; pingbacks and trackbacks keep their kind. The commenter's email and IP
address are kept, private as for any comment (an export has no user agent).
"""

from __future__ import annotations

import functools
import html
import ipaddress
from collections import defaultdict, deque
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pressbox.comments.models import Comment
from pressbox.importers.wordpress import rows
from pressbox.importers.wordpress.dates import wp_datetime
from pressbox.importers.wordpress.parse import Comment as WxrComment
from pressbox.importers.wordpress.parse import Meta
from pressbox.importers.wordpress.render import render_comment_text
from pressbox.importers.wordpress.summary import WxrSummary
from pressbox.lib.avatars import avatar_key
from pressbox.posts.models import Post

STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "approved": Comment.Status.APPROVED,
    "": Comment.Status.APPROVED,  # WordPress's default when the export leaves it out
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
KINDS = {"pingback": Comment.Kind.PINGBACK, "trackback": Comment.Kind.TRACKBACK}
FIELDS = [
    "post", "parent", "root", "kind", "user", "author_name", "author_email", "author_url",
    "body", "body_html", "status", "created_at", "ip_address", "avatar_key", "meta",
]  # fmt: skip
# The spam filter learns from at most this many imported spam and as many approved
# comments (the newest): enough to start it well, at a cost that does not grow with
# the export.
LEARNT_PER_KIND = 2000
LOOKUP_CHUNK = 5000  # import_refs per query (SQLite allows 32,766 parameters)


def meta_dict(meta: Meta) -> dict[str, Any]:
    """WordPress meta as JSON, values byte for byte; a repeated key keeps every value."""
    found: dict[str, Any] = {}
    for key, value in meta:
        if key not in found:
            found[key] = value
        elif isinstance(found[key], list):
            found[key].append(value)
        else:
            found[key] = [found[key], value]
    return found


class Threads:
    def __init__(self, summary: WxrSummary, users_by_wp_id: dict[str, int]) -> None:
        self.summary = summary
        self.users_by_wp_id = users_by_wp_id
        self.rendered: dict[str, tuple[str, str]] = {}
        # Ids of new spam and approved comments, newest last, for the spam filter.
        self.learn: dict[str, deque[int]] = {
            status: deque(maxlen=LEARNT_PER_KIND)
            for status in (Comment.Status.SPAM, Comment.Status.APPROVED)
        }

    def write(
        self,
        posts: Sequence[tuple[Post, list[WxrComment]]],
        rendered: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        """Write the comments of `posts`; `rendered` holds (Markdown, HTML) of comments
        already rendered (by id), the others are rendered here."""
        self.rendered = rendered or {}
        comments = [(post, c) for post, found in posts for c in found]
        if not comments:
            return
        refs = [f"wxr:{c.id}" for _, c in comments]
        existing = {}
        for start in range(0, len(refs), LOOKUP_CHUNK):
            chunk = refs[start : start + LOOKUP_CHUNK]
            existing.update({c.import_ref: c for c in Comment.objects.filter(import_ref__in=chunk)})
        saved: dict[str, tuple[int, int | None]] = {}  # wp id -> (pk, root pk)
        for wave in _waves(comments):
            self._write_wave(wave, existing, saved)

    def _write_wave(
        self,
        wave: list[tuple[Post, WxrComment]],
        existing: dict[str, Comment],
        saved: dict[str, tuple[int, int | None]],
    ) -> None:
        new: list[tuple[str, rows.Row]] = []
        old: list[tuple[str, Comment]] = []
        for post, data in wave:
            values = self._values(post, data)
            parent = saved.get(data.parent) or self._saved_parent(data.parent)
            comment = existing.get(values["import_ref"])
            if parent is not None and (comment is None or parent[0] != comment.pk):
                values["parent_id"], values["root_id"] = parent[0], parent[1] or parent[0]
            if comment is None:
                new.append((data.id, values))
            else:
                for name, value in values.items():
                    setattr(comment, name, value)
                old.append((data.id, comment))
        rows.insert(Comment, [values for _, values in new])
        ids = rows.ids_by_ref(Comment, [values["import_ref"] for _, values in new])
        for ident, values in new:
            saved[ident] = (ids[values["import_ref"]], values["root_id"])
            if values["status"] in self.learn:
                self.learn[values["status"]].append(ids[values["import_ref"]])
            self.summary.comments.add(True)
        rows.update(Comment, [c.__dict__ for _, c in old], FIELDS)
        for ident, comment in old:
            saved[ident] = (comment.pk, comment.root_id)
            self.summary.comments.add(False)

    def learnt_ids(self) -> list[int]:
        return [pk for ids in self.learn.values() for pk in ids]

    def _saved_parent(self, ident: str) -> tuple[int, int | None] | None:
        """A parent written by an earlier import (a reply in a later export)."""
        if not ident or ident == "0":
            return None
        found = Comment.objects.filter(import_ref=f"wxr:{ident}").values_list("pk", "root_id")
        return found.first()

    def _values(self, post: Post, data: WxrComment) -> rows.Row:
        """The comment's fields, as `Comment.save()` would store them."""
        url = data.author_url
        if not url.lower().startswith(("http://", "https://")) or len(url) > 500:
            url = ""
        email = data.author_email if len(data.author_email) <= 254 else ""
        body, body_html = self.rendered.get(data.id) or render_comment_text(data.content)
        user = self.users_by_wp_id.get(data.user_id) if data.user_id else None
        return {
            "import_ref": f"wxr:{data.id}",
            "post_id": post.pk,
            "parent_id": None,
            "root_id": None,
            "kind": KINDS.get(data.type.lower(), Comment.Kind.COMMENT).value,
            "status": STATUSES.get(data.approved.lower(), Comment.Status.PENDING).value,
            "user_id": user,
            "author_name": (html.unescape(data.author) or "Anonymous")[:200],
            "author_email": email,
            "author_url": url,
            "ip_address": _ip(data.author_ip),
            "body": body,
            "body_html": body_html,
            "avatar_key": _avatar_key(email),
            "created_at": _when(data, post),
            "meta": meta_dict(data.meta),
        }


@functools.lru_cache(maxsize=4096)
def _avatar_key(email: str) -> str:
    """`avatar_key`, once per commenter (most write more than one comment)."""
    return avatar_key(email)


def _when(data: WxrComment, post: Post) -> datetime:
    found = wp_datetime(data.date_gmt, data.date)
    return found or post.published_at or post.created_at


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _waves(comments: list[tuple[Post, WxrComment]]) -> list[list[tuple[Post, WxrComment]]]:
    """The comments by depth in their threads: top-level first, then their replies…
    (a parent that is missing, or a loop of parents, makes a comment top-level)."""
    by_post: dict[int, dict[str, WxrComment]] = defaultdict(dict)
    for post, comment in comments:
        by_post[post.pk][comment.id] = comment
    waves: dict[int, list[tuple[Post, WxrComment]]] = defaultdict(list)
    for post, comment in comments:
        siblings = by_post[post.pk]
        depth, seen, node = 0, {comment.id}, comment
        while node.parent in siblings and node.parent not in seen:
            seen.add(node.parent)
            node = siblings[node.parent]
            depth += 1
        if node.parent in seen:  # a loop: cut it here
            comment.parent = ""
            depth = 0
        waves[depth].append((post, comment))
    return [waves[depth] for depth in sorted(waves)]
