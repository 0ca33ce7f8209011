"""pressbox.lib.prepared: querysets compiled once, run with new values each time."""

from datetime import UTC, datetime, timedelta

import pytest

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.lib.prepared import Param, Prepared, attach
from pressbox.posts.factories import CategoryFactory, PostFactory
from pressbox.posts.models import Category, Post, PostAuthor

MAY = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)

BY_SLUG: Prepared[Post] = Prepared(
    lambda: Post.objects.filter(
        slug=Param("slug", Post, "slug"), published_at__lte=Param("now", Post, "published_at")
    )
)
AUTHORS: Prepared[PostAuthor] = Prepared(
    lambda: PostAuthor.objects.filter(post=Param("post", PostAuthor, "post")).select_related(
        "author__profile"
    )
)
DATES = Prepared(
    lambda: Post.objects.filter(pk=Param("pk", Post, "id")).values_list("slug", "published_at")
)


@pytest.fixture
def posts(db):
    return [PostFactory(slug=f"day-{n}", published_at=MAY + timedelta(days=n)) for n in range(3)]


def test_the_same_statement_answers_each_value_as_the_orm_would(posts):
    for post in posts:
        found = BY_SLUG.all(slug=post.slug, now=MAY + timedelta(days=1))
        expected = Post.objects.filter(slug=post.slug, published_at__lte=MAY + timedelta(days=1))
        assert found == list(expected)
    assert BY_SLUG.first(slug="day-2", now=MAY) is None


def test_instances_come_with_converted_values_and_their_related_rows(posts):
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer").user
    post = PostFactory(authors=[umer], published_at=MAY)
    (found,) = BY_SLUG.all(slug=post.slug, now=MAY)
    assert (found.published_at, found.title) == (MAY, post.title)
    (authorship,) = AUTHORS.all(post=post.pk)
    assert authorship.author.profile.display_name == "Umer"


def test_a_values_list_gives_tuples(posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert DATES.all(pk=posts[1].pk) == [("day-1", MAY + timedelta(days=1))]


def test_each_run_is_one_query_and_a_missing_value_is_an_error(posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        BY_SLUG.all(slug="day-0", now=MAY)
    with pytest.raises(KeyError):
        BY_SLUG.all(slug="day-0")


def test_attach_answers_a_relation_without_a_query(posts, django_assert_num_queries):
    post = posts[0]
    attach(post, "categories", Category, [CategoryFactory(name="Legs")])
    with django_assert_num_queries(0):
        assert [c.name for c in post.categories.all()] == ["Legs"]
