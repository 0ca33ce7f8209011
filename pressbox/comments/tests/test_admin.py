"""The moderation queue in the Django admin: tabs and counts, one-click buttons, reply,
bulk actions, permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pressbox.accounts.models import User
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.spam import bayes
from pressbox.lib.tests.html import select, select_one, visible_text

Status = Comment.Status
LIST = "/admin/comments/comment/"


def author_column(response):
    return [e.text for e in select(response.text, "th", class_="field-author_name")]


@pytest.fixture
def viewer(client, db):
    """Staff who may look at comments but not change them."""
    user = User.objects.create_user("viewer", "viewer@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(user)
    return client


def test_comment_list_searches_by_name_and_body(admin_user_client, post):
    CommentFactory(post=post, author_name="Ann", body="Squats hurt my knees")
    CommentFactory(post=post, author_name="Bob", body="Nice")
    response = admin_user_client.get(LIST, {"q": "knees hurt"})
    assert response.status_code == 200
    assert author_column(response) == ["Ann"]


def test_the_queue_opens_on_pending_comments_with_a_count_per_status(admin_user_client, post):
    CommentFactory(post=post, author_name="Held Hana", status=Status.PENDING)
    CommentFactory(post=post, author_name="Approved Al")
    CommentFactory.create_batch(2, post=post, status=Status.SPAM)
    response = admin_user_client.get(LIST)
    assert author_column(response) == ["Held Hana"]
    tabs = select_one(response.text, "ul", class_="comment-status-tabs").text
    assert tabs == "Pending (1) | Approved (1) | Spam (2) | Trash (0) | All (4)"
    assert "Spam classifier: learnt from 0 spam and 0 good comments" in visible_text(response.text)


def test_a_tab_lists_its_status(admin_user_client, post):
    CommentFactory(post=post, author_name="Held Hana", status=Status.PENDING)
    CommentFactory(post=post, author_name="Approved Al")
    assert author_column(admin_user_client.get(f"{LIST}?status__exact=approved")) == ["Approved Al"]
    assert len(author_column(admin_user_client.get(f"{LIST}?status__exact=all"))) == 2


def test_each_row_shows_its_reason_score_buttons_and_reply_link(admin_user_client, post):
    held = CommentFactory(post=post, status=Status.PENDING, status_reason="first comment",
                          spam_score=0.123)  # fmt: skip
    html = admin_user_client.get(LIST).text
    assert select_one(html, "td", class_="field-status_reason").text == "first comment"
    assert select_one(html, "td", class_="field-spam_percent").text == "12%"
    buttons = select(html, "button", formaction=f"{LIST}{held.pk}/moderate/", formmethod="post")
    assert [(b.attrs["value"], b.text) for b in buttons] == [
        ("approved", "Approve"), ("spam", "Spam"), ("trash", "Trash"),
    ]  # fmt: skip
    assert select_one(html, "a", href=f"{LIST}{held.pk}/reply/").text == "Reply"


def test_one_click_spam_marks_teaches_and_returns_to_the_same_list(admin_user_client, post):
    held = CommentFactory(post=post, status=Status.PENDING)
    back = f"http://testserver{LIST}?status__exact=pending&p=2"
    response = admin_user_client.post(
        f"{LIST}{held.pk}/moderate/", {"status": "spam"}, HTTP_REFERER=back
    )
    assert (response.status_code, response["Location"]) == (302, back)
    held.refresh_from_db()
    assert (held.status, held.status_reason, held.trained_as) == (
        Status.SPAM, "marked as spam by admin", "spam",
    )  # fmt: skip


def test_one_click_needs_a_post_a_known_status_and_a_safe_way_back(admin_user_client, post):
    held = CommentFactory(post=post, status=Status.PENDING)
    url = f"{LIST}{held.pk}/moderate/"
    assert admin_user_client.get(url).status_code == 405
    assert admin_user_client.post(url, {"status": "gone"}).status_code == 400
    response = admin_user_client.post(
        url, {"status": "approved"}, HTTP_REFERER="https://evil.example/"
    )
    assert response["Location"] == LIST
    assert admin_user_client.post(f"{LIST}99999/moderate/", {"status": "spam"}).status_code == 404


def test_reply_shows_the_comment_and_publishes_the_reply(admin_user_client, post):
    held = CommentFactory(post=post, status=Status.PENDING, author_name="Ann", body="*Hi* there")
    page = admin_user_client.get(f"{LIST}{held.pk}/reply/")
    assert "<em>Hi</em> there" in page.text
    assert select_one(page.text, "textarea", name="body")
    response = admin_user_client.post(f"{LIST}{held.pk}/reply/", {"body": "Welcome, Ann!"})
    assert (response.status_code, response["Location"]) == (302, LIST)
    reply = Comment.objects.get(parent=held)
    assert (reply.body, reply.status, reply.user.username) == ("Welcome, Ann!", "approved", "admin")
    assert Comment.objects.get(pk=held.pk).status == Status.APPROVED


def test_an_empty_reply_or_one_to_spam_is_refused_with_the_reason(admin_user_client, post):
    spam = CommentFactory(post=post, status=Status.SPAM)
    response = admin_user_client.post(f"{LIST}{spam.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 200
    assert "Restore this comment before replying to it." in response.text
    response = admin_user_client.post(f"{LIST}{spam.pk}/reply/", {"body": " "})
    assert "This field is required." in response.text
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "action, status, reason",
    [
        ("approve", Status.APPROVED, "approved by admin"),
        ("mark_spam", Status.SPAM, "marked as spam by admin"),
        ("trash", Status.TRASH, "moved to the trash by admin"),
    ],
)
def test_bulk_actions_moderate_each_comment(admin_user_client, post, action, status, reason):
    held = CommentFactory.create_batch(2, post=post, status=Status.PENDING)
    response = admin_user_client.post(
        LIST, {"action": action, "_selected_action": [c.pk for c in held]}, follow=True
    )
    assert f"2 comments were {reason.removesuffix(' by admin')}." in visible_text(response.text)
    assert set(Comment.objects.values_list("status", "status_reason")) == {(status, reason)}
    learnt = bayes.state()
    assert (learnt.spam_documents, learnt.ham_documents) == {
        "approve": (0, 2), "mark_spam": (2, 0), "trash": (0, 0),
    }[action]  # fmt: skip


def test_delete_permanently_asks_first_then_deletes(admin_user_client, post):
    spam = CommentFactory(post=post, status=Status.SPAM)
    form = {"action": "delete_selected", "_selected_action": [spam.pk]}
    spam_tab = f"{LIST}?status__exact=spam"
    assert "Delete selected comments permanently" in admin_user_client.get(spam_tab).text
    assert "Are you sure you want to delete" in admin_user_client.post(spam_tab, form).text
    assert Comment.objects.exists()
    admin_user_client.post(spam_tab, {**form, "post": "yes"})
    assert not Comment.objects.exists()


def test_changing_the_status_in_the_edit_form_is_a_moderation(admin_user_client, post):
    comment = CommentFactory(post=post, status=Status.PENDING)
    page = admin_user_client.get(f"{LIST}{comment.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(status="spam", post=post.pk, created_at_0="2024-05-14", created_at_1="10:00")
    response = admin_user_client.post(f"{LIST}{comment.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comment.refresh_from_db()
    assert (comment.status_reason, comment.trained_as) == ("marked as spam by admin", "spam")


def test_staff_without_the_change_permission_get_403(viewer, post):
    held = CommentFactory(post=post, status=Status.PENDING)
    assert viewer.get(LIST).status_code == 200
    assert viewer.post(f"{LIST}{held.pk}/moderate/", {"status": "spam"}).status_code == 403
    assert viewer.get(f"{LIST}{held.pk}/reply/").status_code == 403
    assert viewer.post(f"{LIST}{held.pk}/reply/", {"body": "Hi"}).status_code == 403
    viewer.post(LIST, {"action": "approve", "_selected_action": [held.pk]})
    assert Comment.objects.get().status == Status.PENDING


def test_a_post_without_the_csrf_token_is_refused(admin_user, post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    held = CommentFactory(post=post, status=Status.PENDING)
    assert client.post(f"{LIST}{held.pk}/moderate/", {"status": "spam"}).status_code == 403
    assert client.post(f"{LIST}{held.pk}/reply/", {"body": "Hi"}).status_code == 403
    assert Comment.objects.get().status == Status.PENDING


def test_the_queue_costs_the_same_queries_for_5_or_25_comments(
    admin_user_client, post, django_assert_num_queries
):
    CommentFactory.create_batch(5, post=post, status=Status.PENDING)
    admin_user_client.get(LIST)  # warm the caches
    with CaptureQueriesContext(connection) as few:
        admin_user_client.get(LIST)
    CommentFactory.create_batch(20, post=post, status=Status.PENDING)
    with django_assert_num_queries(len(few)):
        admin_user_client.get(LIST)
