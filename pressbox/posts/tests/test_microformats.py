"""microformats2 as an IndieWeb reader parses them (mf2py): the post page is an h-entry
with an h-card per co-author, lists are an h-feed of h-entries; and the byline's
reading time."""

from datetime import UTC, datetime

import mf2py
import pytest
import time_machine

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.lib.tests.html import select_one, visible_text
from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory

MAY_14 = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
SITE = "https://blog.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def post(db):
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer", bio="Coach.")
    sara = AuthorProfileFactory(user__username="sara", display_name="Sara", bio="Runner.")
    return PostFactory(
        title="Five Moves for Stronger Knees",
        slug="stronger-knees",
        published_at=MAY_14,
        excerpt="Knees, made stronger.",
        authors=[umer.user, sara.user],
        categories=[CategoryFactory(name="Fitness", slug="fitness")],
        tags=[TagFactory(name="Knees", slug="knees")],
    )


def parse(client, path):
    return mf2py.parse(doc=client.get(path).text, url=SITE + path)["items"]


def photo(card):
    value = card["properties"]["photo"][0]
    return value["value"] if isinstance(value, dict) else value


def test_post_page_is_an_h_entry_that_mf2py_reads_whole(client, post):
    [entry] = parse(client, "/2024/05/stronger-knees/")
    assert entry["type"] == ["h-entry"]
    props = entry["properties"]
    url = f"{SITE}/2024/05/stronger-knees/"
    assert props["name"] == ["Five Moves for Stronger Knees"]
    assert props["url"] == [url] and props["uid"] == [url]
    assert props["published"][0].startswith("2024-05-14T09:30:00")
    assert len(props["updated"]) == 1
    assert props["summary"] == ["Knees, made stronger."]
    assert props["category"] == ["Fitness", "Knees"]
    [content] = props["content"]
    assert "<li>Squats</li>" in content["html"] and "Warm up first." in content["value"]


def test_every_co_author_is_an_h_card_with_name_url_and_photo(client, post):
    [entry] = parse(client, "/2024/05/stronger-knees/")
    cards = entry["properties"]["author"]
    assert [card["type"] for card in cards] == [["h-card"], ["h-card"]]
    assert [(card["properties"]["name"], card["properties"]["url"][0]) for card in cards] == [
        (["Umer"], f"{SITE}/author/umer/"),
        (["Sara"], f"{SITE}/author/sara/"),
    ]
    umer = post.authors.get(username="umer")
    assert photo(cards[0]) == SITE + umer.profile.avatar_url
    assert all(photo(card).endswith(".svg") for card in cards)


def test_home_page_is_an_h_feed_of_h_entries_with_their_authors(client, post):
    PostFactory(title="Older post", published_at=datetime(2024, 1, 2, tzinfo=UTC))
    [feed] = parse(client, "/")
    assert feed["type"] == ["h-feed"]
    assert feed["properties"]["name"] == ["Pressbox"]
    entries = feed["children"]
    assert [e["type"] for e in entries] == [["h-entry"], ["h-entry"]]
    first = entries[0]["properties"]
    assert first["name"] == ["Five Moves for Stronger Knees"]
    assert first["url"] == [f"{SITE}/2024/05/stronger-knees/"]
    assert first["summary"] == ["Knees, made stronger."]
    assert first["published"][0].startswith("2024-05-14T09:30:00")
    assert [card["properties"]["name"] for card in first["author"]] == [["Umer"], ["Sara"]]
    assert all(photo(card).startswith(f"{SITE}/avatar/") for card in first["author"])


def test_author_archive_is_an_h_feed_whose_author_is_an_h_card(client, post):
    [feed] = parse(client, "/author/umer/")
    card = feed["properties"]["author"][0]
    assert card["properties"]["name"] == ["Umer"]
    assert card["properties"]["url"] == [f"{SITE}/author/umer/"]
    assert [e["properties"]["name"] for e in feed["children"]] == [
        ["Five Moves for Stronger Knees"]
    ]


def test_byline_ends_with_the_reading_time(client, db):
    with time_machine.travel(MAY_14, tick=False):
        PostFactory(slug="long-read", published_at=MAY_14, body="word " * 700)
    html = client.get("/2024/05/long-read/").text
    byline = select_one(html, "p", class_="entry-meta").text
    assert byline.startswith("Posted on May 14, 2024 · By Sam Writer")
    assert byline.endswith(" · 3 min read")
    assert "3 min read" in visible_text(html)


def test_lists_show_each_post_s_reading_time(client, post):
    html = client.get("/").text
    assert select_one(html, "span", class_="reading-time").text == "1 min read"


@pytest.mark.usefixtures("no_page_cache")
def test_home_page_costs_the_same_queries_for_2_posts_as_for_10(client, db, count_queries):
    def add(n):
        for _ in range(n):
            PostFactory(
                authors=[AuthorProfileFactory().user, AuthorProfileFactory().user],
                categories=[CategoryFactory()],
                tags=[TagFactory()],
            )

    add(2)
    few = count_queries("/")
    add(8)
    assert count_queries("/") == few
