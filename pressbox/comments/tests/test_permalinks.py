"""Comment.get_absolute_url and pages.comment_pages: a permalink lands on the comment's page."""

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.pages import comment_pages
from pressbox.comments.tests.bulk import bulk_threads
from pressbox.posts.models import SiteSettings


@pytest.fixture
def paged(site_settings):
    site_settings.comments_per_page = 2
    site_settings.save()
    return site_settings


def test_a_comment_on_page_one_links_to_the_bare_permalink(post, paged):
    first = bulk_threads(post, 3)[0]
    assert first.get_absolute_url() == f"/2024/05/knees/#comment-{first.pk}"


def test_a_thread_past_page_one_links_to_its_comment_page(post, paged):
    last = bulk_threads(post, 5)[-1]
    assert last.get_absolute_url() == f"/2024/05/knees/comment-page-3/#comment-{last.pk}"


def test_a_reply_links_to_the_page_of_its_thread(post, paged):
    heads = bulk_threads(post, 3, replies=2)
    reply = Comment.objects.filter(root=heads[2]).last()
    assert reply.get_absolute_url() == f"/2024/05/knees/comment-page-2/#comment-{reply.pk}"


def test_the_link_follows_the_owners_order(post, paged):
    paged.comment_order = SiteSettings.CommentOrder.NEWEST
    paged.save()
    heads = bulk_threads(post, 5)
    assert heads[-1].get_absolute_url() == f"/2024/05/knees/#comment-{heads[-1].pk}"
    assert heads[0].get_absolute_url() == f"/2024/05/knees/comment-page-3/#comment-{heads[0].pk}"


def test_the_link_follows_the_permalink_structure(post, paged):
    paged.permalink_structure = SiteSettings.Permalink.POST_NAME
    paged.save()
    last = bulk_threads(post, 3)[-1]
    assert last.get_absolute_url() == f"/knees/comment-page-2/#comment-{last.pk}"


def test_every_comment_is_on_page_one_when_comments_are_not_paged(post, site_settings):
    site_settings.comments_per_page = 0
    site_settings.save()
    last = bulk_threads(post, 80)[-1]
    assert last.get_absolute_url() == f"/2024/05/knees/#comment-{last.pk}"


def test_a_reply_to_a_trashed_root_is_placed_as_its_own_thread(post, paged):
    heads = bulk_threads(post, 3, replies=1)
    orphan = Comment.objects.get(root=heads[0])
    Comment.objects.filter(pk=heads[0].pk).update(status=Comment.Status.TRASH)
    # Threads now: orphan, heads[1], heads[2]: the orphan opens page 1.
    assert orphan.get_absolute_url() == f"/2024/05/knees/#comment-{orphan.pk}"
    assert heads[2].get_absolute_url().startswith("/2024/05/knees/comment-page-2/")


def test_comments_on_other_posts_do_not_count(post, paged):
    CommentFactory.create_batch(4)  # on other posts
    only = bulk_threads(post, 1)[0]
    assert only.get_absolute_url() == f"/2024/05/knees/#comment-{only.pk}"


def test_pages_of_many_comments_cost_two_queries(post, paged, django_assert_num_queries):
    heads = bulk_threads(post, 30, replies=2)
    comments = list(Comment.objects.all())
    site = SiteSettings.load()
    with django_assert_num_queries(2):
        pages = comment_pages(comments, site=site)
    assert pages[heads[0].pk] == 1
    assert pages[heads[29].pk] == 15
    assert {pages[c.pk] for c in comments if c.root_id == heads[5].pk} == {3}
