"""Comments in the dashboard: a reader's comment held for moderation, approved by an
editor from the queue, then shown to readers; and how the queue and privacy page look."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "squat-rack-42-deep"


@pytest.fixture
def eddie(transactional_db, settings):
    """An editor, the site's moderator, who signs in with PASSWORD."""
    from pressbox.accounts.factories import AuthorProfileFactory
    from pressbox.accounts.roles import role_assign

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Readers need more than the form's 3-second minimum to write; Playwright doesn't.
    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0
    user = AuthorProfileFactory(user__username="eddie", display_name="Eddie Fox").user
    user.set_password(PASSWORD)
    user.save()
    role_assign(user=user, role="editor")
    return user


@pytest.fixture
def post(transactional_db):
    from pressbox.posts.factories import PostFactory

    return PostFactory(title="Stronger Knees", body="Squat *deep*, knees out.")


def log_in(page, live_server):
    page.goto(f"{live_server.url}/dashboard/login/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Dashboard")).to_be_visible()


def post_a_comment(page, live_server, post, text):
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    page.get_by_role("textbox", name="Comment", exact=True).fill(text)
    page.get_by_role("textbox", name="Name", exact=True).fill("Jo Reader")
    page.get_by_role("textbox", name="Email", exact=True).fill("jo@example.org")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))


def a_busy_queue(post):
    """Comments of every kind, so the screenshot shows what moderators meet."""
    from pressbox.comments.factories import CommentFactory

    ann = CommentFactory(post=post, author_name="Ann Lee", author_url="https://ann.example/",
                         body="Loved the **squat** tips -- my knees thank you.")  # fmt: skip
    CommentFactory(post=post, parent=ann, author_name="Bob", status="pending",
                   body="Same here. How deep is deep enough?",
                   status_reason="first comment from this address")  # fmt: skip
    CommentFactory(post=post, author_name="Best Casino", status="pending", spam_score=0.87,
                   author_url="https://casino.example/", body="Great post! Visit "
                   "https://casino.example/bonus for free spins and https://pills.example/",
                   status_reason="classifier: 87% spam; 2 links (more than 1)")  # fmt: skip


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_moderator_approves_a_comment_that_readers_then_see(
    context_factory, live_server, eddie, post, javascript
):
    from pressbox.comments.models import Comment, SpamFilterState

    a_busy_queue(post)
    reader = context_factory().new_page()
    post_a_comment(reader, live_server, post, "Does this work for *bad* knees?")
    held = Comment.objects.get(author_name="Jo Reader")
    assert held.status == "pending"

    page = context_factory(java_script_enabled=javascript).new_page()
    log_in(page, live_server)
    nav = page.get_by_role("navigation", name="Dashboard")
    nav.get_by_role("link", name=re.compile("^Comments")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments")
    expect(page.get_by_role("link", name=re.compile(r"^Pending \(3\)"))).to_be_visible()
    row = page.locator(f"#comment-{held.pk}")
    expect(row.locator(".comment-text em")).to_have_text("bad")
    expect(row).to_contain_text("jo@example.org")

    page.get_by_role("button", name="Approve comment by Jo Reader").click()
    expect(page.get_by_role("status").filter(has_text="was approved")).to_have_text(
        "The comment by Jo Reader was approved."
    )
    expect(page.locator(f"#comment-{held.pk}")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Pending \(2\)"))).to_be_visible()
    if javascript:  # focus goes on to the next comment, for keyboard users
        expect(page.locator(":focus")).to_have_attribute("aria-label", re.compile("^Approve"))
    held.refresh_from_db()
    assert (held.status, held.status_reason) == ("approved", "approved by eddie")
    assert SpamFilterState.objects.get().ham_documents == 1

    reader.goto(f"{live_server.url}{post.get_absolute_url()}")
    shown = reader.locator(f"#comment-{held.pk}")
    expect(shown.locator(".comment-content em")).to_have_text("bad")
    expect(shown.locator(".comment-awaiting-moderation")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_queue_looks_right(context_factory, live_server, eddie, post, artifacts, scheme):
    a_busy_queue(post)
    page = context_factory(color_scheme=scheme).new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/comments/")
    page.get_by_role("button", name="Mark comment by Best Casino as spam").click()
    expect(page.locator("#queue-status")).not_to_be_empty()
    page.get_by_text("Approve and reply").first.click()
    page.screenshot(path=artifacts / f"dashboard-comments-{scheme}-1280.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.goto(f"{live_server.url}/dashboard/comments/?status=all")
    page.screenshot(path=artifacts / f"dashboard-comments-all-{scheme}-1280.png", full_page=True)
    page.set_viewport_size({"width": 400, "height": 900})
    page.screenshot(path=artifacts / f"dashboard-comments-all-{scheme}-400.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400


def test_a_moderator_marks_spam_and_replies_from_the_queue(page, live_server, eddie, post):
    from pressbox.comments.models import Comment

    a_busy_queue(post)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/comments/")
    page.get_by_role("button", name="Mark comment by Best Casino as spam").click()
    expect(page.locator("#queue-status")).to_have_text(
        "The comment by Best Casino was marked as spam."
    )
    expect(page.get_by_role("link", name=re.compile(r"^Spam \(1\)"))).to_be_visible()

    page.get_by_text("Approve and reply").first.click()  # the summary opens the reply box
    page.get_by_label("Your reply to Bob").fill("About parallel, Bob.")
    page.get_by_role("button", name="Approve and reply").click()
    expect(page.locator(".messages")).to_contain_text("Your reply to Bob is published.")
    assert Comment.objects.get(author_name="Bob").status == "approved"
    assert Comment.objects.get(parent__author_name="Bob").body == "About parallel, Bob."


def test_the_privacy_page_looks_right_and_keeps_a_mistyped_address(
    page, live_server, eddie, artifacts
):
    log_in(page, live_server)
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Privacy").click()
    page.get_by_label("Email address").fill("jo at example.org")
    page.get_by_role("button", name="Export personal data").click()
    expect(page.locator(".field-error")).to_have_text("Enter a valid email address.")
    expect(page.get_by_label("Email address")).to_have_value("jo at example.org")
    page.screenshot(path=artifacts / "dashboard-privacy-1280.png", full_page=True)

    page.get_by_label("Email address").fill("jo@example.org")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export personal data").click()
    assert re.fullmatch(r"personal-data-[0-9a-f]{16}\.json", download.value.suggested_filename)
