"""pressbox.posts.services: saving with an action, versions, redirects, revisions."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pressbox.dashboard.tests.posts_helpers import person
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Post, PostRevision, Redirect
from pressbox.posts.services import (
    Action,
    ActionError,
    PostConflict,
    PostData,
    actions_for,
    newer_autosave,
    post_autosave,
    post_revision_restore,
    post_save,
)


def data(**changes):
    return PostData(**{"title": "Grip strength", "body": "Hang from a bar.", **changes})


def test_a_new_post_names_its_creator_as_first_author_and_keeps_a_revision(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    post.refresh_from_db()
    assert (post.status, post.slug, post.version) == ("draft", "grip-strength", 1)
    assert [pa.author for pa in post.post_authors.all()] == [writer]
    revision = post.revisions.get()
    assert (revision.kind, revision.title, revision.by) == ("save", "Grip strength", writer)


def test_co_authors_keep_the_order_given(db):
    writer, maya, tomas = person("editor"), person("author", "maya"), person("author", "tomas")
    post = post_save(post=Post(), data=data(authors=[tomas, maya]), by=writer, action=Action.SAVE)
    assert [pa.author.username for pa in post.post_authors.all()] == ["tomas", "maya"]


def test_publishing_sets_the_date_and_bumps_the_version(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    post_save(post=post, data=data(), by=writer, action=Action.PUBLISH, base_version=1)
    post.refresh_from_db()
    assert post.status == "published" and post.is_published()
    assert post.version == 2
    assert post.revisions.count() == 2


def test_a_contributor_may_not_publish(db):
    contributor = person("contributor")
    with pytest.raises(PermissionDenied):
        post_save(post=Post(), data=data(), by=contributor, action=Action.PUBLISH)
    assert not Post.objects.exists()


def test_a_contributor_submits_for_review(db):
    contributor = person("contributor")
    post = post_save(post=Post(), data=data(), by=contributor, action=Action.SUBMIT)
    assert Post.objects.get(pk=post.pk).status == "pending"
    assert actions_for(contributor, post) == [Action.SAVE, Action.SUBMIT]


def test_scheduling_needs_a_time_in_the_future(db):
    writer = person("author")
    past = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ActionError):
        post_save(post=Post(), data=data(published_at=past), by=writer, action=Action.SCHEDULE)
    assert not Post.objects.exists()


def test_a_scheduled_post_appears_when_its_time_comes(db):
    writer = person("author")
    when = timezone.now() + timedelta(hours=2)
    post = post_save(post=Post(), data=data(published_at=when), by=writer, action=Action.SCHEDULE)
    assert post.status == "scheduled" and not Post.objects.published().exists()
    with time_machine.travel(when + timedelta(seconds=1)):
        assert list(Post.objects.published()) == [post]


def test_an_older_version_raises_a_conflict_and_changes_nothing(db):
    writer, other = person("editor"), person("author", "maya")
    post = post_save(post=Post(), data=data(), by=other, action=Action.SAVE)
    post_save(post=post, data=data(body="Theirs."), by=other, action=Action.SAVE, base_version=1)
    with pytest.raises(PostConflict) as raised:
        post_save(post=post, data=data(body="Mine."), by=writer, action=Action.SAVE, base_version=1)
    assert raised.value.saved_by == other
    assert raised.value.current.body == "Theirs."
    assert Post.objects.get(pk=post.pk).body == "Theirs."
    assert post.revisions.count() == 2


def test_a_slug_change_of_a_published_post_leaves_a_301_from_the_old_url(client, db):
    writer = person("author")
    post = PostFactory(slug="old-name", authors=[writer])
    old_url = post.get_absolute_url()
    post_save(post=post, data=data(slug="new-name"), by=writer, action=Action.UPDATE)
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    assert Redirect.objects.filter(old_path=old_url).exists()


def test_a_date_change_leaves_a_redirect_from_the_old_date(client, db):
    editor = person("editor")
    post = PostFactory(slug="press", published_at=timezone.now() - timedelta(days=60))
    old_url = post.get_absolute_url()
    new_date = timezone.now() - timedelta(days=1)
    post_save(
        post=post, data=data(slug="press", published_at=new_date), by=editor, action=Action.UPDATE
    )
    assert old_url != post.get_absolute_url()
    assert Redirect.objects.get(old_path=old_url).new_path == post.get_absolute_url()
    assert client.get(old_url)["Location"] == post.get_absolute_url()


def test_every_old_url_points_at_the_newest_with_no_chain(client, db):
    editor = person("editor")
    post = PostFactory(slug="first")
    first_url = post.get_absolute_url()
    post_save(post=post, data=data(slug="second"), by=editor, action=Action.UPDATE)
    second_url = post.get_absolute_url()
    post_save(post=post, data=data(slug="third"), by=editor, action=Action.UPDATE)
    for old in (first_url, second_url, "/first/", "/second/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    assert set(Redirect.objects.values_list("new_path", flat=True)) == {post.get_absolute_url()}


def test_taking_back_an_old_slug_drops_its_redirect(db):
    editor = person("editor")
    post = PostFactory(slug="first")
    post_save(post=post, data=data(slug="second"), by=editor, action=Action.UPDATE)
    post_save(post=post, data=data(slug="first"), by=editor, action=Action.UPDATE)
    assert not Redirect.objects.filter(old_path=post.get_absolute_url()).exists()
    assert Redirect.objects.filter(old_path__contains="/second/").exists()


def test_a_draft_slug_change_leaves_no_redirect(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    post_save(post=post, data=data(slug="renamed"), by=writer, action=Action.SAVE)
    assert not Redirect.objects.exists()


def test_an_empty_slug_follows_the_title_until_the_post_is_published(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    post_save(post=post, data=data(title="Grip work"), by=writer, action=Action.PUBLISH)
    assert post.slug == "grip-work"
    post_save(post=post, data=data(title="Grip, revisited"), by=writer, action=Action.UPDATE)
    assert Post.objects.get(pk=post.pk).slug == "grip-work"


def test_unpublishing_makes_the_post_a_draft_again(db):
    writer = person("author")
    post = PostFactory(authors=[writer])
    post_save(post=post, data=data(), by=writer, action=Action.UNPUBLISH)
    post.refresh_from_db()
    assert post.status == "draft" and not Post.objects.published().exists()


def test_tags_are_reused_by_name_and_created_when_new(db):
    writer = person("author")
    TagFactory(name="Strength", slug="strength")
    post = post_save(
        post=Post(), data=data(tags=["strength", "Grip"]), by=writer, action=Action.SAVE
    )
    assert sorted(post.tags.values_list("slug", flat=True)) == ["grip", "strength"]


def test_an_editor_adds_a_category_under_a_parent(db):
    editor = person("editor")
    parent = CategoryFactory(name="Training", slug="training")
    post = post_save(
        post=Post(),
        data=data(new_category="Grip", new_category_parent=parent),
        by=editor,
        action=Action.SAVE,
    )
    (category,) = post.categories.all()
    assert (category.name, category.parent) == ("Grip", parent)


def test_an_author_may_not_add_categories(db):
    writer = person("author")
    with pytest.raises(PermissionDenied):
        post_save(post=Post(), data=data(new_category="Grip"), by=writer, action=Action.SAVE)
    assert not Post.objects.exists()


def test_autosave_keeps_a_revision_and_leaves_the_post_alone(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    revision = post_autosave(post=post, data=data(body="Unsaved words."), by=writer)
    post.refresh_from_db()
    assert (post.body, post.version) == ("Hang from a bar.", 1)
    assert (revision.kind, revision.body) == ("autosave", "Unsaved words.")
    assert newer_autosave(post=post, by=writer) == revision


def test_autosaves_since_the_last_save_are_one_revision_per_person(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    post_autosave(post=post, data=data(body="One."), by=writer)
    post_autosave(post=post, data=data(body="Two."), by=writer)
    autosaves = post.revisions.filter(kind="autosave")
    assert [r.body for r in autosaves] == ["Two."]


def test_restoring_puts_the_text_back_and_keeps_history(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(body="First."), by=writer, action=Action.SAVE)
    first = post.revisions.get()
    post_save(post=post, data=data(body="Second."), by=writer, action=Action.SAVE)
    restored = post_revision_restore(post=post, revision=first, by=writer)
    post.refresh_from_db()
    assert (post.body, post.version) == ("First.", 3)
    assert restored.kind == PostRevision.Kind.RESTORE
    assert [r.body for r in post.revisions.all()] == ["First.", "Second.", "First."]


def test_restoring_keeps_the_current_slug_when_another_post_took_the_old_one(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(slug="grip"), by=writer, action=Action.SAVE)
    first = post.revisions.get()
    post_save(post=post, data=data(slug="grip-2"), by=writer, action=Action.SAVE)
    PostFactory(slug="grip")
    post_revision_restore(post=post, revision=first, by=writer)
    assert Post.objects.get(pk=post.pk).slug == "grip-2"


def test_someone_who_may_not_edit_the_post_cannot_restore_it(db):
    writer, stranger = person("author"), person("author", "stranger")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    with pytest.raises(PermissionDenied):
        post_revision_restore(post=post, revision=post.revisions.get(), by=stranger)


def test_an_autosave_with_an_empty_slug_keeps_the_posts_slug(db):
    writer = person("author")
    post = post_save(post=Post(), data=data(), by=writer, action=Action.SAVE)
    revision = post_autosave(post=post, data=data(slug=""), by=writer)
    assert revision.slug == "grip-strength"
    assert newer_autosave(post=post, by=writer) is None  # nothing differs from the post
