"""What the post page offers around the text: a table of contents for long posts with
stable heading anchors, the previous and next posts, and related posts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressbox.lib.markup import anchor_headings, render_markdown
from pressbox.lib.tests.html import elements, select, select_one
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Post

MAY = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
PARAGRAPH = " ".join(["Brace your core and keep the bar over mid-foot."] * 30)  # 300 words
LONG_BODY = f"""{PARAGRAPH}

## Why knees hurt

{PARAGRAPH}

### The "quiet" tendon

Short.

## Five moves

{PARAGRAPH}

## Comments

The word is taken by the page's own comment section.
"""


def test_headings_get_stable_ids_from_their_text():
    markup, toc = anchor_headings(render_markdown(LONG_BODY))
    ids = [entry["id"] for entry in toc]
    assert ids == ["why-knees-hurt", "the-quiet-tendon", "five-moves", "comments-section"]
    assert '<h2 id="why-knees-hurt">Why knees hurt</h2>' in markup
    # Editing text elsewhere leaves every anchor where it was.
    edited, _ = anchor_headings(render_markdown("New intro.\n\n" + LONG_BODY))
    assert [entry["id"] for entry in anchor_headings(edited)[1]] == ids


def test_repeated_headings_get_numbered_ids_and_written_ids_are_kept():
    markup, toc = anchor_headings(
        render_markdown('## Sets\n\n## Sets\n\n<h2 id="own-anchor">Reps</h2>\n\n## Own anchor\n')
    )
    assert [entry["id"] for entry in toc] == ["sets", "sets-2", "own-anchor", "own-anchor-2"]
    assert markup.count('id="own-anchor"') == 1


def test_heading_text_cannot_break_out_of_the_id():
    markup, toc = anchor_headings(
        render_markdown('## Tom\'s "best" <em>lift</em> & more "><script>x()</script>\n')
    )
    assert "<script>" not in markup
    assert toc[0]["id"] == "toms-best-lift-more"
    assert toc[0]["title"] == 'Tom’s “best” lift & more ">'
    assert '<h2 id="toms-best-lift-more">' in markup


@pytest.fixture
def long_post(db):
    return PostFactory(title="Knee care", slug="knee-care", body=LONG_BODY, published_at=MAY)


def test_a_long_post_shows_a_table_of_contents_linking_to_its_sections(client, long_post):
    html = client.get("/2024/05/knee-care/").text
    select_one(html, "nav", class_="toc")
    links = [(a.attrs["href"], a.text) for a in select(html, "a") if a.inside("nav", class_="toc")]
    assert links == [
        ("#why-knees-hurt", "Why knees hurt"),
        ("#the-quiet-tendon", "The “quiet” tendon"),
        ("#five-moves", "Five moves"),
        ("#comments-section", "Comments"),
    ]
    # Every entry lands on a heading of the post; the h3 nests under its h2.
    headings = {
        e.attrs["id"]: e.tag
        for e in elements(html)
        if e.inside("div", class_="entry-content") and "id" in e.attrs
    }
    assert [headings[href[1:]] for href, _ in links] == ["h2", "h3", "h2", "h2"]
    nested = [
        a.text
        for a in select(html, "a")
        if a.inside("nav", class_="toc") and sum(p.tag == "ol" for p in a.ancestors) == 2
    ]
    assert nested == ["The “quiet” tendon"]


def test_a_short_post_has_no_table_of_contents(client, db):
    PostFactory(slug="short", body="## One\n\nA\n\n## Two\n\nB\n\n## Three\n\nC", published_at=MAY)
    assert select(client.get("/2024/05/short/").text, "nav", class_="toc") == []


def test_previous_and_next_posts_link_in_date_order(client, db):
    first = PostFactory(title="First", slug="first", published_at=MAY - timedelta(days=2))
    PostFactory(title="Draft between", status=Post.Status.DRAFT, published_at=MAY - timedelta(1))
    middle = PostFactory(title="Middle", slug="middle", published_at=MAY)
    last = PostFactory(title="Last", slug="last", published_at=MAY + timedelta(days=2))
    html = client.get(middle.get_absolute_url()).text
    assert select_one(html, "a", rel="prev").attrs["href"] == first.get_absolute_url()
    assert select_one(html, "a", rel="next").attrs["href"] == last.get_absolute_url()
    assert "Previous post First" in select_one(html, "nav", class_="post-navigation").text
    oldest = client.get(first.get_absolute_url()).text
    assert select(oldest, "a", rel="prev") == []
    assert select_one(oldest, "a", rel="next").attrs["href"] == middle.get_absolute_url()


def test_posts_published_at_the_same_moment_still_chain(client, db):
    a = PostFactory(slug="same-a", published_at=MAY)
    b = PostFactory(slug="same-b", published_at=MAY)
    html = client.get(a.get_absolute_url()).text
    assert select_one(html, "a", rel="next").attrs["href"] == b.get_absolute_url()
    html = client.get(b.get_absolute_url()).text
    assert select_one(html, "a", rel="prev").attrs["href"] == a.get_absolute_url()


def test_a_future_post_is_not_offered_as_next(client, db):
    post = PostFactory(slug="now", published_at=MAY)
    PostFactory(slug="later", published_at=datetime.now(UTC) + timedelta(days=3))
    assert select(client.get(post.get_absolute_url()).text, "a", rel="next") == []


def related_titles(html):
    return [a.text for a in select(html, "a") if a.inside("section", class_="related-posts")]


def test_related_posts_rank_shared_tags_above_a_shared_category(client, db):
    legs, mobility = CategoryFactory(name="Legs"), CategoryFactory(name="Mobility")
    knees, squat = TagFactory(name="knees"), TagFactory(name="squat")
    post = PostFactory(slug="seed", categories=[legs], tags=[knees, squat], published_at=MAY)
    PostFactory(title="Both tags", categories=[mobility], tags=[knees, squat], published_at=MAY)
    PostFactory(title="One tag", categories=[mobility], tags=[knees], published_at=MAY)
    PostFactory(title="Same category", categories=[legs], published_at=MAY)
    PostFactory(title="Unrelated", categories=[mobility], published_at=MAY)
    PostFactory(title="Draft", categories=[legs], tags=[knees], status=Post.Status.DRAFT)
    html = client.get(post.get_absolute_url()).text
    assert related_titles(html) == ["Both tags", "One tag", "Same category"]


def test_a_post_without_tags_still_ranks_related_posts_by_what_they_share(client, db):
    legs, mobility = CategoryFactory(name="Legs"), CategoryFactory(name="Mobility")
    post = PostFactory(slug="seed", categories=[legs, mobility], published_at=MAY)
    PostFactory(title="Both", categories=[legs, mobility], published_at=MAY - timedelta(days=2))
    PostFactory(title="Newer, one", categories=[legs], published_at=MAY - timedelta(days=1))
    html = client.get(post.get_absolute_url()).text
    assert related_titles(html) == ["Both", "Newer, one"]


def test_a_post_sharing_nothing_shows_no_related_section(client, db):
    post = PostFactory(slug="alone", published_at=MAY)
    PostFactory(published_at=MAY)
    html = client.get(post.get_absolute_url()).text
    assert select(html, "section", class_="related-posts") == []


@pytest.mark.usefixtures("no_page_cache")
def test_reading_aids_cost_the_same_queries_on_a_bigger_site(client, db):
    legs, knees = CategoryFactory(name="Legs"), TagFactory(name="knees")
    post = PostFactory(slug="seed", categories=[legs], tags=[knees], published_at=MAY)
    for n in range(2):
        PostFactory(categories=[legs], tags=[knees], published_at=MAY - timedelta(days=n + 1))

    def count() -> int:
        client.get(post.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(post.get_absolute_url())
        assert len(related_titles(response.text)) == min(3, Post.objects.count() - 1)
        return len(queries.captured_queries)

    small = count()
    for n in range(40):
        PostFactory(categories=[legs], tags=[knees], published_at=MAY + timedelta(days=n + 1))
    assert count() == small


def test_posts_saved_before_anchors_get_them_on_migrate(db):
    from importlib import import_module

    from django.apps import apps

    post = PostFactory(body="## Warm up\n\nEasy.\n")
    Post.objects.filter(pk=post.pk).update(body_html="<h2>Warm up</h2><p>Easy.</p>", toc=[])
    before = Post.objects.get(pk=post.pk).updated_at
    import_module("pressbox.posts.migrations.0006_anchor_existing_headings").anchor_all(apps, None)
    post = Post.objects.get(pk=post.pk)
    assert post.body_html == '<h2 id="warm-up">Warm up</h2><p>Easy.</p>'
    assert post.toc == [{"level": 2, "id": "warm-up", "title": "Warm up"}]
    assert post.updated_at == before
