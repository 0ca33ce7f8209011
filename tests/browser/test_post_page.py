"""A reader on the seed post: reading it, replying to a comment, fixing a form error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _readers_take_their_time(settings):
    """People need more than the form's 3-second minimum to write; Playwright doesn't.
    test_comment_form.py tests the minimum itself."""
    settings.PRESSBOX_COMMENT_FORM_MIN_SECONDS = 0


def field(page, name):
    return page.get_by_role("textbox", name=name, exact=True)


def open_post(page, live_server, post, query=""):
    page.goto(f"{live_server.url}{post.get_absolute_url()}{query}")


def test_reader_sees_the_seed_post_as_published(page, live_server, seed_post):
    open_post(page, live_server, seed_post)

    expect(page.locator("h1.entry-title")).to_have_text("Benefits of Acupuncture on your Back")
    meta = page.locator(".entry-meta").inner_text()
    assert "Posted on March 14, 2018 · Posted in Social" in re.sub(r"\s+", " ", meta)
    expect(page.locator(".posted-in a")).to_have_text("Social")
    items = page.locator(".entry-content ul > li")
    expect(items).to_have_count(6)
    expect(items.first).to_have_text("Helps blood flow")
    box = page.locator(".author-box")
    expect(box).to_have_count(1)
    expect(box.locator(".author-name")).to_have_text(re.compile(r"^By: Umer’s Fitness$"))
    expect(box.locator(".author-bio")).to_contain_text("I am an avid gym enthusiast")
    expect(box.locator("img.avatar")).to_have_attribute("alt", re.compile("avatar"))
    expect(page.locator("#reply-title")).to_have_text("Leave a Reply")
    expect(page.locator(".comment-notes")).to_have_text(
        "Your email address will not be published. Required fields are marked *"
    )
    expect(page.locator("#id_save_details")).not_to_be_checked()
    expect(page.locator(".comment-form-hp")).not_to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reader_replies_to_a_comment(context_factory, live_server, seed_post, javascript):
    from pressbox.comments.models import Comment

    page = context_factory(java_script_enabled=javascript).new_page()
    open_post(page, live_server, seed_post)
    parent = Comment.objects.get(author_name="Sara")

    page.locator(f"#comment-{parent.pk} .comment-reply-link").first.click()
    if javascript:
        expect(page.locator(f"#comment-{parent.pk} #respond")).to_be_visible()
        expect(page.locator("#commentform input[name=parent]")).to_have_value(str(parent.pk))
    expect(page.locator("#reply-title")).to_contain_text("Reply to Sara")
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    field(page, "Name").fill("Jo Reader")
    field(page, "Email").fill("jo@example.org")
    field(page, "Comment").fill("Did it hurt the first time?")
    page.get_by_role("button", name="Post Comment").click()

    reply = Comment.objects.get(author_name="Jo Reader")
    assert reply.parent_id == parent.pk
    assert reply.status == Comment.Status.PENDING
    page.wait_for_url(re.compile(rf"#comment-{reply.pk}$"))
    held = page.locator(f"#comment-{parent.pk} > ol.children > #comment-{reply.pk}")
    expect(held).to_be_visible()
    expect(held).to_have_class(re.compile("comment-held"))
    expect(held.locator(".comment-awaiting-moderation")).to_contain_text("awaiting moderation")
    expect(held.locator(".comment-content")).to_have_text("Did it hurt the first time?")


def test_cancel_reply_puts_the_form_back(page, live_server, seed_post):
    open_post(page, live_server, seed_post)
    page.locator(".comment-reply-link").first.click()
    page.locator("#cancel-comment-reply-link").click()

    expect(page.locator(".comment #respond")).to_have_count(0)
    expect(page.locator("#reply-title")).to_have_text("Leave a Reply")
    expect(page.locator("#commentform input[name=parent]")).to_have_value("")


def test_missing_email_is_shown_at_the_field_and_typed_text_is_kept(page, live_server, seed_post):
    open_post(page, live_server, seed_post)
    field(page, "Name").fill("Jo Reader")
    field(page, "Comment").fill("Where do I find a good acupuncturist?")
    page.get_by_role("button", name="Post Comment").click()

    email = page.locator("#id_email")
    expect(page.locator(".comment-form-email .field-error")).to_have_text(
        "Please give your email address (it will not be published)."
    )
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", "id_email_error")
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
    expect(field(page, "Name")).to_have_value("Jo Reader")
    expect(field(page, "Comment")).to_have_value("Where do I find a good acupuncturist?")


def test_saved_details_fill_the_form_on_the_next_visit(page, live_server, seed_post):
    open_post(page, live_server, seed_post)
    field(page, "Name").fill("Jo Reader")
    field(page, "Email").fill("jo@example.org")
    field(page, "Website").fill("https://jo.example.org/blog")
    field(page, "Comment").fill("Thanks!")
    page.get_by_label("Save my name").check()
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()

    open_post(page, live_server, seed_post)
    expect(field(page, "Name")).to_have_value("Jo Reader")
    expect(field(page, "Email")).to_have_value("jo@example.org")
    expect(field(page, "Website")).to_have_value("https://jo.example.org/blog")
    expect(page.get_by_label("Save my name")).to_be_checked()
