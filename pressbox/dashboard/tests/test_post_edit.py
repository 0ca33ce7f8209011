"""/dashboard/posts/<id>/edit/: who may edit what, saving, conflicts, redirects."""

import pytest

from pressbox.dashboard.tests.posts_helpers import form_data, person, sign_in
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post, PostRevision
from pressbox.posts.services import Action, PostData, post_autosave, post_save


def draft_by(user, **fields):
    data = PostData(title=fields.pop("title", "Draft"), body=fields.pop("body", "Words."))
    return post_save(post=Post(), data=data, by=user, action=Action.SAVE)


def edit_data(post, **changes):
    saved = {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "version": str(post.version),
        "authors": ", ".join(pa.author.username for pa in post.post_authors.all()),
    }
    return form_data(**{**saved, **changes})


# Who may open which post --------------------------------------------------------------

CASES = [
    # role, whose post, published?, may edit
    ("contributor", "own", False, True),
    ("contributor", "own", True, False),
    ("contributor", "other", False, False),
    ("author", "own", False, True),
    ("author", "own", True, True),
    ("author", "other", False, False),
    ("editor", "other", False, True),
    ("editor", "other", True, True),
    ("administrator", "other", True, True),
]


@pytest.mark.parametrize(("role", "whose", "published", "allowed"), CASES)
def test_who_may_open_the_editor(client, db, role, whose, published, allowed):
    me = sign_in(client, role)
    owner = me if whose == "own" else person("author", "maya")
    status = Post.Status.PUBLISHED if published else Post.Status.DRAFT
    post = PostFactory(authors=[owner], status=status)
    response = client.get(f"/dashboard/posts/{post.pk}/edit/")
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("role", "whose", "published", "allowed"), CASES)
def test_who_may_save_which_post(client, db, role, whose, published, allowed):
    me = sign_in(client, role)
    owner = me if whose == "own" else person("author", "maya")
    status = Post.Status.PUBLISHED if published else Post.Status.DRAFT
    post = PostFactory(title="Before", authors=[owner], status=status)
    action = "update" if published else "save"
    response = client.post(
        f"/dashboard/posts/{post.pk}/edit/", edit_data(post, title="After", action=action)
    )
    assert response.status_code == (302 if allowed else 403)
    assert Post.objects.get(pk=post.pk).title == ("After" if allowed else "Before")


def test_a_missing_post_is_404(client, db):
    sign_in(client, "editor")
    assert client.get("/dashboard/posts/999/edit/").status_code == 404


# Saving --------------------------------------------------------------------------------


def test_the_form_opens_with_the_post_as_saved(client, db):
    me = sign_in(client, "author")
    post = PostFactory(title="Grip", slug="grip-work", authors=[me], seo_description="Hold on.")
    response = client.get(f"/dashboard/posts/{post.pk}/edit/")
    assert 'value="Grip"' in response.text
    assert 'value="grip-work"' in response.text
    assert "Hold on.</textarea>" in response.text
    assert f'name="version" value="{post.version}"' in response.text
    assert 'value="update" class="button primary">Update' in response.text


def test_an_editor_publishes_a_pending_post(client, db):
    sign_in(client, "editor")
    post = draft_by(person("contributor"))
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PENDING)
    post.refresh_from_db()
    response = client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, action="publish"))
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).is_published()


def test_saving_a_pending_post_keeps_it_pending(client, db):
    me = sign_in(client, "contributor")
    post = draft_by(me)
    client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, action="submit"))
    post.refresh_from_db()
    client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, body="Fixed a typo."))
    assert Post.objects.get(pk=post.pk).status == "pending"


def test_unpublishing_takes_the_post_off_the_site(client, db):
    me = sign_in(client, "author")
    post = PostFactory(authors=[me])
    url = post.get_absolute_url()
    client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, action="unpublish"))
    assert Post.objects.get(pk=post.pk).status == "draft"
    assert client.get(url).status_code == 404


def test_a_new_slug_on_a_published_post_answers_301_from_the_old_url(client, db):
    me = sign_in(client, "author")
    post = PostFactory(slug="old-slug", authors=[me])
    old_url = post.get_absolute_url()
    client.post(
        f"/dashboard/posts/{post.pk}/edit/", edit_data(post, slug="new-slug", action="update")
    )
    post.refresh_from_db()
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    assert post.slug == "new-slug"


def test_saving_keeps_a_revision_each_time(client, db):
    me = sign_in(client, "author")
    post = draft_by(me)
    client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, body="Second."))
    post.refresh_from_db()
    client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, body="Third."))
    assert [r.body for r in post.revisions.all()] == ["Third.", "Second.", "Words."]


def test_the_saved_message_says_what_happened(client, db):
    me = sign_in(client, "author")
    post = draft_by(me)
    response = client.post(
        f"/dashboard/posts/{post.pk}/edit/", edit_data(post, action="publish"), follow=True
    )
    assert "Published." in response.text
    assert "View post" in response.text


def test_a_draft_shows_a_shareable_preview_link_and_a_published_post_does_not(client, db):
    me = sign_in(client, "author")
    draft = draft_by(me)
    assert "http://testserver/preview/" in client.get(f"/dashboard/posts/{draft.pk}/edit/").text
    live = PostFactory(authors=[me])
    assert "/preview/" not in client.get(f"/dashboard/posts/{live.pk}/edit/").text.replace(
        "/dashboard/posts/preview/", ""
    )


