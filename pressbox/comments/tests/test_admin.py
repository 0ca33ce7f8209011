"""The Django admin's comment list: search and the status filter."""

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select


def author_column(response):
    return [e.text for e in select(response.text, "th", class_="field-author_name")]


def test_comment_list_searches_by_name_and_body(admin_user_client, post):
    CommentFactory(post=post, author_name="Ann", body="Squats hurt my knees")
    CommentFactory(post=post, author_name="Bob", body="Nice")
    response = admin_user_client.get("/admin/comments/comment/", {"q": "knees hurt"})
    assert response.status_code == 200
    assert author_column(response) == ["Ann"]


def test_comment_list_filters_pending_comments(admin_user_client, post):
    CommentFactory(post=post, author_name="Held Hana", status=Comment.Status.PENDING)
    CommentFactory(post=post, author_name="Approved Al")
    response = admin_user_client.get("/admin/comments/comment/?status__exact=pending")
    assert response.status_code == 200
    assert author_column(response) == ["Held Hana"]


def test_approve_action_publishes_the_selected_comments(admin_user_client, post):
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    response = admin_user_client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [held.pk]}
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.APPROVED
