"""The mail server down while `pressbox serve` runs (issue 8): comments are accepted at
once, their emails wait in the queue, and they go out once the mail server is back,
each once. (pressbox/comments/tests/mail covers the back-off schedule in-process.)"""

from __future__ import annotations

import time

from pressbox.lib.tests.smtp import SMTPServer
from tests.ops.ops import comment_form

SEND = "pressbox.lib.mail.send_email"


def wait_for(check, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_emails_wait_while_the_mail_server_is_down_and_go_out_once_it_is_back(site):
    smtp = SMTPServer()  # nothing listens on its port until start()
    site.env["PRESSBOX_EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    server = site.serve()
    token = site.form_token()
    texts = [f"Comment {i} while the mail server is down." for i in range(3)]

    for i, text in enumerate(texts):
        reply = server.post(f"/comments/post/{site.post_id}/", comment_form(token, text, i))
        assert reply.status == 303
        assert reply.seconds < 5  # nobody waits for the mail server

    def retries():  # each email's first attempt failed and it was queued again
        tasks = site.tasks(SEND)
        return [args for status, args, _ in tasks if status == "READY"]

    wait_for(lambda: [args["kwargs"]["attempt"] for args in retries()] == [2, 2, 2])
    assert all(status != "FAILED" for status, _, _ in site.tasks(SEND))
    assert server.alive()

    smtp.start()
    try:
        # The next attempt is due 30 s later (the back-off); bring it forward.
        site.db.query(
            "UPDATE django_tasks_database_dbtaskresult SET run_after = '2000-01-01 00:00:00' "
            "WHERE status = 'READY' AND task_path = %s",
            (SEND,),
        )
        wait_for(lambda: len(smtp.mailbox.messages) >= 3)
        time.sleep(2)  # a duplicate would arrive meanwhile
    finally:
        smtp.stop()

    messages = smtp.mailbox.messages
    assert [m["To"] for m in messages] == ["maya@pressbox.example"] * 3
    bodies = [m.get_body(("plain",)).get_content() for m in messages]
    assert sorted(next(t for t in texts if t in body) for body in bodies) == texts
    assert retries() == []
