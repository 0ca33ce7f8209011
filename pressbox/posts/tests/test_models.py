"""Post, Category, Tag and SiteSettings: what save() derives and what published() lets in."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory
from pressbox.posts.models import Category, Page, Post, SiteSettings, Tag


def test_slug_is_derived_from_the_title_and_kept_unique(db):
    first = PostFactory(title="Leg Day, Again!", slug="")
    second = PostFactory(title="Leg day again", slug="")
    assert (first.slug, second.slug) == ("leg-day-again", "leg-day-again-2")
    assert Post.objects.filter(slug__startswith="leg-day-again").count() == 2


def test_resaving_keeps_the_slug_it_already_has(db):
    post = PostFactory(title="Leg Day", slug="")
    post.title = "Leg Day (revised)"
    post.save()
    assert Post.objects.get(pk=post.pk).slug == "leg-day"


def test_untitled_text_still_gets_a_slug(db):
    assert Tag.objects.create(name="!!!").slug == "untitled"
    assert Category.objects.create(name="Ünïcode Ça").slug == "unicode-ca"


def test_a_given_excerpt_is_the_summary(db):
    post = PostFactory(excerpt="  Hand-written teaser.  ")
    assert Post.objects.get(pk=post.pk).summary == "Hand-written teaser."


def test_summary_is_derived_from_the_first_55_words_with_an_ellipsis(db):
    words = [f"word{i}" for i in range(80)]
    post = PostFactory(body=" ".join(words), excerpt="")
    assert post.summary == " ".join(words[:55]) + "…"
    assert Post.objects.get(pk=post.pk).word_count == 80


def test_body_html_is_rendered_once_on_save(db):
    post = PostFactory(body="It's *fine* -- really")
    stored = Post.objects.values_list("body_html", flat=True).get(pk=post.pk)
    assert stored == "<p>It’s <em>fine</em> – really</p>\n"


def test_saving_with_a_future_date_makes_the_post_scheduled(db):
    post = PostFactory(published_at=timezone.now() + timedelta(days=2))
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED
    assert not Post.objects.published().filter(pk=post.pk).exists()
    assert post.display_status == "Scheduled"


def test_publishing_without_a_date_stamps_now(db):
    with time_machine.travel(datetime(2024, 3, 1, 8, tzinfo=UTC), tick=False):
        post = PostFactory(published_at=None)
    assert post.status == Post.Status.PUBLISHED
    assert Post.objects.get(pk=post.pk).published_at == datetime(2024, 3, 1, 8, tzinfo=UTC)


def test_published_lets_in_scheduled_posts_once_their_time_has_come(db):
    when = datetime(2030, 1, 1, tzinfo=UTC)
    post = PostFactory(published_at=when)
    PostFactory(status=Post.Status.DRAFT)
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        assert list(Post.objects.published()) == [post]
        assert post.is_published()


def test_drafts_are_never_published_even_with_a_past_date(db):
    post = PostFactory(status=Post.Status.DRAFT)
    assert post.published_at is not None
    assert not post.is_published() and not post.accepts_comments()
    assert not Post.objects.published().exists()


def test_pages_share_the_published_queryset(db):
    PageFactory(slug="about")
    PageFactory(slug="draft-page", status=Post.Status.DRAFT)
    assert [page.slug for page in Page.objects.published()] == ["about"]


def test_child_category_url_nests_under_its_parent(db):
    parent = CategoryFactory(name="Training", slug="training")
    child = Category.objects.create(name="Strength", slug="strength", parent=parent)
    grandchild = Category.objects.create(name="Legs", slug="legs", parent=child)
    assert child.get_absolute_url() == "/category/training/strength/"
    assert grandchild.get_absolute_url() == "/category/training/strength/legs/"
    assert parent.descendant_ids() == {parent.pk, child.pk, grandchild.pk}


def test_category_cycles_are_cut(db):
    a = CategoryFactory(slug="a")
    b = Category.objects.create(name="B", slug="b", parent=a)
    Category.objects.filter(pk=a.pk).update(parent=b)
    a.refresh_from_db()
    assert a.get_absolute_url() == "/category/b/a/"
    assert a.descendant_ids() == {a.pk, b.pk}


def test_site_settings_are_one_row_and_saving_refreshes_the_cache(db):
    site = SiteSettings.load()
    site.title = "Umer's Fitness"
    site.save()
    SiteSettings(title="Second row?").save()
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.load().title == "Second row?"


def test_reading_minutes_never_drop_below_one(db):
    assert PostFactory(body="Short.").reading_minutes == 1
    assert PostFactory(body="word " * 690).reading_minutes == 3


def test_site_settings_are_read_from_the_cache_once_per_request(client, db, no_page_cache):
    from unittest import mock

    from pressbox.posts import models as post_models
    from pressbox.posts.factories import PostFactory

    url = PostFactory().get_absolute_url()
    client.get(url)
    with mock.patch.object(post_models.cache, "get", wraps=post_models.cache.get) as get:
        client.get(url)
    key = post_models.SiteSettings.CACHE_KEY
    assert sum(1 for call in get.call_args_list if call.args[0] == key) == 1


def test_a_settings_change_shows_on_the_next_request(client, db, no_page_cache):
    from pressbox.posts.models import SiteSettings

    client.get("/")  # the memo of that request must not outlive it
    settings_row = SiteSettings.objects.get(pk=1)
    settings_row.title = "Iron & Oats"
    settings_row.save()
    assert "Iron &amp; Oats" in client.get("/").text
