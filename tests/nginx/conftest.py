"""A real nginx, configured by docs/nginx/pressbox.conf, in front of a live Pressbox.

Debian's nginx (`apt-get install nginx`) runs as an ordinary program here: its own
prefix, config and logs in a temporary folder, no root needed. Without it the tests
are skipped, except in CI (or with PRESSBOX_REQUIRE_NGINX set), where they fail.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "docs" / "nginx" / "pressbox.conf"
NGINX = Path("/usr/sbin/nginx")
MISSING = "Debian's nginx is required: apt-get install nginx"

WRAPPER = """\
worker_processes 1;
daemon off;
pid {base}/nginx.pid;
error_log {base}/error.log;
{user}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {base}/temp/body;
    proxy_temp_path {base}/temp/proxy;
    fastcgi_temp_path {base}/temp/fastcgi;
    uwsgi_temp_path {base}/temp/uwsgi;
    scgi_temp_path {base}/temp/scgi;
    include {base}/pressbox.conf;
}}
"""


def site_config(*, port: int, upstream: str, pages: Path, static: Path, media: Path) -> str:
    """docs/nginx/pressbox.conf with this run's port and folders, nothing else changed."""
    text = CONF.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "listen [::]:80;": "",
        "server 127.0.0.1:8000;": f"server {upstream};",
        "/var/cache/pressbox/pages": str(pages),
        "/var/lib/pressbox/static/": f"{static}/",
        "/var/lib/pressbox/media/": f"{media}/",
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, f"docs/nginx/pressbox.conf no longer has {old!r} once"
        text = text.replace(old, new)
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def from_file(self) -> bool:
        return self.headers.get("X-Cache") == "FILE"


@dataclass
class Nginx:
    port: int
    pages: Path
    static: Path
    media: Path

    def request(self, method: str, path: str, *, body: bytes | None = None, **headers: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            names = {name.replace("_", "-"): value for name, value in headers.items()}
            connection.request(method, path, body=body, headers=names)
            reply = connection.getresponse()
            return Reply(reply.status, reply.headers, reply.read())
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, **headers)


@pytest.fixture
def nginx(live_server, settings):
    if not NGINX.exists():
        if os.environ.get("CI") or os.environ.get("PRESSBOX_REQUIRE_NGINX"):
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    from pressbox.lib import pagefiles

    base = Path(tempfile.mkdtemp(prefix="pressbox-nginx-"))
    base.chmod(0o755)  # nginx's workers run as nobody when the tests run as root
    (base / "temp").mkdir()
    static, media = base / "static", base / "media"
    static.mkdir()
    media.mkdir()
    settings.PRESSBOX_PAGE_CACHE_DIR = pagefiles.configured(
        "PRESSBOX_PAGE_CACHE_DIR", str(base / "pages"), data_dir=Path(settings.DATA_DIR)
    )
    settings.MEDIA_ROOT = media
    settings.STATIC_ROOT = static
    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0
    port = free_port()
    upstream = f"127.0.0.1:{live_server.thread.port}"
    pages = settings.PRESSBOX_PAGE_CACHE_DIR
    (base / "pressbox.conf").write_text(
        site_config(port=port, upstream=upstream, pages=pages, static=static, media=media)
    )
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    (base / "nginx.conf").write_text(WRAPPER.format(base=base, user=user))
    argv = [
        str(NGINX),
        "-p",
        str(base),
        "-c",
        str(base / "nginx.conf"),
        "-e",
        str(base / "error.log"),
    ]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if server.poll() is not None:
                pytest.fail(f"nginx did not start: {server.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield Nginx(port=port, pages=pages, static=static, media=media)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(base, ignore_errors=True)
