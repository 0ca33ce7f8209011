"""`pressbox serve` starts the production server (granian), not runserver."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pressbox.lib.tests.smtp import SMTPServer

PRESSBOX = str(Path(sys.executable).parent / "pressbox")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def env(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    environ["PRESSBOX_DATA_DIR"] = str(tmp_path / "data")
    return environ


def run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PRESSBOX, *args], env=env, capture_output=True, text=True, timeout=120)


def test_serve_answers_with_granian_and_hashed_static_files(env):
    assert run(env, "migrate", "--noinput").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [PRESSBOX, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    body = reply.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert "Skip to content" in body
        assert 'href="/static/pressbox/theme.' in body  # hashed by the manifest storage
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "granian" in output.lower()


CREATE_POST = """
from pressbox.accounts.models import AuthorProfile, User
from pressbox.posts.models import Post, PostAuthor
maya = User.objects.create(username="maya", email="maya@pressbox.example")
AuthorProfile.objects.create(user=maya, display_name="Maya")
post = Post.objects.create(title="Knees", slug="knees", body="Squat.", status="published")
PostAuthor.objects.create(post=post, author=maya)
print(post.pk, post.get_absolute_url())
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for_page(url: str) -> str:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return reply.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_serve_runs_the_task_worker_that_emails_the_coauthor(env):
    smtp = SMTPServer()
    smtp.start()
    env["PRESSBOX_EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    assert run(env, "migrate", "--noinput").returncode == 0
    post_id, path = run(env, "shell", "--no-imports", "-c", CREATE_POST).stdout.split()
    port = free_port()
    server = subprocess.Popen(
        [PRESSBOX, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}{path}")
        fetched = time.monotonic()
        timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
        typed = {"name": "Ann", "email": "ann@example.net", "comment": "Great post!"}
        body = urllib.parse.urlencode({**typed, "timestamp": timestamp}).encode()
        time.sleep(max(0, 3.5 - (time.monotonic() - fetched)))  # the form's minimum delay
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.build_opener(NoRedirect).open(
                f"http://127.0.0.1:{port}/comments/post/{post_id}/", body, timeout=10
            )
        assert answer.value.code == 303
        (message,) = smtp.mailbox.wait_for(1, timeout=20)
        assert message["To"] == "maya@pressbox.example"
        assert "Great post!" in message.get_content()
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
        smtp.stop()
    assert server.returncode == 0
    assert "Starting worker" in output


def test_serve_refuses_an_unmigrated_database_with_one_sentence(env):
    result = run(env, "serve", "--port", str(free_port()))
    assert result.returncode != 0
    assert "run `pressbox migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_bad_port(env):
    result = run(env, "serve", "--port", "70000")
    assert result.returncode != 0
    assert "--port must be between 1 and 65535" in result.stderr
