"""/sitemap.xml, its numbered parts, and /robots.txt that names it."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.robotparser import RobotFileParser

import pytest
import time_machine

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.posts import sitemaps
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory
from pressbox.posts.models import Page, Post

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAY_1 = datetime(2024, 5, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://blog.example"


def parse(response, root_tag="urlset"):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}{root_tag}"
    return root


def entries(response):
    """{loc: lastmod} of a sitemap, in document order."""
    root = parse(response)
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in root}


def test_sitemap_lists_home_posts_pages_and_archives_with_absolute_urls(client, db):
    umer = AuthorProfileFactory(user__username="umer").user
    fitness = CategoryFactory(name="Fitness", slug="fitness")
    knees = CategoryFactory(name="Knees", slug="knees", parent=fitness)
    PostFactory(
        slug="squats",
        published_at=MAY_1,
        authors=[umer],
        categories=[knees],
        tags=[TagFactory(slug="legs")],
    )
    PageFactory(slug="about")
    assert list(entries(client.get("/sitemap.xml"))) == [
        "https://blog.example/",
        "https://blog.example/2024/05/squats/",
        "https://blog.example/about/",
        "https://blog.example/category/fitness/",  # lists its child's posts
        "https://blog.example/category/fitness/knees/",
        "https://blog.example/tag/legs/",
        "https://blog.example/author/umer/",
    ]


def test_drafts_private_future_posts_and_empty_archives_are_left_out(client, db):
    PostFactory(slug="live", published_at=MAY_1)
    hidden = CategoryFactory(slug="hidden-only")
    for status in (Post.Status.DRAFT, Post.Status.PRIVATE, Post.Status.PENDING):
        PostFactory(slug=f"{status}-post", status=status, published_at=MAY_1, categories=[hidden])
    PostFactory(slug="next-year", published_at=datetime.now(UTC) + timedelta(days=365))
    CategoryFactory(slug="empty")
    TagFactory(slug="unused")
    PageFactory(slug="draft-page", status=Page.Status.DRAFT)
    found = "\n".join(entries(client.get("/sitemap.xml")))
    assert "/2024/05/live/" in found
    for absent in ("-post/", "next-year", "hidden-only", "empty", "unused", "draft-page"):
        assert absent not in found


def test_lastmod_is_the_post_update_and_each_archive_s_newest_post(client, db):
    tag = TagFactory(slug="legs")
    with time_machine.travel(datetime(2024, 5, 3, tzinfo=UTC), tick=False):
        PostFactory(slug="older", published_at=MAY_1, tags=[tag])
    with time_machine.travel(datetime(2024, 6, 9, tzinfo=UTC), tick=False):
        PostFactory(slug="newer", published_at=datetime(2024, 6, 2, tzinfo=UTC), tags=[tag])
    found = entries(client.get("/sitemap.xml"))
    assert found["https://blog.example/2024/05/older/"] == "2024-05-03"
    assert found["https://blog.example/2024/06/newer/"] == "2024-06-09"
    assert found["https://blog.example/tag/legs/"] == "2024-06-09"
    assert found["https://blog.example/"] == "2024-06-09"


def test_urls_name_the_site_url_not_the_host_the_proxy_asked_for(client, db, settings):
    settings.ALLOWED_HOSTS = ["internal"]
    PostFactory(slug="squats", published_at=MAY_1)
    response = client.get("/sitemap.xml", HTTP_HOST="internal", secure=False)
    assert "https://blog.example/2024/05/squats/" in entries(response)
    assert b"internal" not in response.content


def test_past_the_limit_the_sitemap_becomes_an_index_of_numbered_parts(client, db, monkeypatch):
    monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 3)
    umer = AuthorProfileFactory(user__username="umer").user
    for day in range(1, 6):
        PostFactory(slug=f"day-{day}", published_at=MAY_1.replace(day=day), authors=[umer])
    root = parse(client.get("/sitemap.xml"), root_tag="sitemapindex")
    parts = [part.findtext(f"{NS}loc") for part in root]
    assert parts == [
        "https://blog.example/sitemap-home-1.xml",
        "https://blog.example/sitemap-posts-1.xml",
        "https://blog.example/sitemap-posts-2.xml",
        "https://blog.example/sitemap-authors-1.xml",
    ]
    assert all(part.findtext(f"{NS}lastmod") for part in root)
    second = entries(client.get("/sitemap-posts-2.xml"))
    assert list(second) == [
        "https://blog.example/2024/05/day-2/",
        "https://blog.example/2024/05/day-1/",
    ]
    assert list(entries(client.get("/sitemap-authors-1.xml"))) == [
        "https://blog.example/author/umer/"
    ]
    assert client.get("/sitemap-posts-3.xml").status_code == 404
    assert client.get("/sitemap-nothing-1.xml").status_code == 404


def test_up_to_the_limit_it_stays_one_sitemap(client, db, monkeypatch):
    monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 3)
    PostFactory(slug="only", published_at=MAY_1)  # home, the post, its author: 3 URLs
    assert len(entries(client.get("/sitemap.xml"))) == 3


def make_site(start, stop):
    fitness = CategoryFactory(slug="fitness")
    for i in range(start, stop):
        PostFactory(
            slug=f"post-{i}",
            published_at=MAY_1 - timedelta(days=i),
            authors=[AuthorProfileFactory().user, AuthorProfileFactory().user],
            categories=[CategoryFactory(slug=f"cat-{i}", parent=fitness)],
            tags=[TagFactory(slug=f"tag-{i}")],
        )
        PageFactory(slug=f"page-{i}")


def test_sitemap_costs_a_fixed_number_of_queries_whatever_the_site_s_size(
    client, db, count_queries
):
    make_site(0, 2)
    small = count_queries("/sitemap.xml")
    make_site(2, 30)
    assert count_queries("/sitemap.xml") == small == 11


def test_sitemap_index_costs_a_fixed_number_of_queries(client, db, count_queries, monkeypatch):
    monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 5)
    make_site(0, 3)
    small = count_queries("/sitemap.xml")
    make_site(3, 30)
    assert count_queries("/sitemap.xml") == small


def test_robots_txt_allows_the_public_site_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    allowed = ["/", "/2024/05/squats/", "/category/fitness/", "/feed/", "/comments/feed/"]
    blocked = ["/dashboard/", "/admin/", "/preview/abc/", "/comments/post/1/", "/comments/1/edit/"]
    assert all(robots.can_fetch("Googlebot", "https://blog.example" + p) for p in allowed)
    assert not any(robots.can_fetch("Googlebot", "https://blog.example" + p) for p in blocked)
    assert robots.site_maps() == ["https://blog.example/sitemap.xml"]
