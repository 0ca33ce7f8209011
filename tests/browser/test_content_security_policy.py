"""The Content-Security-Policy breaks none of the site's scripts or styles (issue 8).

Each test drives the site's JavaScript as a person would (the comment form's reply link
and token fetch, the editor's autosave, live preview and image drop, the moderation
queue, two-step sign-in set-up, the admin) and collects every CSP violation Chromium
reports, from the page and from its frames. A first check proves the collector sees a
violation when there is one: an inline script added to the page is blocked.
"""

from __future__ import annotations

import base64
import re
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "squat-rack-42-deep"

# Reports each violation to the console too, for frames whose console Chromium keeps quiet.
REPORT = """document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture
def watched(context_factory):
    """A page, and the list of CSP violations reported while it is used."""
    context = context_factory()
    context.add_init_script(REPORT)
    page = context.new_page()
    seen: list[str] = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            seen.append(text)

    page.on("console", on_console)
    return page, seen


@pytest.fixture
def eddie(transactional_db, settings):
    """An editor and administrator who signs in with PASSWORD."""
    from pressbox.accounts.factories import AuthorProfileFactory
    from pressbox.accounts.roles import role_assign

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0
    user = AuthorProfileFactory(user__username="eddie", display_name="Eddie Fox").user
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = True
    user.save()
    role_assign(user=user, role="administrator")
    return user


def log_in(page, live_server):
    page.goto(f"{live_server.url}/dashboard/login/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Dashboard")).to_be_visible()


def settle(page):
    page.wait_for_load_state("networkidle")


def test_the_collector_sees_an_inline_script_being_blocked(watched, live_server, transactional_db):
    page, seen = watched
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true;";
          document.body.append(script);
        }"""
    )
    settle(page)
    assert page.evaluate("window.inlineRan === undefined")
    assert any("script-src" in text for text in seen), seen


def test_a_reader_replies_from_a_cached_page_without_a_violation(
    watched, live_server, seed_post, settings
):
    from pressbox.comments.models import Comment

    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0
    from pressbox.posts.models import SiteSettings

    SiteSettings.load()  # created now, not by the first request (which would empty the cache)
    page, seen = watched
    url = f"{live_server.url}{seed_post.get_absolute_url()}"
    urllib.request.urlopen(url).close()  # another reader's visit fills the page cache
    response = page.goto(url)
    assert response.headers["x-cache"] == "HIT"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".author-box img.avatar").first).to_be_visible()

    parent = Comment.objects.get(author_name="Sara")
    token = page.locator("#commentform input[name=timestamp]")
    token.evaluate("input => { input.value = 'stale-from-a-cached-page'; }")
    page.locator(f"#comment-{parent.pk} .comment-reply-link").first.click()
    expect(page.locator(f"#comment-{parent.pk} #respond")).to_be_visible()  # theme.js moved it
    page.get_by_role("textbox", name="Comment", exact=True).focus()
    expect(token).to_have_value(re.compile(rf"^{seed_post.pk}:"))  # fetched by theme.js
    page.get_by_role("textbox", name="Comment", exact=True).fill("Did it hurt at first?")
    page.get_by_role("textbox", name="Name", exact=True).fill("Jo Reader")
    page.get_by_role("textbox", name="Email", exact=True).fill("jo@example.org")
    page.get_by_label("Save my name").check()
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    assert Comment.objects.get(author_name="Jo Reader").parent_id == parent.pk
    expect(page.locator(".comment-own-links")).to_have_count(1)  # shown by theme.js

    page.goto(url)  # the form is filled from the cookie by theme.js
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value("Jo Reader")
    page.goto(f"{live_server.url}/no-such-page/")
    settle(page)
    assert seen == []


def test_the_editor_autosaves_previews_and_takes_a_dropped_image_without_a_violation(
    watched, live_server, eddie
):
    from pressbox.media.tests.helpers import image_bytes
    from pressbox.posts.models import PostRevision
    from tests.browser.test_dashboard_media import DROP

    page, seen = watched
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/posts/new/")
    page.get_by_label("Title").fill("Box squats")
    body = page.get_by_label("Body", exact=True)
    body.fill("Sit *back* to the box.")
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"^Saved at \d\d:\d\d$"), timeout=8000
    )
    page.get_by_role("button", name="Show live preview").click()
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator(".entry-content em")).to_have_text("back")
    # The preview (a sandboxed srcdoc frame, under the editor's policy) has its stylesheet.
    font = frame.locator("body").evaluate("body => getComputedStyle(body).fontFamily")
    assert "system-ui" in font

    body.fill("Sit *back* to the box.\n\n")
    body.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    png = base64.b64encode(image_bytes("PNG", size=(640, 480))).decode()
    page.evaluate(DROP, [body.element_handle(), png])
    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog.locator("img")).to_have_attribute("src", re.compile(r"^blob:"))
    dialog.get_by_label("Alt text").fill("Chalked hands")
    dialog.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("chalk.png uploaded and added to the text.")).to_be_visible()
    expect(frame.locator(".entry-content img")).to_have_attribute("alt", "Chalked hands")
    settle(page)
    assert PostRevision.objects.filter(kind="autosave").exists()
    assert seen == []


def test_moderation_security_and_admin_pages_run_without_a_violation(watched, live_server, eddie):
    from pressbox.comments.factories import CommentFactory
    from pressbox.comments.models import Comment
    from pressbox.posts.factories import PostFactory

    post = PostFactory(title="Stronger Knees")
    held = CommentFactory(post=post, author_name="Bob", status="pending", body="How deep?")
    page, seen = watched
    log_in(page, live_server)

    page.goto(f"{live_server.url}/dashboard/comments/")
    page.get_by_role("button", name="Approve comment by Bob").click()
    expect(page.locator("#queue-status")).to_contain_text("Bob was approved")  # comments.js
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.APPROVED

    page.goto(f"{live_server.url}/dashboard/profile/security/two-factor/")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    page.get_by_text("Can’t scan it?").click()
    expect(page.locator("#totp-secret")).to_be_visible()

    page.goto(f"{live_server.url}/admin/comments/comment/")
    expect(page.locator(".comment-status-tabs")).to_be_visible()
    page.goto(f"{live_server.url}/admin/accounts/user/{eddie.pk}/change/")
    expect(page.locator("#user_form")).to_be_visible()
    settle(page)
    assert seen == []
