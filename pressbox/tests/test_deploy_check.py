"""`pressbox check --deploy --fail-level WARNING` passes, with nothing silenced, under the
production environment of docs/deploy.md ("Production settings"), read from the page
itself so the two cannot drift apart; and HTTPS-only settings refuse an http:// site."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRESSBOX = str(Path(sys.executable).parent / "pressbox")


def documented_environment() -> dict[str, str]:
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text.split("\n## Production settings\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    return dict(line.split("=", 1) for line in block.splitlines() if line.strip())


def pressbox(environment, *args):
    # Nothing of the test run's own: no PRESSBOX_* and no DJANGO_* (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which no production server has).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESSBOX_", "DJANGO_"))}
    env.update(environment)
    return subprocess.run([PRESSBOX, *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_deployment_check_passes_under_the_documented_environment(tmp_path):
    environment = documented_environment()
    assert environment["PRESSBOX_SITE_URL"].startswith("https://")
    assert environment.pop("PRESSBOX_DATA_DIR") == "/var/lib/pressbox"
    environment["PRESSBOX_DATA_DIR"] = str(tmp_path / "data")  # the one path changed

    result = pressbox(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout

    probe = (
        "from django.conf import settings as s; "
        "print(s.SILENCED_SYSTEM_CHECKS, s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "*s.SECURE_PROXY_SSL_HEADER)"
    )
    result = pressbox(environment, "shell", "--no-imports", "-c", probe)
    assert result.stdout.split() == (
        ["[]", "False", "True", "True", "True", "31536000", "HTTP_X_FORWARDED_PROTO", "https"]
    )


def test_the_same_environment_over_plain_http_fails_the_check(tmp_path):
    environment = {
        k: v
        for k, v in documented_environment().items()
        if "HSTS" not in k and "SSL_REDIRECT" not in k
    }
    environment.update(
        PRESSBOX_DATA_DIR=str(tmp_path / "data"), PRESSBOX_SITE_URL="http://blog.example"
    )
    result = pressbox(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in result.stderr


def test_https_only_settings_refuse_an_http_site_url(tmp_path):
    for variable, value in [("PRESSBOX_HSTS_SECONDS", "300"), ("PRESSBOX_SSL_REDIRECT", "on")]:
        result = pressbox({"PRESSBOX_DATA_DIR": str(tmp_path / "data"), variable: value}, "check")
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"pressbox: {variable} needs an https:// PRESSBOX_SITE_URL, "
            "not 'http://127.0.0.1:8000'."
        )


def test_a_bad_hsts_value_names_the_variable(tmp_path):
    result = pressbox(
        {
            "PRESSBOX_DATA_DIR": str(tmp_path / "data"),
            "PRESSBOX_SITE_URL": "https://blog.example",
            "PRESSBOX_HSTS_SECONDS": "a year",
        },
        "check",
    )
    assert result.returncode == 2
    assert "PRESSBOX_HSTS_SECONDS must be a whole number" in result.stderr
