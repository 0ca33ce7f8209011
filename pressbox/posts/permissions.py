"""What one person may do to one post, by role (see pressbox.accounts.roles).

Contributors edit their own posts until they are published; authors also publish and
edit their own published posts; editors and administrators act on anyone's.
"""

from __future__ import annotations

from pressbox.accounts.models import User
from pressbox.posts.models import Post


def is_coauthor(user: User, post: Post) -> bool:
    return post.pk is not None and post.post_authors.filter(author=user).exists()


def can_edit_post(user: User, post: Post) -> bool:
    if not user.is_active:
        return False
    if user.has_perm("posts.edit_others_post"):
        return True
    if not user.has_perm("posts.change_post"):
        return False
    if post.pk is None or is_coauthor(user, post):
        return post.status not in Post.LIVE or user.has_perm("posts.publish_post")
    return False


def can_publish_post(user: User, post: Post) -> bool:
    return can_edit_post(user, post) and user.has_perm("posts.publish_post")


def can_delete_post(user: User, post: Post) -> bool:
    if user.has_perm("posts.edit_others_post") and user.has_perm("posts.delete_post"):
        return True
    return user.has_perm("posts.delete_post") and can_edit_post(user, post)
