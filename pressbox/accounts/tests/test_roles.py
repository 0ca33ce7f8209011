"""Roles as WordPress has them: what each may do to posts, role by role."""

import pytest

from pressbox.accounts.factories import UserFactory
from pressbox.accounts.roles import Role, role_assign, role_of
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.posts.permissions import can_delete_post, can_edit_post, can_publish_post


def person(role):
    user = UserFactory()
    role_assign(user=user, role=role)
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


@pytest.mark.parametrize(
    ("role", "own_draft", "own_live", "others", "publish"),
    [
        (Role.CONTRIBUTOR, True, False, False, False),
        (Role.AUTHOR, True, True, False, True),
        (Role.EDITOR, True, True, True, True),
        (Role.ADMINISTRATOR, True, True, True, True),
    ],
)
def test_each_role_may_do_what_wordpress_allows(db, role, own_draft, own_live, others, publish):
    user = person(role)
    draft = PostFactory(status=Post.Status.DRAFT, authors=[user])
    live = PostFactory(authors=[user])
    someone_elses = PostFactory(status=Post.Status.DRAFT)
    assert can_edit_post(user, draft) is own_draft
    assert can_edit_post(user, live) is own_live
    assert can_edit_post(user, someone_elses) is others
    assert can_publish_post(user, draft) is publish


def test_contributor_cannot_delete_and_editor_can_delete_anyones(db):
    post = PostFactory()
    assert not can_delete_post(person(Role.CONTRIBUTOR), post)
    assert can_delete_post(person(Role.EDITOR), post)


def test_a_user_holds_one_role_and_staff_status_follows_it(db):
    user = UserFactory()
    role_assign(user=user, role=Role.EDITOR)
    role_assign(user=user, role=Role.AUTHOR)
    assert role_of(user) == Role.AUTHOR
    assert user.groups.count() == 1
    assert not user.is_staff


def test_a_user_without_a_role_may_edit_nothing(db):
    assert not can_edit_post(UserFactory(), PostFactory(status=Post.Status.DRAFT))
    assert role_of(UserFactory()) is None


def test_superuser_counts_as_administrator(db):
    admin = UserFactory(is_superuser=True)
    assert role_of(admin) == Role.ADMINISTRATOR
