"""`{% entry_summary post %}`: a post's card in a list (posts/_entry_summary.html).

The card is the same on every list the post appears on (home, its categories, tags,
authors, year and month). A static export writes all of those lists at once, so it
renders each post's card once and reuses it (`StaticOptions.fragments`, one export's
memory; issue 7): about seven renders of a card become one. A live request renders
its ten cards as they are.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from pressbox.posts.models import Post

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_summary(context: template.Context, post: Post) -> SafeString:
    export = getattr(context.get("request"), "static_export", None)
    kept: dict[object, str] | None = getattr(export, "fragments", None)
    key = ("entry_summary", post.pk)
    if kept is not None and key in kept:
        return mark_safe(kept[key])  # noqa: S308  (rendered, escaped, by the template below)
    card = context.template.engine.get_template("posts/_entry_summary.html")  # type: ignore[union-attr]
    with context.push(post=post):
        html = card.render(context)
    if kept is not None:
        kept[key] = html
    return mark_safe(html)  # noqa: S308  (the template's own escaped output)
