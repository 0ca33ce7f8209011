"""Browser tests: Playwright for Python driving Debian's Chromium, never a downloaded one.

The Playwright sync API runs an event loop in this thread, so Django's async-safety
check must be relaxed for the live server's database work done from test code.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = "Debian's chromium is required: apt-get install chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") or os.environ.get("PRESSBOX_REQUIRE_BROWSER"):
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context_factory(browser):
    """New browser contexts (viewport, colour scheme, JS on/off), closed after the test."""
    opened = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(context_factory):
    return context_factory().new_page()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def seed_post(transactional_db, settings):
    """The seed page imported from the shared content folder, with a two-comment thread."""
    from django.core.management import call_command

    from pressbox.comments.factories import CommentFactory
    from pressbox.posts.models import Post

    shared = Path(settings.BASE_DIR).parent.parent / "shared"
    call_command("import_markdown", str(shared / "content" / "seed-site"), stdout=io.StringIO())
    post = Post.objects.get(slug="benefits-of-acupuncture-on-your-back")
    first = CommentFactory(
        post=post, author_name="Sara", body="This helped my back too -- thanks for sharing!"
    )
    CommentFactory(post=post, parent=first, author_name="Umer", body="Glad to hear it, Sara.")
    return post
