"""queue_email and the send_email task: queued in the database, sent by the worker."""

import logging
import smtplib
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult

from pressbox.lib.mail import (
    MAX_ATTEMPTS,
    is_permanent,
    queue_email,
    retry_delay,
    send_email,
)
from pressbox.lib.tests.smtp import free_port, run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_queue_email_only_queues_and_the_worker_sends(smtp):
    queue_email(to=["ann@example.net"], subject="Hello", text="Hi Ann.", kind="test")
    (row,) = DBTaskResult.objects.all()
    assert (row.task_path, row.status) == ("pressbox.lib.mail.send_email", "READY")
    assert smtp.messages == []
    run_tasks()
    (message,) = smtp.messages
    assert (message["To"], message["Subject"]) == ("ann@example.net", "Hello")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@127.0.0.1>")
    assert message.get_content() == "Hi Ann.\n"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_an_unsubscribe_url_adds_the_one_click_headers_and_a_last_line(smtp):
    url = "https://blog.example/comments/notify/unsubscribe/abc/"
    queue_email(to=["ann@example.net"], subject="Hi", text="Body", unsubscribe_url=url)
    run_tasks()
    (message,) = smtp.messages
    assert message["List-Unsubscribe"].strip() == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content().endswith(f"\n-- \nTo stop these emails, open {url}\n")


def test_html_goes_as_an_alternative(smtp):
    queue_email(to=["ann@example.net"], subject="Hi", text="Plain", html="<p>Rich</p>")
    run_tasks()
    (message,) = smtp.messages
    assert message.get_body(("plain",)).get_content() == "Plain\n"
    assert message.get_body(("html",)).get_content().strip() == "<p>Rich</p>"


def test_retries_back_off_to_twelve_hours_for_about_three_days():
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 120, 600, 3600)]
    assert delays[-1] == timedelta(hours=12)
    assert timedelta(days=2.5) < sum(delays, timedelta()) < timedelta(days=3)


def test_the_last_attempt_gives_up_and_says_why_without_the_address(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # closed
    message = {"to": ["ann@example.net"], "subject": "Hi", "text": "x", "headers": {}}
    send_email.enqueue({**message, "kind": "test"}, attempt=MAX_ATTEMPTS)
    logging.getLogger("pressbox").addHandler(caplog.handler)
    try:
        run_tasks()
    finally:
        logging.getLogger("pressbox").removeHandler(caplog.handler)
    (row,) = DBTaskResult.objects.all()
    assert row.status == "FAILED"
    assert row.exception_class_path == "pressbox.lib.mail.EmailNotDelivered"
    assert "ann@example.net" not in row.traceback
    assert "Gave up on a test email after attempt 11: ConnectionRefusedError." in caplog.messages
    assert not any("ann@" in line for line in caplog.messages)


class Refuser:
    async def handle_RCPT(self, server, session, envelope, address, options):
        return "550 5.1.1 No such mailbox"


def test_a_refused_recipient_is_not_retried(settings):
    controller = Controller(Refuser(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        queue_email(to=["nobody@example.net"], subject="Hi", text="x")
        run_tasks()
    finally:
        controller.stop()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]


def test_only_a_5xx_refusal_is_permanent():
    assert is_permanent(smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no")}))
    assert not is_permanent(smtplib.SMTPRecipientsRefused({"a@b.c": (451, b"later")}))
    assert not is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not is_permanent(ConnectionRefusedError())