# Conflicts -----------------------------------------------------------------------------


def test_a_save_over_someone_elses_newer_save_is_refused_and_shows_both(client, db):
    sign_in(client, "editor")
    maya = person("author", "maya")
    post = draft_by(maya, body="Original.")
    opened_at = post.version
    post_save(
        post=post, data=PostData(title="Draft", body="Maya's words."), by=maya, action=Action.SAVE
    )
    response = client.post(
        f"/dashboard/posts/{post.pk}/edit/",
        edit_data(post, body="My words.", version=str(opened_at)),
    )
    assert response.status_code == 409
    assert "saved this post while you were editing" in response.text
    assert "Sam Writer" in response.text  # Maya's display name
    assert "My words.</textarea>" in response.text
    assert (
        '<del><span class="visually-hidden">Theirs: </span><mark>Maya&#x27;s</mark> words.</del>'
        in response.text
    )
    assert Post.objects.get(pk=post.pk).body == "Maya's words."


def test_save_mine_anyway_overwrites_on_purpose(client, db):
    me = sign_in(client, "editor")
    maya = person("author", "maya")
    post = draft_by(maya)
    post_save(post=post, data=PostData(title="Draft", body="Theirs."), by=maya, action=Action.SAVE)
    post.refresh_from_db()
    data = edit_data(post, body="Mine.", version="1", override_version=str(post.version))
    data.pop("action")
    response = client.post(f"/dashboard/posts/{post.pk}/edit/", {**data, "override": "save"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.body, post.version) == ("Mine.", 3)
    assert post.revisions.first().by == me


def test_the_conflict_form_offers_save_mine_anyway_with_their_version(client, db):
    sign_in(client, "editor")
    maya = person("author", "maya")
    post = draft_by(maya)
    post_save(post=post, data=PostData(title="Draft", body="Theirs."), by=maya, action=Action.SAVE)
    response = client.post(f"/dashboard/posts/{post.pk}/edit/", edit_data(post, version="1"))
    assert 'name="override" value="save"' in response.text
    assert 'name="override_version" value="2"' in response.text
    assert 'name="version" value="1"' in response.text  # other buttons still conflict


def test_save_mine_anyway_still_refuses_if_yet_another_save_came_in(client, db):
    sign_in(client, "editor")
    maya = person("author", "maya")
    post = draft_by(maya)
    for body in ("Two.", "Three."):
        post_save(post=post, data=PostData(title="Draft", body=body), by=maya, action=Action.SAVE)
    data = edit_data(post, body="Mine.", version="1", override_version="2")
    data.pop("action")
    response = client.post(f"/dashboard/posts/{post.pk}/edit/", {**data, "override": "save"})
    assert response.status_code == 409
    assert Post.objects.get(pk=post.pk).body == "Three."


# Autosaved text ------------------------------------------------------------------------


def test_a_newer_autosave_is_offered_for_restoring(client, db):
    me = sign_in(client, "author")
    post = draft_by(me)
    revision = post_autosave(post=post, data=PostData(title="Draft", body="Unsaved."), by=me)
    response = client.get(f"/dashboard/posts/{post.pk}/edit/")
    assert "Restore the autosaved version" in response.text
    assert f'href="?autosave={revision.pk}"' in response.text


def test_restoring_the_autosave_fills_the_form_without_saving(client, db):
    me = sign_in(client, "author")
    post = draft_by(me)
    revision = post_autosave(post=post, data=PostData(title="Draft", body="Unsaved."), by=me)
    response = client.get(f"/dashboard/posts/{post.pk}/edit/?autosave={revision.pk}")
    assert "Unsaved.</textarea>" in response.text
    assert "It is not saved yet" in response.text
    assert Post.objects.get(pk=post.pk).body == "Words."


def test_someone_elses_autosave_is_not_offered(client, db):
    sign_in(client, "editor")
    maya = person("author", "maya")
    post = draft_by(maya)
    post_autosave(post=post, data=PostData(title="Draft", body="Maya's unsaved."), by=maya)
    assert (
        "Restore the autosaved version</a>"
        not in client.get(f"/dashboard/posts/{post.pk}/edit/").text
    )


def test_an_autosave_of_another_post_cannot_be_loaded(client, db):
    me = sign_in(client, "author")
    post, other = draft_by(me), draft_by(me, title="Other")
    revision = post_autosave(post=other, data=PostData(title="Other", body="x"), by=me)
    response = client.get(f"/dashboard/posts/{post.pk}/edit/?autosave={revision.pk}")
    assert response.status_code == 404
    assert PostRevision.objects.filter(kind="autosave").count() == 1


def test_a_post_published_by_someone_else_meanwhile_is_a_conflict_not_an_error(client, db):
    me = sign_in(client, "author")
    post = draft_by(me)
    opened_at = post.version
    editor = person("editor", "eddie")
    post_save(post=post, data=PostData(title="Draft"), by=editor, action=Action.PUBLISH)
    response = client.post(
        f"/dashboard/posts/{post.pk}/edit/", edit_data(post, body="Mine.", version=str(opened_at))
    )
    assert response.status_code == 409
    assert 'name="override" value="update"' in response.text
    assert Post.objects.get(pk=post.pk).body == ""
