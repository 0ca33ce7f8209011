"""How pages look: screenshots, no sideways scrolling, landmarks, skip link, dark mode."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def show_whole_page(page):
    """Scroll to the end and back so lazy images load before a full-page screenshot."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("[...document.images].every(img => img.complete)")
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("width", [1280, 375])
def test_post_page_fits_the_screen(context_factory, live_server, seed_post, artifacts, width):
    page = context_factory(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    show_whole_page(page)
    page.screenshot(path=artifacts / f"post-{width}.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("path", ["/", "/category/social/", "/?s=back", "/no-such-page/"])
def test_other_pages_fit_a_small_phone(context_factory, live_server, seed_post, path):
    page = context_factory(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{live_server.url}{path}")

    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_page_has_landmarks(page, live_server, seed_post):
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")

    for role in ("banner", "navigation", "main", "contentinfo", "search"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("searchbox", name="Search for:")).to_be_visible()


def test_skip_link_appears_on_first_tab(page, live_server, seed_post):
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["width"] <= 1

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 20
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()


@pytest.mark.parametrize("width", [1280, 375])
def test_dark_mode_follows_the_system(context_factory, live_server, seed_post, artifacts, width):
    page = context_factory(color_scheme="dark", viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    show_whole_page(page)
    page.screenshot(path=artifacts / f"post-{width}-dark.png", full_page=True)

    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(n) for n in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    assert (red + green + blue) / 3 < 60, rgb
