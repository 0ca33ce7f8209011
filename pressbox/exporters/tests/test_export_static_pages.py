"""`export_static` renders the pages that grow with the site in bulk (posts, their comment
pages and feeds, every page of every list); each must be what the site's own view
answers for its address."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.exporters.static import StaticOptions
from pressbox.exporters.static_pages import PageRenderer
from pressbox.exporters.static_site import PublishedSite
from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

BASE = "https://example.com/"
WHEN = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
# What may differ between two renders of one address: an empty feed's build time and
# the comment form's signed timestamp.
MOMENT = re.compile(
    rb"<lastBuildDate>[^<]*</lastBuildDate>|<updated>[^<]*</updated>|"
    rb'name="timestamp" value="[^"]*"'
)


@pytest.fixture
def site(author, site_settings, settings):
    """Posts with and without categories, tags, co-authors, comments (three comment
    pages, a reply, one held), a sticky, a featured image, closed comments; a page."""
    settings.SITE_URL = "https://live.example"
    site_settings.posts_per_page = 2
    site_settings.comments_per_page = 2
    site_settings.save()
    training = CategoryFactory(name="Training", slug="training")
    strength = CategoryFactory(name="Strength", slug="strength", parent=training)
    food = CategoryFactory(name="Food & drink", slug="food", description="What to eat.")
    squat, oats = TagFactory(name="squat", slug="squat"), TagFactory(name="oats", slug="oats")
    coach = AuthorProfileFactory(user__username="coach").user
    plans = [
        ([strength], [squat], [author]),
        ([training], [squat, oats], [author, coach]),
        ([food], [oats], [coach]),
        ([], [squat], [author]),
        ([strength, food], [], [coach]),
        ([], [], [author]),
    ]
    posts = [
        PostFactory(
            title=f'Day {n} -- the "big" one',
            slug=f"day-{n}",
            published_at=WHEN + timedelta(days=20 * n),
            categories=categories,
            tags=tags,
            authors=authors,
        )
        for n, (categories, tags, authors) in enumerate(plans)
    ]
    posts[1].sticky = True
    posts[2].featured_image = MediaFactory()
    posts[3].comments_open = False
    for post in posts[1:4]:
        post.save()
    heads = [
        CommentFactory(post=posts[0], author_name=f"Reader {n}", created_at=WHEN + timedelta(n))
        for n in range(5)
    ]
    CommentFactory(post=posts[0], parent=heads[0], created_at=WHEN + timedelta(days=9))
    CommentFactory(post=posts[0], status=Comment.Status.PENDING, body="Held words")
    CommentFactory(post=posts[2], author_url="https://solo.example", created_at=WHEN)
    PageFactory(title="About", slug="about", show_in_menu=True)
    return posts


def export(target: Path, *options: str) -> None:
    call_command(
        "export_static", str(target), "--jobs", "1", "--base-url", BASE, *options,
        stdout=io.StringIO(),
    )  # fmt: skip


def address(name: str) -> str:
    """The address a static server answers with the file `name`."""
    for index in ("index.html", "index.xml", "index.json"):
        if name == index or name.endswith("/" + index):
            return "/" + name[: -len(index)]
    return "/" + name


def exported_pages(root: Path) -> dict[str, bytes]:
    skipped = ("static/", "media/", "search/", "404.html", ".pressbox-static.json")
    return {
        address(path.relative_to(root).as_posix()): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not path.relative_to(root).as_posix().startswith(skipped)
    }


@pytest.mark.parametrize("comments_url", ["", "https://live.example"])
def test_every_page_is_what_its_view_answers(site, tmp_path, settings, comments_url):
    export(tmp_path, *(["--comments-url", comments_url] if comments_url else []))

    pages = exported_pages(tmp_path)
    settings.SITE_URL, settings.ALLOWED_HOSTS = BASE[:-1], ["example.com"]
    views = PageRenderer(PublishedSite.load(), StaticOptions(BASE, comments_url))
    differing = []
    for path, body in pages.items():
        answer = views.view(path)
        assert answer is not None and answer.status == 200, path
        if MOMENT.sub(b"", answer.body) != MOMENT.sub(b"", body):
            differing.append(path)
    assert differing == []
    bulk = {
        "/2024/05/day-0/comment-page-3/",
        "/2024/05/day-0/feed/json/",
        "/category/training/strength/",
        "/tag/squat/page/2/",
        "/author/coach/",
        "/2024/page/2/",
        "/page/3/",
    }
    assert bulk <= set(pages)


def test_each_post_page_shows_its_neighbours_and_related_posts(site, tmp_path):
    export(tmp_path)

    page = (tmp_path / "2024/06/day-2/index.html").read_text()
    assert 'href="/2024/05/day-1/" rel="prev"' in page
    assert 'href="/2024/07/day-3/" rel="next"' in page
    related = page.split('class="related-posts"')[1].split("</section>")[0]
    assert related.index("/2024/05/day-1/") < related.index("/2024/07/day-4/")  # shares a tag
