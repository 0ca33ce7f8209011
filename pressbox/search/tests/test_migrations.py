"""Upgrading indexes the posts published before search existed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_save

from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.search import search
from pressbox.search.index import post_saved


@pytest.mark.django_db(transaction=True)
def test_migrating_indexes_existing_published_posts():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("search")
    executor.migrate([("search", None)])
    post_save.disconnect(post_saved, sender=Post, dispatch_uid="pressbox.search.post-saved")
    try:
        old = PostFactory(title="Farmer carries", body="Heavy <em>and</em> long.")
        PostFactory(title="Farmer drafts", body="Heavy.", status=Post.Status.DRAFT)
    finally:
        post_save.connect(post_saved, sender=Post, dispatch_uid="pressbox.search.post-saved")
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert [hit.post_id for hit in search("farmer").hits] == [old.pk]
    assert search("em").total == 0
