"""pressbox.comments.privacy: IP anonymisation, personal-data export and erasure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, ReplySubscriber
from pressbox.comments.privacy import ip_anonymize, personal_data_erase, personal_data_export
from pressbox.lib.avatars import avatar_key
from pressbox.posts.factories import PostFactory


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def test_ip_anonymize_clears_ip_and_user_agent_of_old_comments_only(post):
    old = CommentFactory(post=post, created_at=days_ago(31))
    recent = CommentFactory(post=post, created_at=days_ago(29))
    assert ip_anonymize(older_than_days=30) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.7", "Mozilla/5.0 (test)")
    assert old.body == "Great post -- thanks!"


def test_ip_anonymize_counts_only_comments_it_changed(post):
    CommentFactory(post=post, created_at=days_ago(40), ip_address=None, user_agent="")
    CommentFactory(post=post, created_at=days_ago(40), ip_address=None)
    assert ip_anonymize(older_than_days=30) == 1
    assert ip_anonymize(older_than_days=30) == 0


def test_ip_anonymize_refuses_negative_days(db):
    with pytest.raises(ValueError, match="cannot be negative"):
        ip_anonymize(older_than_days=-1)


@pytest.fixture
def ann(post, settings):
    settings.SITE_URL = "https://blog.example"
    other_post = PostFactory(title="Rest days", slug="rest")
    CommentFactory(
        post=post,
        author_name="Ann",
        author_email="ann@example.net",
        author_url="https://ann.example/",
        body="First!",
        ip_address="198.51.100.23",
        user_agent="AnnBrowser/1",
        created_at=days_ago(3),
    )
    CommentFactory(post=other_post, author_name="A.", author_email="ANN@example.net", status="spam")
    CommentFactory(post=post, author_email="bob@example.net", author_name="Bob")
    ReplySubscriber.objects.create(email="ann@example.net", confirmed_at=timezone.now())
    return "Ann@Example.net"


def test_export_holds_every_comment_by_the_address_whatever_its_case(ann, post):
    data = personal_data_export(email=ann)
    assert data["email"] == "ann@example.net"
    assert [c["name"] for c in data["comments"]] == ["Ann", "A."]
    first = data["comments"][0]
    assert first["post_title"] == "Stronger Knees"
    assert first["post_url"] == "https://blog.example/2024/05/knees/"
    assert first["comment_url"].startswith("https://blog.example/2024/05/knees/#comment-")
    assert (first["email"], first["website"], first["body"]) == (
        "ann@example.net",
        "https://ann.example/",
        "First!",
    )
    assert (first["ip_address"], first["user_agent"]) == ("198.51.100.23", "AnnBrowser/1")
    assert first["status"] == "approved"
    assert data["comments"][1]["status"] == "spam"
    assert data["reply_subscription"]["active"] is True


def test_export_of_an_unknown_address_is_empty(db):
    data = personal_data_export(email="nobody@example.net")
    assert (data["comments"], data["reply_subscription"]) == ([], None)


def test_erase_anonymises_the_comments_keeps_their_text_and_deletes_the_subscription(ann):
    erased = personal_data_erase(email=ann)
    assert (erased.comments, erased.subscriptions) == (2, 1)
    first = Comment.objects.get(body="First!")
    assert (first.author_name, first.author_email, first.author_url) == ("Anonymous", "", "")
    assert (first.ip_address, first.user_agent, first.user) == (None, "", None)
    assert first.avatar_key == avatar_key("")
    assert not ReplySubscriber.objects.exists()
    assert Comment.objects.get(author_name="Bob").author_email == "bob@example.net"
    assert not Comment.objects.filter(author_email__iexact="ann@example.net").exists()


def test_erase_twice_finds_nothing_the_second_time(ann):
    personal_data_erase(email=ann)
    erased = personal_data_erase(email=ann)
    assert (erased.comments, erased.subscriptions) == (0, 0)


@pytest.mark.parametrize("email", ["", "   ", "not-an-address", "%"])
def test_a_bad_address_is_refused_and_nothing_is_erased(ann, email):
    with pytest.raises(ValueError, match="is not an email address"):
        personal_data_erase(email=email)
    assert Comment.objects.filter(author_name="Anonymous").count() == 0
