"""/healthz: 200 when the database and the cache answer, 503 naming the part that does not."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_a_healthy_site_answers_200_ok_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "X-Cache" not in response  # the page cache let it through


def test_an_unreachable_database_is_a_503_not_a_500(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok"}


def test_a_healthy_answer_is_not_replayed_once_the_database_is_down(client, request):
    assert client.get("/healthz").status_code == 200
    request.getfixturevalue("database_down")
    assert client.get("/healthz").status_code == 503


def test_an_unreachable_cache_is_a_503(client):
    redis = "django.core.cache.backends.redis.RedisCache"
    unreachable = {"BACKEND": redis, "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}
    with override_settings(CACHES={"default": unreachable}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}


def test_only_get_and_head_are_answered(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


PROBE = """
from django.test import Client
answer = Client(HTTP_HOST="127.0.0.1").get("/healthz")
print(answer.status_code, answer.content.decode())
"""


def test_a_site_whose_database_and_cache_are_both_down_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env.update(
        PRESSBOX_DATA_DIR=str(tmp_path / "data"),
        PRESSBOX_DATABASE_URL=f"postgres://pressbox@127.0.0.1:{closed_port()}/pressbox",
        PRESSBOX_CACHE_URL=f"redis://127.0.0.1:{closed_port()}/0",
    )
    pressbox = Path(sys.executable).parent / "pressbox"
    result = subprocess.run(
        [pressbox, "shell", "--no-imports", "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"database": "unavailable", "cache": "unavailable"}
    logged = [json.loads(line) for line in result.stderr.splitlines()]
    assert {line["message"] for line in logged} >= {
        "Health check: the database is unavailable (OperationalError).",
        "Health check: the cache is unavailable (ConnectionError).",
    }


def test_a_plain_http_probe_is_answered_when_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301  # readers go to https
    response = client.get("/healthz")  # the probe on the loopback does not
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
