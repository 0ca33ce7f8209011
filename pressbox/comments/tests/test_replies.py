"""Replying: ?replytocom=<id> on the post page, then the reply posted as a child comment."""

import pytest
from pytest_django.asserts import assertContains

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select_one, visible_text
from pressbox.posts.factories import PostFactory


@pytest.fixture
def ann(post):
    return CommentFactory(post=post, author_name="Ann", author_email="ann@example.net")


def test_replytocom_prefills_the_parent_and_says_who_is_answered(client, ann):
    response = client.get(f"/2024/05/knees/?replytocom={ann.pk}")
    assert select_one(response.text, "input", name="parent").attrs["value"] == str(ann.pk)
    heading = select_one(response.text, "h2", id="reply-title")
    assert heading.text.startswith("Reply to Ann")
    assert select_one(response.text, "a", id="cancel-comment-reply-link")


def test_posting_the_reply_creates_a_child_comment_nested_under_its_parent(client, ann, typed):
    response = client.post(f"/comments/post/{ann.post_id}/", {**typed, "parent": ann.pk})
    reply = Comment.objects.get(parent=ann)
    assert response.status_code == 303
    reply.status = Comment.Status.APPROVED
    reply.save()
    html = client.get("/2024/05/knees/").text
    assert select_one(html, "li", id=f"comment-{reply.pk}").inside("li", id=f"comment-{ann.pk}")


@pytest.mark.parametrize("value", ["abc", "", "0", "99999999999999999999", "²"])
def test_odd_replytocom_values_fall_back_to_leave_a_reply(client, ann, value):
    response = client.get("/2024/05/knees/", {"replytocom": value})
    assert response.status_code == 200
    assert "Leave a Reply" in visible_text(response.text)
    assert not select_one(response.text, "input", name="parent").attrs.get("value")


def test_replytocom_ignores_a_held_comment_or_one_from_another_post(client, post):
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    other = CommentFactory(post=PostFactory())
    for comment in (held, other):
        response = client.get(f"/2024/05/knees/?replytocom={comment.pk}")
        assertContains(response, "Leave a Reply")
        assert not select_one(response.text, "input", name="parent").attrs.get("value")


def test_replies_deeper_than_the_site_depth_attach_at_the_deepest_level(
    client, post, site_settings
):
    site_settings.comment_depth = 2
    site_settings.save()
    a = CommentFactory(post=post)
    b = CommentFactory(post=post, parent=a)
    c = CommentFactory(post=post, parent=b)
    html = client.get("/2024/05/knees/").text
    c_li = select_one(html, "li", id=f"comment-{c.pk}")
    assert c_li.inside("li", id=f"comment-{a.pk}")
    assert not c_li.inside("li", id=f"comment-{b.pk}")
    assert Comment.objects.get(pk=c.pk).parent_id == b.pk
