"""POST /comments/post/<post_id>/: store a comment, or re-render the form keeping every word."""

from urllib.parse import unquote

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post


def field_box(html, name):
    """The element wrapping a form field: its label, its error and the control."""
    control = [e for e in select(html, "input", name=name) + select(html, "textarea", name=name)]
    assert len(control) == 1
    return control[0].ancestors[-1]


def assert_kept(html, typed):
    assert select_one(html, "textarea", name="comment").text == typed["comment"].strip()
    for name in ("name", "email", "url"):
        assert select_one(html, "input", name=name).attrs.get("value") == typed[name]


def test_valid_comment_answers_303_to_its_anchor_on_the_post(client, post, typed):
    CommentFactory(post=post, author_email="ann@example.net")  # known: auto-approved
    response = client.post(f"/comments/post/{post.pk}/", typed)
    comment = Comment.objects.latest("pk")
    assert response.status_code == 303
    assert response["Location"] == f"/2024/05/knees/#comment-{comment.pk}"
    assert comment.status == Comment.Status.APPROVED
    assert (comment.author_name, comment.author_email) == ("Ann Reader", "ann@example.net")
    assert comment.body_html == "<p>Loved the <em>squat</em> tips – thanks!</p>\n"


def test_first_comment_is_held_and_shown_only_to_its_author(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", typed)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    location = response["Location"]
    assert location.startswith(f"/2024/05/knees/?unapproved={comment.pk}&moderation-hash=")
    assert location.endswith(f"#comment-{comment.pk}")
    mine = client.get(location)
    assertContains(mine, "Loved the <em>squat</em> tips")
    assertContains(mine, "awaiting moderation")
    assertNotContains(client.get("/2024/05/knees/"), "Loved the")
    forged = f"/2024/05/knees/?unapproved={comment.pk}&moderation-hash=0000"
    assertNotContains(client.get(forged), "Loved the")


def test_errors_re_render_at_the_field_with_status_400_keeping_the_text(client, post, typed):
    typed["email"] = "not-an-email"
    response = client.post(f"/comments/post/{post.pk}/", typed)
    assert response.status_code == 400
    box = field_box(response.text, "email")
    assert "Please give a valid email address, such as name@example.com." in box.text
    assert_kept(response.text, typed)
    assert not Comment.objects.exists()


def test_missing_fields_are_each_named(client, post):
    response = client.post(f"/comments/post/{post.pk}/", {})
    assert response.status_code == 400
    assert "Please write a comment." in field_box(response.text, "comment").text
    assert "Please give your name." in field_box(response.text, "name").text
    assert "Please give your email address" in field_box(response.text, "email").text
    assert not Comment.objects.exists()


def test_blank_name_and_comment_are_refused(client, post, typed):
    typed.update(name="   ", comment=" \n ")
    response = client.post(f"/comments/post/{post.pk}/", typed)
    assert response.status_code == 400
    assert "Please give your name." in field_box(response.text, "name").text
    assert not Comment.objects.exists()


def test_comment_over_20000_characters_gets_a_clear_error_and_is_kept(client, post, typed):
    typed["comment"] = "a" * 20_001
    response = client.post(f"/comments/post/{post.pk}/", typed)
    assert response.status_code == 400
    error = "Your comment is too long: 20000 characters at most (it has 20001)."
    assert error in field_box(response.text, "comment").text
    assert_kept(response.text, typed)
    assert not Comment.objects.exists()


def test_name_over_200_characters_gets_a_clear_error(client, post, typed):
    typed["name"] = "N" * 201
    response = client.post(f"/comments/post/{post.pk}/", typed)
    assert response.status_code == 400
    error = "Your name is too long: 200 characters at most."
    assert error in field_box(response.text, "name").text
    assert_kept(response.text, typed)
    assert not Comment.objects.exists()


def test_website_without_a_scheme_is_taken_as_https(client, post, typed):
    typed["url"] = "ann.example"
    client.post(f"/comments/post/{post.pk}/", typed)
    assert Comment.objects.get().author_url == "https://ann.example"


def test_filled_honeypot_is_kept_as_spam_and_not_shown(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "url_confirm": "http://x"})
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/2024/05/knees/#comment-{comment.pk}"
    assert comment.status == Comment.Status.SPAM
    assert comment.status_reason == "filled the hidden honeypot field"
    assertNotContains(client.get(response["Location"]), "Loved the")


def test_parent_from_another_post_is_refused_with_a_visible_reason(client, post, typed):
    elsewhere = CommentFactory(post=PostFactory())
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "parent": elsewhere.pk})
    assert response.status_code == 400
    assertContains(response, "The comment you are replying to is not on this post", status_code=400)
    assert Comment.objects.count() == 1


def test_closed_post_refuses_comments(client, typed, db):
    closed = PostFactory(comments_open=False)
    response = client.post(f"/comments/post/{closed.pk}/", typed)
    assert response.status_code == 400
    assertContains(response, "Comments are closed", status_code=400)
    assert not Comment.objects.exists()


def test_draft_post_is_404(client, typed, db):
    draft = PostFactory(status=Post.Status.DRAFT)
    assert client.post(f"/comments/post/{draft.pk}/", typed).status_code == 404
    assert client.post("/comments/post/999999/", typed).status_code == 404
    assert not Comment.objects.exists()


def test_get_is_not_allowed(client, post):
    assert client.get(f"/comments/post/{post.pk}/").status_code == 405


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_cross_site_post_is_refused(client, post, typed, headers):
    response = client.post(f"/comments/post/{post.pk}/", typed, **headers)
    assert response.status_code == 400
    assertContains(response, "did not come from this site", status_code=400)
    assert_kept(response.text, typed)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/2024/05/knees/"},
        {"HTTP_ORIGIN": "http://127.0.0.1:8000"},
        {},
    ],
)
def test_same_origin_or_no_origin_is_accepted(client, post, typed, headers, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert client.post(f"/comments/post/{post.pk}/", typed, **headers).status_code == 303
    assert Comment.objects.count() == 1


def test_ticked_save_details_sets_the_commenter_cookie(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "save_details": "on"})
    cookie = response.cookies["pressbox_commenter"]
    assert '"name":"Ann Reader"' in unquote(cookie.value)
    assert '"url":"https://ann.example/"' in unquote(cookie.value)
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"


def test_unticked_save_details_stores_nothing_and_clears_the_cookie(client, post, typed):
    client.cookies["pressbox_commenter"] = "old"
    response = client.post(f"/comments/post/{post.pk}/", typed)
    cookie = response.cookies["pressbox_commenter"]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("field", ["comment", "name", "email", "url", "parent", "url_confirm"])
def test_nul_in_any_field_is_refused_without_a_500(client, post, typed, field):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, field: "x\x00y"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_invalid_utf8_never_causes_a_500(client, post):
    body = b"comment=%FF%FEhi%C3%28&name=%ED%A0%80Ann&email=a%40b.example&parent=%B2"
    response = client.post(
        f"/comments/post/{post.pk}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {303, 400}
    assert Comment.objects.count() <= 1


@pytest.mark.parametrize("parent", ["abc", "-1", "99999999999999999999999", "²"])
def test_odd_parent_values_are_refused_without_a_500(client, post, typed, parent):
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "parent": parent})
    assert response.status_code in {303, 400}
    assert not Comment.objects.filter(parent__isnull=False).exists()
