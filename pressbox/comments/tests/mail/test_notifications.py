"""Who is emailed about a comment, through the queue, the worker and a real SMTP server."""

import logging
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressbox.comments import tokens
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, ReplySubscriber
from pressbox.comments.services import comment_moderate
from pressbox.lib.mail import send_email
from pressbox.lib.tests.smtp import SMTPServer, free_port, run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def header(message, name):
    return str(message[name]).strip()  # Django folds long headers onto a new line


def subject(message):
    return header(message, "Subject")


def links(message):
    return re.findall(r"http://\S+", message.get_content())


def test_each_coauthor_hears_of_a_held_comment_with_approve_and_spam_links(submit, smtp, coauthors):
    assert submit().status_code == 303
    run_tasks()
    comment = Comment.objects.get()
    assert {m["To"] for m in smtp.messages} == {"maya@pressbox.example", "tomas@pressbox.example"}
    message = smtp.to("maya@pressbox.example")[0]
    assert subject(message) == "[Pressbox] A comment on “Stronger Knees” is awaiting your approval"
    assert header(message, "Reply-To") == "ann@example.net"
    body = message.get_content()
    for shown in ("Ann Reader", "ann@example.net", "https://ann.example/", "squat tips"):
        assert shown in body
    assert "198.51.100.23" not in message.as_string()
    hash_ = comment.moderation_hash()
    assert f"/2024/05/knees/?unapproved={comment.pk}&moderation-hash={hash_}#comment-" in body
    moderation = [
        tokens.read_moderation(url.rstrip("/").rsplit("/", 1)[1])
        for url in links(message)
        if "/comments/moderate/" in url
    ]
    assert [(m.comment_id, m.user_id, m.action) for m in moderation] == [
        (comment.pk, coauthors[0].pk, "approve"),
        (comment.pk, coauthors[0].pk, "spam"),
    ]
    assert header(message, "List-Unsubscribe").startswith("<http://127.0.0.1:8000/comments/notify/")


def test_an_approved_comment_is_announced_without_an_approve_link(submit, smtp, post):
    CommentFactory(post=post, author_email="ann@example.net")  # known: published at once
    submit()
    run_tasks()
    message = smtp.to("tomas@pressbox.example")[0]
    assert subject(message) == "[Pressbox] New comment on “Stronger Knees”"
    assert "Approve it:" not in message.get_content()
    assert "Mark it as spam:" in message.get_content()


def test_a_coauthor_is_not_told_of_their_own_comment(submit, smtp, coauthors):
    submit(name="Maya", email="Maya@Pressbox.example")
    run_tasks()
    assert [m["To"] for m in smtp.messages] == ["tomas@pressbox.example"]


def test_no_author_email_when_the_owner_or_the_author_turned_them_off(
    submit, smtp, coauthors, site_settings
):
    coauthors[0].profile.notify_comments = False
    coauthors[0].profile.save()
    submit()
    run_tasks()
    assert [m["To"] for m in smtp.messages] == ["tomas@pressbox.example"]
    site_settings.notify_authors = False
    site_settings.save()
    submit(comment="Another thought.")
    run_tasks()
    assert len(smtp.messages) == 1


def test_spam_emails_no_one(submit, smtp):
    submit(url_confirm="http://bot.example/", notify_replies="on")  # the honeypot
    assert Comment.objects.get().status == Comment.Status.SPAM
    run_tasks()
    assert smtp.messages == []


def test_reply_notifications_need_a_confirmed_opt_in_and_stop_on_one_click(
    client, submit, smtp, post
):
    CommentFactory(post=post, author_email="ann@example.net")  # Ann is known: approved
    submit(notify_replies="on")
    run_tasks()
    ann = Comment.objects.latest("pk")
    (confirmation,) = smtp.to("ann@example.net")
    assert "Please confirm" in subject(confirmation)
    confirm_url = next(u for u in links(confirmation) if "/notify/confirm/" in u)

    reply(submit, "Me too!", name="Bo", parent=ann)
    assert len(smtp.to("ann@example.net")) == 1  # not confirmed yet: no reply email

    page = client.post(confirm_url.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and "You’re subscribed" in page.text
    reply(submit, "Me three!", name="Cy", parent=ann)
    notice = smtp.to("ann@example.net")[-1]
    assert subject(notice) == "[Pressbox] Cy replied to your comment"
    assert "Me three!" in notice.get_content()
    assert "cy@example.net" not in notice.as_string()
    assert header(notice, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    unsubscribe = (
        header(notice, "List-Unsubscribe").strip("<>").removeprefix("http://127.0.0.1:8000")
    )

    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    assert ReplySubscriber.objects.get(email="ann@example.net").unsubscribed_at is not None
    reply(submit, "And one more.", name="Di", parent=ann)
    assert len(smtp.to("ann@example.net")) == 2


def reply(submit, text, *, name, parent):
    """A first-time reader's reply (held), then a moderator approves it."""
    submit(comment=text, name=name, email=f"{name.lower()}@example.net", parent=str(parent.pk))
    comment_moderate(comment=Comment.objects.latest("pk"), status=Comment.Status.APPROVED)
    run_tasks()


def test_one_confirmation_a_day_however_often_the_box_is_ticked(submit, smtp):
    submit(notify_replies="on")
    submit(notify_replies="on", comment="A second thought.")
    run_tasks()
    assert len(smtp.to("ann@example.net")) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        submit(notify_replies="on", comment="A third thought.")
        run_tasks()
    assert len(smtp.to("ann@example.net")) == 2


def queued_emails():
    return DBTaskResult.objects.filter(task_path=send_email.module_path, status="READY")


def test_a_down_smtp_server_neither_slows_a_comment_nor_loses_its_email(submit, settings, caplog):
    logging.getLogger("pressbox").addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    server = SMTPServer(port=free_port())  # nothing listens there yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 2
    started = time.monotonic()
    assert submit().status_code == 303
    assert time.monotonic() - started < 1
    run_tasks()
    retries = list(queued_emails())
    assert [r.args_kwargs["kwargs"]["attempt"] for r in retries] == [2, 2]
    for retry in retries:
        assert timedelta(seconds=25) < retry.run_after - timezone.now() <= timedelta(seconds=30)

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        run_tasks()  # still down: the third attempt waits 2 minutes
    assert [r.args_kwargs["kwargs"]["attempt"] for r in queued_emails()] == [3, 3]

    server.start()
    try:
        run_tasks()  # not due yet
        assert server.mailbox.messages == []
        with time_machine.travel(timezone.now() + timedelta(minutes=3)):
            run_tasks()
        run_tasks()
        assert sorted(m["To"] for m in server.mailbox.messages) == [
            "maya@pressbox.example",
            "tomas@pressbox.example",
        ]
    finally:
        server.stop()
        logging.getLogger("pressbox").removeHandler(caplog.handler)
    assert not queued_emails().exists()
    ours = [r for r in caplog.records if r.name != "mail.log"]  # not the test's SMTP server
    assert any("attempt 2 of 11" in r.getMessage() for r in ours if r.levelno == logging.WARNING)
    logged = "\n".join(r.getMessage() for r in ours)
    assert "@" not in logged and "198.51.100.23" not in logged
