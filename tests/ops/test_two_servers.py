"""Two `pressbox serve` processes on one PostgreSQL and one Redis (issue 8).

What a writer changes through one server, a reader sees through the other at once
(both page caches live in Redis and are invalidated there), and the two task workers
share the queue without ever sending an email twice.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from pressbox.lib.tests.smtp import Mailbox, SMTPServer
from tests.ops.ops import NEEDS_POSTGRES, ON_POSTGRES, PASSWORD, Browser, FormFields

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason=NEEDS_POSTGRES)

HELD = "Held: do knee sleeves help?"


class SlowMailbox(Mailbox):
    """A mail server that takes a moment per message, as real ones do, so that both
    workers have a share of the queue."""

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def smtp_server():
    server = SMTPServer()
    server.mailbox = SlowMailbox()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def servers(module_site, smtp_server):
    """Servers A and B, each with its web workers and its task worker."""
    module_site.env["PRESSBOX_EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    a, b = module_site.serve(wait=False), module_site.serve(wait=False)
    a.wait_up()
    b.wait_up()
    return a, b


def test_a_comment_approved_through_one_server_shows_at_once_on_the_other(module_site, servers):
    a, b = servers
    b.get(module_site.post_path)
    cached = b.get(module_site.post_path)
    assert cached.header("x-cache") == "HIT"
    assert HELD not in cached.body

    editor = Browser(a.port)
    editor.sign_in("ed", PASSWORD)
    held_id = module_site.info["held_id"]
    approved = editor.post_form(f"/dashboard/comments/{held_id}/moderate/", {"status": "approved"})
    assert approved.status == 302

    shown = b.get(module_site.post_path)
    assert HELD in shown.body
    assert shown.header("x-cache") == "MISS"


def test_site_settings_saved_through_one_server_show_at_once_on_the_other(module_site, servers):
    a, b = servers
    b.get("/")
    before = b.get("/")
    assert (before.header("x-cache"), "Ops Test Blog" in before.body) == ("HIT", True)

    editor = Browser(a.port)
    editor.sign_in("ed", PASSWORD)
    form = FormFields(editor.request("GET", "/dashboard/settings/").body).form_with("title")
    form["title"] = ["Knees Weekly"]
    assert editor.post_form("/dashboard/settings/", form).status == 302

    after = b.get("/")
    assert "Knees Weekly" in after.body
    assert "Ops Test Blog" not in after.body


def test_queued_emails_are_sent_exactly_once_by_the_two_task_workers(
    module_site, servers, smtp_server
):
    count = 40
    module_site.pressbox(
        "shell",
        "--no-imports",
        "-c",
        "from pressbox.lib.mail import queue_email\n"
        f"for i in range({count}):\n"
        "    queue_email(to=[f'reader{i}@example.net'], subject=f'Exactly once {i}', "
        "text='Hello.', kind='test')",
    )
    mailbox = smtp_server.mailbox

    def ours():
        return sorted(m["Subject"] for m in mailbox.messages if "Exactly once" in m["Subject"])

    deadline = time.monotonic() + 60
    while len(ours()) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # a second copy of any of them would arrive meanwhile
    assert ours() == sorted(f"Exactly once {i}" for i in range(count))

    tasks = [
        (status, ids)
        for status, args, ids in module_site.tasks("pressbox.lib.mail.send_email")
        if "Exactly once" in args["args"][0]["subject"]
    ]
    assert [status for status, _ in tasks] == ["SUCCESSFUL"] * count
    assert all(len(ids) == 1 for _, ids in tasks)  # each taken by one worker, once
    assert len({ids[0] for _, ids in tasks}) == 2  # and both workers took part
