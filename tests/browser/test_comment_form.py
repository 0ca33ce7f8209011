"""The comment form's protection and a reader's own comment, in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def field(page, name):
    return page.get_by_role("textbox", name=name, exact=True)


def fill_comment(page, text="Does this work for sciatica?"):
    field(page, "Comment").fill(text)
    field(page, "Name").fill("Jo Reader")
    field(page, "Email").fill("jo@example.org")


def test_a_too_quick_comment_is_refused_politely_and_the_second_click_posts_it(
    page, live_server, seed_post, settings
):
    from pressbox.comments.models import Comment

    # Long enough that no machine, however loaded, posts "slowly" before the first click.
    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 60
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    fill_comment(page)
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".form-errors[role=alert]")).to_contain_text("That was quick!")
    expect(field(page, "Comment")).to_have_value("Does this work for sciatica?")
    expect(field(page, "Email")).to_have_value("jo@example.org")
    assert not Comment.objects.filter(author_name="Jo Reader").exists()

    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    assert Comment.objects.filter(author_name="Jo Reader").count() == 1


def test_the_form_asks_for_a_fresh_token_when_the_reader_starts(page, live_server, seed_post):
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    token = page.locator("#commentform input[name=timestamp]")
    token.evaluate("input => { input.value = 'stale-from-a-cached-page'; }")

    with page.expect_response(f"**/comments/token/{seed_post.pk}/") as answer:
        field(page, "Comment").focus()
    assert answer.value.headers["cache-control"] == "no-store"
    expect(token).not_to_have_value("stale-from-a-cached-page")
    expect(token).to_have_value(re.compile(rf"^{seed_post.pk}:"))


def test_reader_edits_their_own_comment_within_ten_minutes_via_the_edit_link(
    page, live_server, seed_post, settings
):
    from pressbox.comments.models import Comment

    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    fill_comment(page, "Does this wrok for sciatica?")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    mine = Comment.objects.get(author_name="Jo Reader")

    others = page.locator(".comment-own-links")
    expect(others).to_have_count(1)  # only beside the reader's own comment
    page.locator(f"#comment-{mine.pk} .comment-own-links").get_by_role(
        "link", name="Edit your comment"
    ).click()
    expect(page.locator("h1")).to_have_text("Edit your comment")
    expect(field(page, "Comment")).to_have_value("Does this wrok for sciatica?")
    field(page, "Comment").fill("Does this work for sciatica?")
    page.get_by_role("button", name="Save changes").click()

    page.wait_for_url(re.compile(rf"#comment-{mine.pk}$"))
    expect(page.locator(f"#comment-{mine.pk} .comment-content")).to_have_text(
        "Does this work for sciatica?"
    )
    mine.refresh_from_db()
    assert (mine.body, mine.status) == ("Does this work for sciatica?", Comment.Status.PENDING)


def test_reader_deletes_their_own_comment_after_confirming(page, live_server, seed_post, settings):
    from pressbox.comments.models import Comment

    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0
    page.goto(f"{live_server.url}{seed_post.get_absolute_url()}")
    fill_comment(page, "Posted by mistake")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    mine = Comment.objects.get(author_name="Jo Reader")

    page.get_by_role("link", name="Delete your comment").click()
    expect(page.locator("h1")).to_have_text("Delete your comment?")
    page.get_by_role("button", name="Delete comment").click()

    page.wait_for_url(re.compile(r"#comments$"))
    expect(page.locator(f"#comment-{mine.pk}")).to_have_count(0)
    expect(page.locator(".comment-own-links")).to_have_count(0)
    mine.refresh_from_db()
    assert mine.status == Comment.Status.TRASH
