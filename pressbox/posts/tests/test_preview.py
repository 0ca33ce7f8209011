"""/preview/<token>/: a draft shown through its signed link for 7 days."""

from datetime import timedelta

import time_machine
from django.core import signing
from django.utils import timezone

from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.posts.views.preview import preview_url


def draft(**fields):
    return PostFactory(status=Post.Status.DRAFT, published_at=None, **fields)


def test_the_signed_link_shows_the_draft_with_the_public_template(client, db):
    post = draft(title="Work in progress", body="Almost *there*.")
    response = client.get(preview_url(post))
    assert response.status_code == 200
    assert "posts/post_detail.html" in [t.name for t in response.templates]
    assert "Almost <em>there</em>." in response.text


def test_the_preview_is_kept_out_of_search_engines_and_caches(client, db):
    response = client.get(preview_url(draft()))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_draft_itself_stays_hidden_from_its_permalink(client, db):
    post = draft()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_link_older_than_7_days_is_404(client, db):
    post = draft()
    url = preview_url(post)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.get(url).status_code == 404


def test_a_link_6_days_old_still_works(client, db):
    post = draft()
    url = preview_url(post)
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert client.get(url).status_code == 200


def test_a_tampered_or_foreign_token_is_404(client, db):
    post = draft()
    other = signing.dumps(post.pk, salt="something-else")
    assert client.get(f"/preview/{other}/").status_code == 404
    assert client.get(preview_url(post)[:-3] + "x/").status_code == 404
    assert client.get("/preview/not-a-token/").status_code == 404


def test_a_deleted_post_is_404(client, db):
    post = draft()
    url = preview_url(post)
    post.delete()
    assert client.get(url).status_code == 404


def test_once_published_the_link_leads_to_the_post(client, db):
    post = PostFactory()
    response = client.get(preview_url(post))
    assert (response.status_code, response["Location"]) == (302, post.get_absolute_url())


def test_the_preview_of_a_draft_has_no_working_comment_form(client, db):
    response = client.get(preview_url(draft()))
    assert 'id="commentform"' not in response.text
