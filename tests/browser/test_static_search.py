"""The search box of a static export finds posts offline, with the exported script."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def exported_site(transactional_db, tmp_path, author):
    from pressbox.posts.factories import PostFactory

    PostFactory(
        title="Kettlebell swings for beginners", body="Hinge, do not squat.", authors=[author]
    )
    PostFactory(title="Marathon pacing", body="Run the first half slower.", authors=[author])
    call_command("export_static", str(tmp_path), "--jobs", "1",
                 "--base-url", "http://127.0.0.1/blog/", stdout=io.StringIO())  # fmt: skip
    # Served under /blog/, as the base URL says: the folder is one level down.
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "blog").symlink_to(tmp_path, target_is_directory=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path / "www",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/blog/"
    finally:
        server.terminate()
        server.wait(5)


def test_the_search_box_finds_posts_on_the_static_site(page, exported_site):
    page.goto(exported_site)
    page.get_by_role("searchbox").fill("kettlebel")
    page.get_by_role("searchbox").press("Enter")

    expect(page).to_have_url(f"{exported_site}search/?s=kettlebel")
    result = page.get_by_role("link", name="Kettlebell swings for beginners")
    expect(result).to_be_visible()
    expect(page.get_by_role("link", name="Marathon pacing")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “kettlebel”")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kettlebell swings for beginners")
