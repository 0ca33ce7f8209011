"""Logs are JSON lines with no personal data: no email, no IP address, no query string.

One test posts a comment through the configured handlers with a spam check that fails
and quotes the commenter; the other runs `pressbox serve --access-log` and posts a
comment from 127.0.0.5, an address that must then appear nowhere in its output.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from pressbox.comments.protection import form_token
from pressbox.lib.jsonlog import JSONFormatter
from pressbox.posts.factories import PostFactory

EMAIL = "ann.reader@example.net"
VISITOR = "203.0.113.77"


def failing_check(comment, *, form_data, site):
    raise RuntimeError(f"lookup failed for {comment.author_email} at {comment.ip_address}")


@pytest.fixture
def log_output():
    """What the handler settings.LOGGING installs writes, while the test runs."""
    (handler,) = [
        h for h in logging.getLogger("pressbox").handlers if isinstance(h.formatter, JSONFormatter)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_comment_post_logs_json_lines_without_the_email_or_address(
    client, settings, log_output, db
):
    settings.PRESSBOX_SPAM_CHECKS = [f"{__name__}.failing_check", *settings.PRESSBOX_SPAM_CHECKS]
    post = PostFactory(title="Stronger Knees", slug="knees")
    typed = {
        "comment": "Nice!",
        "name": "Ann",
        "email": EMAIL,
        "timestamp": form_token(post.pk, aged=True),
    }

    response = client.post(f"/comments/post/{post.pk}/?email={EMAIL}", typed, REMOTE_ADDR=VISITOR)

    assert response.status_code == 303
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (failure,) = [line for line in lines if line["logger"] == "pressbox.comments.spam"]
    assert failure["level"] == "ERROR"
    assert failure["message"].startswith("Spam check pressbox.tests.test_logs.failing_check failed")
    assert "lookup failed for [email] at [ip]" in failure["exception"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", failure["time"])
    assert EMAIL not in log_output.getvalue() and VISITOR not in log_output.getvalue()


# Through `pressbox serve --access-log` ------------------------------------------------

PRESSBOX = str(Path(sys.executable).parent / "pressbox")
CLIENT = "127.0.0.5"  # loopback, but not the server's own 127.0.0.1

CREATE_POST = """
from pressbox.posts.models import Post
post = Post.objects.create(title="Knees", slug="knees", body="Squat.", status="published")
print(post.pk, post.get_absolute_url())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, body: str | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(CLIENT, 0)
    )
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def wait_for(port: int, path: str) -> str:
    for _ in range(150):
        try:
            status, page = request(port, "GET", path)
            if status == 200:
                return page
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{path} did not answer")


def test_serve_access_log_is_json_lines_with_no_client_address(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env["PRESSBOX_DATA_DIR"] = str(tmp_path / "data")
    run = dict(env=env, capture_output=True, text=True, timeout=120)
    assert subprocess.run([PRESSBOX, "migrate", "--noinput"], **run).returncode == 0
    made = subprocess.run([PRESSBOX, "shell", "--no-imports", "-c", CREATE_POST], **run)
    post_id, path = made.stdout.split()
    port = free_port()
    server = subprocess.Popen(
        [PRESSBOX, "serve", "--port", str(port), "--workers", "1", "--access-log", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = wait_for(port, path)
        fetched = time.monotonic()
        timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
        form = {"name": "Ann", "email": EMAIL, "comment": "Great post!", "timestamp": timestamp}
        time.sleep(max(0, 3.5 - (time.monotonic() - fetched)))  # the form's minimum delay
        query = urllib.parse.urlencode({"from": EMAIL})
        status, _ = request(
            port, "POST", f"/comments/post/{post_id}/?{query}", urllib.parse.urlencode(form)
        )
        assert status == 303
        assert request(port, "GET", "/healthz")[0] == 200
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)

    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "granian.access"]
    (posted,) = [line for line in access if line["method"] == "POST"]
    assert posted["path"] == f"/comments/post/{post_id}/" and posted["status"] == 303
    assert posted["duration_ms"] > 0
    assert any(line["path"] == "/healthz" and line["status"] == 200 for line in access)
    assert any(line["logger"] == "_granian" for line in lines)  # the server's own lines too
    for text in (out, err):
        assert CLIENT not in text
        assert EMAIL not in text and "ann.reader%40" not in text
