"""The moderation queue in a real browser: the row buttons submit through the list's
own form (with its CSRF token), and a reply is posted from the queue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a-long-passphrase-9"


@pytest.fixture
def queue(transactional_db, live_server, page):
    from pressbox.accounts.models import User
    from pressbox.comments.factories import CommentFactory

    User.objects.create_superuser("mod", "mod@example.com", PASSWORD)
    CommentFactory(author_name="Casino Carl", body="Best casino bonus", status="pending")
    CommentFactory(author_name="Ann", body="Loved the squat tips", status="pending")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/")
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    return page


def row(page, name):
    return page.get_by_role("row").filter(has_text=name)


def test_one_click_spam_and_a_reply_from_the_queue(queue, artifacts):
    from pressbox.comments.models import Comment

    expect(queue.locator(".comment-status-tabs")).to_contain_text("Pending (2)")
    queue.screenshot(path=artifacts / "admin-comment-queue-1280.png", full_page=True)
    row(queue, "Casino Carl").get_by_role("button", name="Spam").click()
    expect(queue.locator(".messagelist")).to_contain_text("The comment by Casino Carl was marked")
    expect(queue.locator(".comment-status-tabs")).to_contain_text("Pending (1)")
    assert Comment.objects.get(author_name="Casino Carl").status == "spam"

    row(queue, "Ann").get_by_role("link", name="Reply").click()
    queue.get_by_label("Your reply").fill("Thanks, Ann!")
    queue.get_by_role("button", name="Approve and reply").click()
    expect(queue.locator(".messagelist")).to_contain_text("Your reply to Ann is published.")
    assert Comment.objects.get(author_name="Ann").status == "approved"
    assert Comment.objects.get(parent__author_name="Ann").body == "Thanks, Ann!"
