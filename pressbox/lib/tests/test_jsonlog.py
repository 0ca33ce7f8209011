"""JSONFormatter: one JSON object per line, with no email, IP address or query string."""

from __future__ import annotations

import json
import logging
import sys

from django.test import RequestFactory

from pressbox.lib.jsonlog import JSONFormatter, safe_path, scrub


def record(name="pressbox.test", msg="hello", args=(), level=logging.INFO, **extra):
    made = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def formatted(made: logging.LogRecord) -> dict:
    line = JSONFormatter().format(made)
    assert "\n" not in line
    return json.loads(line)


def test_a_record_has_time_level_logger_and_message():
    entry = formatted(record(msg="Sent %d emails", args=(3,)))
    assert entry["level"] == "INFO" and entry["logger"] == "pressbox.test"
    assert entry["message"] == "Sent 3 emails"
    assert entry["time"].endswith("Z")


def test_emails_and_visitor_addresses_are_masked_but_loopback_stays():
    text = "ann@example.net from 203.0.113.9 or 2001:db8::7, ann%40example.net; bound 127.0.0.1"
    assert scrub(text) == "[email] from [ip] or [ip], [email]; bound 127.0.0.1"
    assert scrub("at 12:30:45 in v1.2.3, std::vector") == "at 12:30:45 in v1.2.3, std::vector"


def test_an_exception_is_one_field_on_the_same_line_and_masked():
    try:
        raise ValueError("refused: bob@example.org")
    except ValueError:
        made = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = formatted(made)
    assert "ValueError: refused: [email]" in entry["exception"]
    assert "bob@example.org" not in json.dumps(entry)


def test_granian_access_records_keep_method_path_status_and_duration_only():
    args = {
        "addr": "198.51.100.4", "time": "x", "dt_ms": 12.3456, "status": 200, "path": "/knees/",
        "query_string": "email=ann%40example.net", "method": "GET", "scheme": "http",
        "protocol": "HTTP/1.1",
    }  # fmt: skip
    entry = formatted(record("granian.access", '%(addr)s "%(method)s %(path)s"', (args,)))
    assert entry == {
        "time": entry["time"], "level": "INFO", "logger": "granian.access",
        "message": "GET /knees/ 200", "method": "GET", "path": "/knees/", "status": 200,
        "duration_ms": 12.346,
    }  # fmt: skip


def test_a_django_request_record_has_the_path_without_its_query():
    request = RequestFactory().get("/2024/05/knees/?email=ann@example.net", REMOTE_ADDR="1.2.3.4")
    made = record("django.request", "Internal Server Error: %s", (request.path,))
    made.request, made.status_code = request, 500
    entry = formatted(made)
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/2024/05/knees/", 500)
    assert "ann@" not in json.dumps(entry) and "1.2.3.4" not in json.dumps(entry)


def test_secret_links_are_not_written_down():
    assert safe_path("/comments/notify/unsubscribe/eyJrIjo:1tX:abc/") == (
        "/comments/notify/unsubscribe/[token]/"
    )
    assert safe_path("/dashboard/password-reset/MQ/c4x-9f/") == "/dashboard/password-reset/[token]/"
    assert safe_path("/dashboard/password-reset/done/") == "/dashboard/password-reset/done/"
    assert safe_path("/?s=knees") == "/"
