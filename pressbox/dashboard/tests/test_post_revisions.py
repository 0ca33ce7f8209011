"""/dashboard/posts/<id>/revisions/: the list, a diff of any two, restoring any."""

import pytest

from pressbox.dashboard.tests.posts_helpers import person, sign_in
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post, PostRevision
from pressbox.posts.services import Action, PostData, post_save


def post_with_history(user, *bodies):
    post = Post()
    for body in bodies:
        post_save(post=post, data=PostData(title="Grip", body=body), by=user, action=Action.SAVE)
    return post


def test_every_revision_is_listed_newest_first(client, db):
    me = sign_in(client, "author")
    post = post_with_history(me, "One.", "Two.")
    response = client.get(f"/dashboard/posts/{post.pk}/revisions/")
    assert response.status_code == 200
    assert [r.body for r, _ in response.context["revisions"]] == ["Two.", "One."]
    assert "Current text" in response.text
    assert response.text.count(">Restore<span") == 1


def test_two_revisions_are_compared_line_by_line(client, db):
    me = sign_in(client, "author")
    post = post_with_history(me, "Same.\nOld line.", "Same.\nNew line.")
    old, new = PostRevision.objects.order_by("pk")
    response = client.get(f"/dashboard/posts/{post.pk}/revisions/?from={old.pk}&to={new.pk}")
    hidden = '<span class="visually-hidden">'
    removed = f'<li class="diff-removed"><del>{hidden}Before: </span><mark>Old</mark> line.</del>'
    added = f'<li class="diff-added"><ins>{hidden}After: </span><mark>New</mark> line.</ins>'
    assert removed in response.text and added in response.text
    assert '<li class="diff-context">Same.</li>' in response.text


def test_the_order_of_the_two_chosen_does_not_matter(client, db):
    me = sign_in(client, "author")
    post = post_with_history(me, "Old.", "New.")
    old, new = PostRevision.objects.order_by("pk")
    response = client.get(f"/dashboard/posts/{post.pk}/revisions/?from={new.pk}&to={old.pk}")
    assert response.context["older"] == old and response.context["newer"] == new


def test_the_diff_escapes_everything(client, db):
    me = sign_in(client, "author")
    post = post_with_history(me, "Safe.", '<script>alert("x")</script>')
    old, new = PostRevision.objects.order_by("pk")
    response = client.get(f"/dashboard/posts/{post.pk}/revisions/?from={old.pk}&to={new.pk}")
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text


def test_a_revision_of_another_post_is_404(client, db):
    me = sign_in(client, "author")
    post, other = post_with_history(me, "A."), post_with_history(me, "B.")
    theirs = other.revisions.get()
    response = client.get(f"/dashboard/posts/{post.pk}/revisions/?from={theirs.pk}&to={theirs.pk}")
    assert response.status_code == 404


def test_restoring_a_revision_puts_its_text_back_and_keeps_history(client, db):
    me = sign_in(client, "author")
    post = post_with_history(me, "First.", "Second.")
    first = PostRevision.objects.order_by("pk").first()
    response = client.post(f"/dashboard/posts/{post.pk}/revisions/{first.pk}/restore/")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/posts/{post.pk}/edit/"
    assert Post.objects.get(pk=post.pk).body == "First."
    kinds = list(post.revisions.values_list("kind", "body"))
    assert kinds == [("restore", "First."), ("save", "Second."), ("save", "First.")]


def test_restoring_is_only_by_post(client, db):
    me = sign_in(client, "author")
    post = post_with_history(me, "First.")
    revision = post.revisions.get()
    response = client.get(f"/dashboard/posts/{post.pk}/revisions/{revision.pk}/restore/")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("contributor", False), ("author", False), ("editor", True), ("administrator", True)],
)
def test_only_those_who_may_edit_the_post_see_or_restore_its_revisions(client, db, role, allowed):
    sign_in(client, role)
    post = post_with_history(person("author", "maya"), "First.", "Second.")
    first = PostRevision.objects.order_by("pk").first()
    listing = client.get(f"/dashboard/posts/{post.pk}/revisions/")
    restore = client.post(f"/dashboard/posts/{post.pk}/revisions/{first.pk}/restore/")
    assert (listing.status_code, restore.status_code) == ((200, 302) if allowed else (403, 403))
    assert Post.objects.get(pk=post.pk).body == ("First." if allowed else "Second.")


def test_a_contributor_cannot_restore_their_published_post(client, db):
    me = sign_in(client, "contributor")
    post = PostFactory(authors=[me])
    revision = PostRevision.objects.create(post=post, title="Old", body="Old.", by=me)
    response = client.post(f"/dashboard/posts/{post.pk}/revisions/{revision.pk}/restore/")
    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).title != "Old"
