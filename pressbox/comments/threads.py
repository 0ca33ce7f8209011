"""Turn a post's flat list of comments into the nested threads a page shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pressbox.comments.models import Comment


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list[Node] = field(default_factory=list)


def build_threads(comments: Iterable[Comment], *, max_depth: int = 5) -> list[Node]:
    """Nest comments under their parents, oldest first, in one pass and no queries.

    A reply deeper than `max_depth` is shown at the deepest level, under the nearest
    ancestor that is still shown. A reply whose parent is not in the list (held, spam,
    trashed) is shown at the top level rather than lost.
    """
    max_depth = max(1, max_depth)
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in sorted(comments, key=lambda c: (c.created_at, c.pk)):
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        while parent is not None and parent.depth >= max_depth:
            parent = nodes.get(parent.comment.parent_id) if parent.comment.parent_id else None
        if parent is None:
            node = Node(comment, 1)
            roots.append(node)
        else:
            node = Node(comment, parent.depth + 1)
            parent.children.append(node)
        nodes[comment.pk] = node
    return roots
