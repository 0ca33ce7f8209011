"""Bad input to the comment views: one clear message, nothing stored half-way, never a 500."""

from urllib.parse import quote

import pytest
from pytest_django.asserts import assertContains

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib.tests.html import select_one


def errors_at_the_top(response):
    return select_one(response.text, "div", id="comment-form-errors").text


def raw_post(client, post, body):
    return client.post(
        f"/comments/post/{post.pk}/", body, content_type="application/x-www-form-urlencoded"
    )


def test_an_empty_form_names_each_missing_field_and_stores_nothing(client, post, typed):
    response = client.post(f"/comments/post/{post.pk}/", {"timestamp": typed["timestamp"]})
    assert response.status_code == 400
    assert "please correct the fields marked below" in errors_at_the_top(response)
    assert not Comment.objects.exists()


def test_a_comment_full_of_links_never_causes_a_500(client, post, typed):
    links = " ".join(f"https://spam{n}.example/" for n in range(400))
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "comment": links})
    assert response.status_code in {303, 400}
    if response.status_code == 303:
        assert Comment.objects.get().status != Comment.Status.APPROVED
    else:
        assert not Comment.objects.exists()


def test_invalid_utf8_with_a_valid_token_is_stored_whole_or_not_at_all(client, post, typed):
    token = quote(typed["timestamp"], safe="")
    body = f"comment=%FF%FEhi%C3%28&name=%ED%A0%80Ann&email=a%40b.example&timestamp={token}"
    response = raw_post(client, post, body.encode())
    assert response.status_code == 303
    for comment in Comment.objects.all():
        comment.body.encode("utf-8")  # valid text, replacement characters at worst
        assert comment.body.endswith("hi\ufffd(")


def test_invalid_utf8_in_the_token_is_a_forged_token(client, post, typed):
    response = raw_post(client, post, b"comment=Hi&name=Ann&email=a%40b.example&timestamp=%FF%FE")
    assert response.status_code == 400
    assert "This form could not be checked" in errors_at_the_top(response)
    assert not Comment.objects.exists()


def test_replying_to_a_held_comment_is_refused_with_a_visible_reason(client, post, typed):
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    response = client.post(f"/comments/post/{post.pk}/", {**typed, "parent": held.pk})
    assert response.status_code == 400
    assert "not on this post" in errors_at_the_top(response)
    assert Comment.objects.count() == 1


def test_a_refused_reply_comes_back_on_the_page_of_the_comment_it_answers(
    client, post, typed, site_settings
):
    site_settings.comments_per_page = 1
    site_settings.save()
    CommentFactory(post=post)
    second = CommentFactory(post=post, author_name="Bo")
    data = {**typed, "parent": second.pk, "email": "nope"}
    response = client.post(f"/comments/post/{post.pk}/", data)
    assert response.status_code == 400
    assert select_one(response.text, "li", id=f"comment-{second.pk}")
    assert select_one(response.text, "h2", id="reply-title").text.startswith("Reply to Bo")
    assert not Comment.objects.filter(parent=second).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/comments/token/99999999999999999999999/",
        "/comments/99999999999999999999999/edit/",
        "/comments/99999999999999999999999/delete/",
        "/archives/99999999999999999999999/feed/",
        "/2024/05/knees/comment-page-99999999999999999999999/",
    ],
)
def test_huge_ids_in_addresses_are_not_found_rather_than_a_500(client, post, path):
    assert client.get(path).status_code in {403, 404}


def test_huge_post_id_on_submit_is_404(client, post, typed):
    response = client.post("/comments/post/99999999999999999999999/", typed)
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_refused_comment_sets_no_cookie(client, post, typed):
    response = client.post(
        f"/comments/post/{post.pk}/", {**typed, "email": "nope", "save_details": "on"}
    )
    assert response.status_code == 400
    assert not response.cookies
    assertContains(response, "Please give a valid email address", status_code=400)
