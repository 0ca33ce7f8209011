"""A real SMTP server for tests (aiosmtpd on 127.0.0.1), and the real task worker.

Import the fixtures into a conftest.py (`from pressbox.lib.tests.smtp import smtp`);
`smtp` points Django's SMTP backend at a fresh server and yields its `Mailbox`.
`run_tasks()` runs every task that is due, as `pressbox db_worker --batch` does, so
tests go through the database queue, never an immediate backend. Tests using it need
`transactional_db`: the worker closes and reopens database connections.
"""

from __future__ import annotations

import email
import email.policy
import signal
import socket
import threading
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        content = envelope.content.replace(b"\r\n", b"\n")  # as it was before the wire
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self.arrived:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(message)  # type: ignore[arg-type]
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 20) -> list[EmailMessage]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


class SMTPServer:
    """aiosmtpd in a thread on 127.0.0.1; `start()` again after `stop()` reuses the port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """A running SMTP server that Django sends to; yields its Mailbox."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server.mailbox
    server.stop()


def run_tasks() -> float:
    """Run every due task with the real worker (`db_worker --batch`); seconds taken."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    started = time.monotonic()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return time.monotonic() - started
