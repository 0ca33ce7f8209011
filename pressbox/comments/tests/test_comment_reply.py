"""comment_reply: a moderator's reply from the queue."""

import pytest

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.comments import notifications
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.services import comment_reply

Status = Comment.Status


@pytest.fixture
def moderator(db):
    return AuthorProfileFactory(
        user__username="umer", user__email="umer@example.com", display_name="Umer",
        website="https://umer.example/",
    ).user  # fmt: skip


def test_the_reply_is_published_under_the_moderators_profile(
    post, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    posted = []
    monkeypatch.setattr(notifications, "comment_posted", posted.append)
    parent = CommentFactory(post=post)
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_reply(parent=parent, body="  Thanks, Ann!  ", by=moderator)
    stored = Comment.objects.get(parent=parent)
    assert (stored.status, stored.user, stored.body) == (Status.APPROVED, moderator, "Thanks, Ann!")
    assert (stored.author_name, stored.author_email) == ("Umer", "umer@example.com")
    assert stored.author_url == "https://umer.example/"
    assert posted == [reply]


def test_replying_to_a_held_comment_approves_it_first(post, moderator):
    held = CommentFactory(post=post, status=Status.PENDING)
    comment_reply(parent=held, body="Welcome!", by=moderator)
    held.refresh_from_db()
    assert (held.status, held.status_reason) == (Status.APPROVED, "approved by umer")


@pytest.mark.parametrize("status, body", [(Status.SPAM, "Hi"), (Status.APPROVED, "   ")])
def test_spam_or_an_empty_reply_is_refused_and_nothing_stored(post, moderator, status, body):
    parent = CommentFactory(post=post, status=status)
    with pytest.raises(ValueError):
        comment_reply(parent=parent, body=body, by=moderator)
    assert Comment.objects.count() == 1
