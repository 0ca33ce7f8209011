"""The index follows every save and delete at once, and can be rebuilt from the posts."""

from io import StringIO

from django.core.management import call_command
from django.db import connection

from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.search import search
from pressbox.search.index import rebuild
from pressbox.search.models import Document


def found(text):
    return [hit.post_id for hit in search(text).hits]


def test_a_published_post_is_found_as_soon_as_it_is_saved(db):
    post = PostFactory(title="Kettlebell swings", body="Hinge, snap, float.")
    assert found("kettlebell") == [post.pk]


def test_an_edit_is_found_at_once_and_the_old_text_is_gone(db):
    post = PostFactory(title="Kettlebell swings", body="Hinge, snap, float.")
    post.title, post.body = "Sandbag carries", "Bear hug it."
    post.save()
    assert found("sandbag") == [post.pk]
    assert found("bear hug") == [post.pk]
    assert found("kettlebell") == []
    assert found("hinge") == []


def test_publishing_a_draft_makes_it_findable(db):
    post = PostFactory(title="Sled pushes", body="Low and fast.", status=Post.Status.DRAFT)
    assert found("sled") == []
    assert not Document.objects.filter(post=post).exists()
    post.status = Post.Status.PUBLISHED
    post.save()
    assert found("sled") == [post.pk]


def test_unpublishing_removes_it_from_the_results(db):
    post = PostFactory(title="Sled pushes", body="Low and fast.")
    post.status = Post.Status.DRAFT
    post.save()
    assert found("sled") == []
    assert not Document.objects.filter(post=post).exists()


def test_deleting_a_post_removes_it_from_the_results(db):
    post = PostFactory(title="Sled pushes", body="Low and fast.")
    keep = PostFactory(title="Sled drags", body="Walk backwards.")
    post.delete()
    assert found("sled") == [keep.pk]
    assert Document.objects.count() == 1


def test_a_save_of_unrelated_fields_leaves_the_index_alone(db, django_assert_num_queries):
    post = PostFactory(title="Sled pushes", body="Low and fast.")
    post.comments_open = False
    with django_assert_num_queries(1):  # the UPDATE of the post, nothing for search
        post.save(update_fields=["comments_open"])
    assert found("sled") == [post.pk]


def test_rebuild_repairs_changes_made_without_save(db):
    post = PostFactory(title="Sled pushes", body="Low and fast.")
    Post.objects.filter(pk=post.pk).update(title="Prowler sprints")  # sends no signal
    assert found("prowler") == []
    assert rebuild() == 1
    assert found("prowler") == [post.pk]
    assert found("sled") == []


def test_rebuild_indexes_only_live_posts(db):
    PostFactory(title="Sled pushes", body="Low.")
    PostFactory(title="Sled drafts", body="Low.", status=Post.Status.DRAFT)
    assert rebuild() == 1
    assert Document.objects.count() == 1


def test_the_index_stays_consistent_through_edits(db):
    """After many writes, the full-text index answers exactly as the documents say."""
    posts = [PostFactory(title=f"Carry {n}", body="Farmer walk.") for n in range(6)]
    for post in posts[::2]:
        post.body = "Suitcase walk."
        post.save()
    posts[1].delete()
    assert sorted(found("suitcase")) == sorted(p.pk for p in posts[::2])
    assert sorted(found("farmer")) == sorted(p.pk for p in posts[3::2])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # FTS5's own check of an external-content index
            cursor.execute(
                "INSERT INTO search_document_fts(search_document_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )


def test_the_command_rebuilds_and_reports(db):
    PostFactory(title="Sled pushes", body="Low.")
    Document.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 1 post for search." in out.getvalue()
    assert "1/1 posts" in out.getvalue()
    assert len(found("sled")) == 1
