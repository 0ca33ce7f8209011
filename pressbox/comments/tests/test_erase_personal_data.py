"""`pressbox erase_personal_data EMAIL [--yes]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, ReplySubscriber


def run(*args):
    out = StringIO()
    call_command("erase_personal_data", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def ann(post):
    CommentFactory(post=post, author_email="ann@example.net", body="Keep my words")
    ReplySubscriber.objects.create(email="ann@example.net")


def test_yes_erases_and_reports_the_counts(ann):
    assert run("ann@example.net", "--yes") == ("Anonymised 1 comment; reply subscription: deleted.")
    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email, comment.body) == (
        "Anonymous",
        "",
        "Keep my words",
    )
    assert not ReplySubscriber.objects.exists()


def test_without_yes_and_without_a_terminal_it_asks_for_yes(ann):
    with pytest.raises(CommandError, match=r"^Add --yes to erase without being asked\.$"):
        run("ann@example.net")
    assert Comment.objects.get().author_email == "ann@example.net"


def test_a_no_at_the_prompt_erases_nothing(ann, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match=r"^Nothing was erased\.$"):
        run("ann@example.net")
    assert ReplySubscriber.objects.exists()


def test_a_yes_at_the_prompt_erases(ann, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert run("ann@example.net").startswith("Anonymised 1 comment")


def test_a_bad_address_stops_with_one_sentence(db):
    with pytest.raises(CommandError, match=r"is not an email address\.$"):
        run("nope", "--yes")
