"""`pressbox demo [--if-empty]`: the demo blog that `make run` serves."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.importers.services import DEMO_DIR
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Page, Post, SiteSettings

pytestmark = pytest.mark.django_db

CO_AUTHORED = "/2025/02/two-coaches-one-squat/"


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_home_page_lists_five_posts_under_its_own_title(client):
    demo()
    page = client.get("/").content.decode()
    assert "Iron &amp; Oats" in page
    assert len(re.findall(r'class="entry-title[ "]', page)) == 5
    assert re.search(r'<a href="/about/"[^>]*>About</a>', page)


def test_co_authored_post_shows_both_authors_with_bios_and_avatars(client):
    demo()
    page = client.get(CO_AUTHORED).content.decode()
    assert "Two Coaches, One Squat: What We Actually Cue</h1>" in page
    assert re.search(r'<a [^>]*href="/category/training/"[^>]*>Training</a>', page)
    assert "Strength coach for twelve years" in page
    assert "Physiotherapist by trade and home cook by habit." in page
    assert (
        len(
            re.findall(r'<img class="avatar[^"]*" src="/media/avatars/\w+-[0-9a-f]{12}\.png"', page)
        )
        == 2
    )
    assert page.index("Maya Okafor") < page.index("Tomás Lindqvist")
    bullets = re.search(r"<ul>(.*?)</ul>", page[page.index("entry-content") :], re.S)
    assert bullets and bullets.group(1).count("<li>") == 6


def test_co_authored_post_has_threaded_approved_comments(client):
    demo()
    page = client.get(CO_AUTHORED).content.decode()
    assert "5 Comments on" in page
    assert '<ol class="children">' in page
    assert 'class="comment depth-3' in page  # a reply to a reply
    assert Comment.objects.approved().count() == Comment.objects.count() == 6
    reply = Comment.objects.get(author_name="Maya Okafor")
    assert reply.user == User.objects.get(username="maya")


def test_running_demo_twice_duplicates_nothing(settings):
    demo()
    output = demo()
    assert "Imported 5 posts (0 new, 5 updated), 2 authors, 1 page. 6 comments (0 new)." in output
    counts = (Post.objects.count(), Page.objects.count(), User.objects.count())
    assert counts == (5, 1, 2)
    assert Comment.objects.count() == 6
    assert len(list((Path(settings.MEDIA_ROOT) / "avatars").iterdir())) == 2


def test_if_empty_loads_the_demo_into_an_empty_blog():
    output = demo("--if-empty")
    assert "Demo site loaded." in output
    assert Post.objects.count() == 5
    assert SiteSettings.load().title == "Iron & Oats"


def test_if_empty_leaves_a_blog_with_posts_alone():
    PostFactory(title="My own post")
    output = demo("--if-empty")
    assert output.strip() == "The database already has posts; demo not loaded."
    assert list(Post.objects.values_list("title", flat=True)) == ["My own post"]
    assert SiteSettings.load().title == "Pressbox"
    assert not Comment.objects.exists()


def test_demo_avatars_are_small_square_pngs():
    images = sorted((DEMO_DIR / "images").glob("*.png"))
    assert len(images) == 2
    for path in images:
        assert path.stat().st_size < 10_000
        with Image.open(path) as image:
            assert (image.format, image.size) == ("PNG", (192, 192))
