"""The site's post feeds: /feed/ (RSS 2.0), /feed/atom/ and /feed/json/ (JSON Feed 1.1)."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.utils.http import http_date

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Post, SiteSettings
from pressbox.posts.tests.feedcheck import KINDS, SUFFIX, read

MAY = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
SITE = "https://blog.example"
BODY = """See [the about page](/about/), [the notes](#notes) and [elsewhere](https://example.org/x).

<img src="/media/uploads/legs.jpg" srcset="/media/uploads/legs-640w.jpg 640w, /media/uploads/legs.jpg 1200w" alt="Legs">
"""  # noqa: E501
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def knees(db):
    """A post by two co-authors (Zoe first), in a category, tagged, with an image,
    published on 14 May and edited two days later."""
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer's Fitness").user
    zoe = AuthorProfileFactory(user__username="zoe", display_name="Zoe Coach").user
    post = PostFactory(
        title="Stronger Knees",
        slug="knees",
        body=BODY,
        excerpt="Knees love squats.",
        published_at=MAY,
        authors=[zoe, umer],
        categories=[CategoryFactory(name="Training", slug="training")],
        tags=[TagFactory(name="Legs", slug="legs")],
        featured_image=MediaFactory(alt_text="A squat rack"),
    )
    Post.objects.filter(pk=post.pk).update(updated_at=MAY + timedelta(days=2))
    post.refresh_from_db()
    return post


def feed(client, kind, path="/feed/"):
    return read(client.get(f"{path}{SUFFIX[kind]}"), kind)


@pytest.mark.parametrize("kind", KINDS)
def test_site_feed_lists_published_posts_newest_first(client, knees, kind):
    PostFactory(title="Older", published_at=MAY - timedelta(days=3))
    PostFactory(title="Draft", status=Post.Status.DRAFT)
    PostFactory(title="Pending", status=Post.Status.PENDING)
    PostFactory(title="Private", status=Post.Status.PRIVATE, published_at=MAY)
    PostFactory(title="Tomorrow", published_at=datetime.now(UTC) + timedelta(days=1))
    items = feed(client, kind).items
    assert [item.title for item in items] == ["Stronger Knees", "Older"]
    assert Post.objects.count() == 6


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_carries_the_full_content_with_absolute_urls(client, knees, kind):
    content = feed(client, kind).items[0].content_html
    assert f'href="{SITE}/about/"' in content
    assert f'href="{SITE}/2024/05/knees/#notes"' in content
    assert 'href="https://example.org/x"' in content
    assert f'src="{SITE}/media/uploads/legs.jpg"' in content
    srcset = f"{SITE}/media/uploads/legs-640w.jpg 640w, {SITE}/media/uploads/legs.jpg 1200w"
    assert f'srcset="{srcset}"' in content
    assert '="/' not in content
    assert "Legs" in content


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_names_every_coauthor_in_order(client, knees, kind):
    item = feed(client, kind).items[0]
    assert item.authors == ["Zoe Coach", "Umer’s Fitness"]
    if kind != "rss":  # RSS names authors only (dc:creator)
        assert item.author_urls == [f"{SITE}/author/zoe/", f"{SITE}/author/umer/"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_carries_its_link_id_categories_summary_and_dates(client, knees, kind):
    item = feed(client, kind).items[0]
    assert item.link == f"{SITE}/2024/05/knees/"
    assert item.id == f"{SITE}/archives/{knees.pk}/"  # survives a new slug or date
    assert item.tags == ["Training", "Legs"]
    assert item.summary == "Knees love squats."
    assert item.published == MAY
    if kind != "rss":  # RSS has no updated date
        assert item.updated == MAY + timedelta(days=2)


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_carries_the_featured_image(client, knees, kind):
    image = feed(client, kind).items[0].image
    assert image == f"{SITE}{knees.featured_image.url}"
    assert image.startswith(f"{SITE}/media/uploads/")


@pytest.mark.parametrize("kind", KINDS)
def test_the_channel_names_the_site_and_itself(client, knees, site_settings, kind):
    site_settings.title, site_settings.tagline = "Umer's Fitness", "Lift & run"
    site_settings.save()
    channel = feed(client, kind)
    assert channel.title == "Umer's Fitness"
    assert channel.link == f"{SITE}/"
    assert channel.self_link == f"{SITE}/feed/{SUFFIX[kind]}"
    assert channel.description == "Lift & run"
    assert channel.language == "en-us"


@pytest.mark.parametrize("kind", KINDS)
def test_the_feed_holds_the_latest_ten(client, db, kind):
    for day in range(12):
        PostFactory(title=f"Day {day}", published_at=MAY + timedelta(days=day))
    titles = [item.title for item in feed(client, kind).items]
    assert titles == [f"Day {day}" for day in range(11, 1, -1)]


@pytest.mark.parametrize("kind", KINDS)
def test_people_typed_text_is_escaped(client, db, kind):
    PostFactory(title="Squats <script>alert(1)</script> & rows", excerpt="a<b & c")
    response = client.get(f"/feed/{SUFFIX[kind]}")
    assert b"<script>" not in response.content
    item = read(response, kind).items[0]
    assert item.title == "Squats <script>alert(1)</script> & rows"


@pytest.mark.parametrize("kind", KINDS)
def test_last_modified_is_the_newest_items_update(client, knees, kind):
    PostFactory(published_at=MAY + timedelta(days=1))  # newer, but not edited since
    Post.objects.exclude(pk=knees.pk).update(updated_at=MAY + timedelta(days=1))
    response = client.get(f"/feed/{SUFFIX[kind]}")
    assert response["Last-Modified"] == "Thu, 16 May 2024 09:30:00 GMT"
    assert response["ETag"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_reader_that_has_the_feed_gets_304_and_no_body(client, knees, kind):
    path = f"/feed/{SUFFIX[kind]}"
    first = client.get(path)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (since.status_code, since.content) == (304, b"")
    knees.title = "Strongest Knees"
    knees.save()
    changed = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200
    assert read(changed, kind).items[0].title == "Strongest Knees"


@pytest.mark.usefixtures("no_page_cache")  # counts the queries of a render
@pytest.mark.parametrize("kind", KINDS)
def test_feed_costs_four_queries_for_3_or_30_posts(client, db, django_assert_num_queries, kind):
    SiteSettings.load()

    def add(n):
        for _ in range(n):
            people = [AuthorProfileFactory().user, AuthorProfileFactory().user]
            PostFactory(
                authors=people,
                categories=[CategoryFactory(), CategoryFactory()],
                tags=[TagFactory()],
                featured_image=MediaFactory(),
            )

    add(3)
    with django_assert_num_queries(4):  # posts with images; co-authors; categories; tags
        assert len(feed(client, kind).items) == 3
    add(27)
    with django_assert_num_queries(4):
        assert len(feed(client, kind).items) == 10


def test_rss_writes_what_wordpress_readers_expect(client, knees):
    root = ET.fromstring(client.get("/feed/").content)
    channel = root.find("channel")
    assert channel.find(f"{ATOM}link").attrib == {"rel": "self", "href": f"{SITE}/feed/"}
    assert channel.findtext("lastBuildDate") == "Thu, 16 May 2024 09:30:00 +0000"
    item = channel.find("item")
    assert [e.text for e in item.findall(f"{DC}creator")] == ["Zoe Coach", "Umer’s Fitness"]
    assert [e.text for e in item.findall("category")] == ["Training", "Legs"]
    assert item.findtext("pubDate") == "Tue, 14 May 2024 09:30:00 +0000"
    assert item.find("guid").attrib == {"isPermaLink": "false"}
    assert item.findtext("description") == "Knees love squats."
    assert f'href="{SITE}/about/"' in item.findtext(f"{CONTENT}encoded")
    assert item.findtext("comments") == f"{SITE}/2024/05/knees/#comments"
    image = knees.featured_image
    assert item.find("enclosure").attrib == {
        "url": f"{SITE}{image.url}",
        "length": "1000",
        "type": "image/jpeg",
    }
    media = item.find(f"{MEDIA}content")
    assert (media.get("url"), media.get("medium")) == (f"{SITE}{image.url}", "image")
    assert (media.get("width"), media.get("height")) == ("1200", "800")
    assert media.findtext(f"{MEDIA}description") == "A squat rack"


def test_atom_entries_carry_authors_categories_and_enclosure(client, knees):
    root = ET.fromstring(client.get("/feed/atom/").content)
    assert root.findtext(f"{ATOM}updated") == "2024-05-16T09:30:00+00:00"
    entry = root.find(f"{ATOM}entry")
    authors = [
        (a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri"))
        for a in entry.findall(f"{ATOM}author")
    ]
    assert authors == [
        ("Zoe Coach", f"{SITE}/author/zoe/"),
        ("Umer’s Fitness", f"{SITE}/author/umer/"),
    ]
    assert [c.attrib for c in entry.findall(f"{ATOM}category")] == [
        {"term": "training", "label": "Training", "scheme": f"{SITE}/category/"},
        {"term": "legs", "label": "Legs", "scheme": f"{SITE}/tag/"},
    ]
    assert entry.find(f"{ATOM}content").get("type") == "html"
    links = {link.get("rel"): link.attrib for link in entry.findall(f"{ATOM}link")}
    assert links["enclosure"]["href"] == f"{SITE}{knees.featured_image.url}"
    assert (links["enclosure"]["type"], links["enclosure"]["length"]) == ("image/jpeg", "1000")
    assert links["replies"]["href"] == f"{SITE}/2024/05/knees/feed/atom/"


def test_json_feed_items_are_complete(client, knees):
    doc = json.loads(client.get("/feed/json/").content)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == f"{SITE}/feed/json/"
    item = doc["items"][0]
    assert item["date_published"] == "2024-05-14T09:30:00+00:00"
    assert item["date_modified"] == "2024-05-16T09:30:00+00:00"
    zoe, umer = item["authors"]
    assert zoe["name"] == "Zoe Coach"
    assert zoe["url"] == f"{SITE}/author/zoe/"
    assert zoe["avatar"].startswith(f"{SITE}/avatar/")
    assert umer["name"] == "Umer’s Fitness"
    assert item["tags"] == ["Training", "Legs"]
    assert item["image"] == f"{SITE}{knees.featured_image.url}"


def test_an_imported_wordpress_post_keeps_its_wordpress_guid(client, db):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(import_ref="wxr:123")
    for kind in KINDS:
        assert feed(client, kind).items[0].id == f"{SITE}/?p=123"


def test_an_empty_site_has_empty_valid_feeds(client, db):
    for kind in KINDS:
        channel = feed(client, kind)
        assert (channel.title, channel.items) == ("Pressbox", [])


def test_last_modified_matches_http_date_of_the_newest_publication(client, db):
    """A post scheduled long ago and published later: its publication is the change."""
    post = PostFactory(published_at=MAY)
    Post.objects.filter(pk=post.pk).update(updated_at=MAY - timedelta(days=10))
    response = client.get("/feed/json/")
    assert response["Last-Modified"] == http_date(MAY.timestamp())


@pytest.mark.parametrize("kind", KINDS)
def test_a_control_character_in_an_imported_title_does_not_break_the_feed(client, db, kind):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(title="Bad\x0btitle", summary="Form\x1ffeed")
    item = feed(client, kind).items[0]
    if kind == "json":  # JSON escapes it
        assert (item.title, item.summary) == ("Bad\x0btitle", "Form\x1ffeed")
    else:  # XML 1.0 cannot hold it at all
        assert (item.title, item.summary) == ("Badtitle", "Formfeed")
