"""`pressbox serve` starts the production server (granian), not runserver."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def test_serve_refuses_an_unmigrated_database_with_one_sentence(env):
    result = run(env, "serve", "--port", str(free_port()))
    assert result.returncode != 0
    assert "run `pressbox migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_bad_port(env):
    result = run(env, "serve", "--port", "70000")
    assert result.returncode != 0
    assert "--port must be between 1 and 65535" in result.stderr
