"""Every public page costs a fixed number of queries, whatever the size of the site,
and reads the tables that grow with it through an index.

One table for all page types (issue 7: reads are O(1) in the site's size). Each count
is taken on a small site, then again once the site has ten times the posts, comments,
authors, categories and tags; both must equal the pinned number. The page cache is off
and the per-site caches (settings, menu, related posts) are warm, as on a page-cache
miss: that is what `count_queries` measures.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.comments.tests.bulk import bulk_threads
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory

MAY = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)

# path: (queries, what they are). "Parents" are the categories' parent categories,
# fetched once for a whole list (the site's tree here is two levels deep).
BUDGET = {
    "/2024/05/knees/": (8, "post; co-authors; categories; tags; comment ids; comments; prev; next"),
    "/about/": (1, "the page"),
    "/": (5, "posts with comment counts; co-authors; categories; parents; sticky posts"),
    "/page/2/": (4, "posts with comment counts; co-authors; categories; parents"),
    "/category/training/": (7, "category; its subtree, a query a level (2); posts; authors…"),
    "/tag/knees/": (5, "tag; posts with comment counts; co-authors; categories; parents"),
    "/author/umer/": (5, "author; posts with comment counts; co-authors; categories; parents"),
    "/2024/": (5, "any post that year; posts; co-authors; categories; parents"),
    "/2024/05/": (5, "any post that month; posts; co-authors; categories; parents"),
    "/?s=squat": (6, "matches and their count; snippets; posts; co-authors; categories; parents"),
    "/feed/": (4, "posts with images; co-authors; categories; tags"),
    "/category/training/feed/": (7, "category; its subtree (2); posts; co-authors; cats; tags"),
    "/2024/05/knees/feed/": (4, "the post; comments; visible roots; positions"),
    "/comments/feed/": (3, "comments with posts; visible roots; positions"),
    # Past 50,000 posts the sitemap becomes an index of files: one query more a file.
    "/sitemap.xml": (11, "counts, categories, and the newest change of each section"),
}


@pytest.fixture
def site(db, site_settings):
    """A blog that can grow: `site.grow(n)` adds n posts like the seed's, each with a
    thread of comments, in the same category and tag."""
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer").user
    training = CategoryFactory(name="Training", slug="training")
    strength = CategoryFactory(name="Strength", slug="strength", parent=training)
    knees = TagFactory(name="Knees", slug="knees")
    PageFactory(title="About", slug="about")

    class Site:
        made = 0

        def grow(self, n: int) -> None:
            for _ in range(n):
                Site.made += 1
                post = PostFactory(
                    title=f"Squat day {Site.made}",
                    slug="knees" if Site.made == 1 else f"squat-day-{Site.made}",
                    body="Squat deep, squat often.",
                    published_at=MAY - timedelta(hours=Site.made),
                    authors=[umer, AuthorProfileFactory().user],
                    categories=[strength, CategoryFactory()],
                    tags=[knees, TagFactory()],
                )
                bulk_threads(post, 3, replies=2, start=Site.made * 100)

    grown = Site()
    grown.grow(12)
    return grown


def test_every_page_costs_its_pinned_queries_on_a_small_and_a_ten_times_larger_site(
    site, count_queries
):
    pinned = {path: queries for path, (queries, _) in BUDGET.items()}
    small = {path: count_queries(path) for path in BUDGET}
    site.grow(108)
    larger = {path: count_queries(path) for path in BUDGET}
    assert small == pinned
    assert larger == pinned


# Tables that grow with the site: a page reads them through an index (a SCAN in index
# order, as the comments feed's newest first, stops at its LIMIT).
GROWING = ("posts_post", "comments_comment", "posts_postauthor", "posts_post_categories")
# What lists every post, by its nature.
WHOLE_SITE = {"/sitemap.xml"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_no_page_walks_a_growing_table_without_an_index(site, client, settings):
    settings.PRESSBOX_PAGE_CACHE = False
    walks = []
    for path in set(BUDGET) - WHOLE_SITE:
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            client.get(path)
        for query in context.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                plan = [row[-1] for row in cursor.fetchall()]
            walks += [
                f"{path}: {step}"
                for step in plan
                if step.startswith("SCAN ") and step.split()[1] in GROWING and "INDEX" not in step
            ]
    assert walks == []
