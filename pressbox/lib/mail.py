"""Outgoing email: queued in the database, sent by the task worker, retried with backoff.

A web request never talks to the SMTP server: `queue_email` only inserts a row into the
task queue (django-tasks' database backend), and the worker that `pressbox serve` runs
beside the web server sends it. When the server is down or slow, `send_email` enqueues
itself again with a growing delay (30 s, 2 min, 10 min, 1 h, 6 h, then every 12 h) for
about three days, so a mail outage loses nothing and never slows a reader down.

Log lines name the kind of message and the attempt, never an address (issue 3).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd… failed attempt; the last delay repeats.
RETRY_DELAYS = (30, 2 * 60, 10 * 60, 60 * 60, 6 * 60 * 60, 12 * 60 * 60)
# 1 attempt + 10 retries: the last one is about 2.8 days after the first.
MAX_ATTEMPTS = 11


class EmailNotDelivered(Exception):
    """An email was given up on; the message names the reason, never the address."""


def queue_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    unsubscribe_url: str | None = None,
    kind: str = "email",
) -> None:
    """Queue one email for the worker to send (a database insert, nothing more).

    `unsubscribe_url` adds the List-Unsubscribe headers of RFC 2369 and RFC 8058
    (one-click) and a line at the bottom of the text. `kind` (such as "reply") is what
    log lines call the message, since they must not show who it is for.
    """
    headers = dict(headers or {})
    headers.setdefault("Message-ID", make_msgid(domain=urlsplit(settings.SITE_URL).hostname))
    message = {
        "to": list(to),
        "subject": subject,
        "text": text,
        "html": html,
        "headers": headers,
        "unsubscribe_url": unsubscribe_url,
        "kind": kind,
    }
    send_email.enqueue(message, attempt=1)


def build_message(message: dict[str, Any]) -> EmailMultiAlternatives:
    """The email described by a queued `message` (see `queue_email`)."""
    headers = {"Auto-Submitted": "auto-generated", **message["headers"]}
    text = message["text"].rstrip("\n") + "\n"
    if url := message.get("unsubscribe_url"):
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text += f"\n-- \nTo stop these emails, open {url}\n"
    email = EmailMultiAlternatives(
        subject=message["subject"], body=text, to=message["to"], headers=headers
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    return email


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1 for the first)."""
    return timedelta(seconds=RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1])


def describe(exc: BaseException) -> str:
    """The error without its message, which may quote an address (SMTPRecipientsRefused)."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


def is_permanent(exc: BaseException) -> bool:
    """A refusal that no retry will change: every recipient or the message itself got 5xx."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


@task()
def send_email(message: dict[str, Any], attempt: int = 1) -> str:
    """Send one queued email; on an SMTP or network failure, queue the next attempt."""
    kind = message.get("kind", "email")
    try:
        build_message(message).send()
    except ValueError as exc:  # an address or header Python cannot encode: no retry helps
        logger.warning("Gave up on a %s email: %s.", kind, describe(exc))
        raise EmailNotDelivered(f"{kind} email: {describe(exc)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        if is_permanent(exc) or attempt >= MAX_ATTEMPTS:
            logger.warning(
                "Gave up on a %s email after attempt %d: %s.", kind, attempt, describe(exc)
            )
            raise EmailNotDelivered(f"{kind} email, attempt {attempt}: {describe(exc)}") from None
        delay = retry_delay(attempt)
        send_email.using(run_after=timezone.now() + delay).enqueue(message, attempt=attempt + 1)
        logger.warning(
            "A %s email was not sent (attempt %d of %d: %s); retrying in %d s.",
            kind,
            attempt,
            MAX_ATTEMPTS,
            describe(exc),
            delay.total_seconds(),
        )
        return f"retrying: {describe(exc)}"
    return "sent"
