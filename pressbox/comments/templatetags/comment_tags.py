"""`{% comment_threads threads %}`: a post page's comments, threaded, as HTML.

The markup each comment gets (WordPress's `wp_list_comments` classes, which themes and
the seed page use) is written here in Python rather than in a template included once
per comment: with Django's engine, the include and its fifteen lookups cost about
150 µs per comment, half of a 50-comment post page's render; the same markup built
from strings costs a few µs (issue 7; `bench/serve.py` measures the page).

Everything a person typed is escaped here: the name (`shown_name`), the website
(`author_url`, http(s) only since `Comment.save`); the body is `body_html`, already
sanitised with nh3 when the comment was saved. `comments.pages.dress` has worked out
the avatar address, the shown name and the dates.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pressbox.comments.models import Comment
from pressbox.comments.threads import Node

register = template.Library()

APPROVED = Comment.Status.APPROVED
HELD_NOTICE = (
    '<p class="comment-awaiting-moderation">Your comment is awaiting moderation. '
    "Only you can see it until it is approved.</p>"
)


@register.simple_tag(takes_context=True)
def comment_threads(context: template.Context, threads: Sequence[Node]) -> SafeString:
    """The `<li>` of each thread; Reply links only while the post takes comments and
    the page has a form to reply with (a static export without `--comments-url` has
    none)."""
    export = getattr(context.get("request"), "static_export", None)
    replies = bool(context.get("comments_open")) and not getattr(export, "no_comment_form", False)
    parts: list[str] = []
    for node in threads:
        _render(node, parts, replies)
    return mark_safe("".join(parts))  # noqa: S308  (every typed part escaped above)


def _render(node: Node, parts: list[str], replies: bool) -> None:
    # Line breaks where the theme's markup had them: between inline elements they are
    # the spaces a reader sees (between the name and the date).
    comment = node.comment
    anchor = f"comment-{comment.pk}"
    approved = comment.status == APPROVED
    name = escape(comment.shown_name)
    if comment.author_url:
        author = f'<a href="{escape(comment.author_url)}" rel="external nofollow ugc">{name}</a>'
    else:
        author = name
    held = "" if approved else " comment-held"
    parts.append(
        f'<li id="{anchor}" class="comment depth-{node.depth}{held}">\n'
        f'<article class="comment-body" aria-labelledby="{anchor}-author">\n'
        '<footer class="comment-meta">\n'
        f'<img class="avatar" src="{escape(comment.avatar_src)}" alt="" width="48" height="48"'
        ' loading="lazy">\n<div class="comment-meta-text">\n'
        f'<b class="comment-author" id="{anchor}-author">{author}</b>\n'
        f'<a class="comment-permalink" href="#{anchor}"><time datetime="{comment.iso_at}">'
        f"{escape(comment.shown_at)}</time></a>\n</div>\n</footer>\n"
    )
    if not approved:
        parts.append(HELD_NOTICE + "\n")
    parts.append(f'<div class="comment-content">{comment.body_html}</div>\n')
    if approved and replies:
        parts.append(
            f'<p class="reply"><a class="comment-reply-link" href="?replytocom={comment.pk}'
            f'#respond" aria-label="Reply to {name}" data-comment-id="{comment.pk}"'
            f' data-author="{name}">Reply</a></p>\n'
        )
    parts.append("</article>\n")
    if node.children:
        parts.append('<ol class="children">\n')
        for child in node.children:
            _render(child, parts, replies)
        parts.append("</ol>\n")
    parts.append("</li>\n")
