"""`pressbox export_static DIR`: the public site as files that work under a base URL."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from django.core.management import CommandError, call_command

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.exporters.static import rewrite_html
from pressbox.exporters.static_files import MANIFEST_NAME
from pressbox.lib.tests.html import select, select_one
from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

BASE = "https://example.com/blog/"
WHEN = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
LINK = re.compile(r"""\s(?:href|src|action)=["']([^"']*)["']""")
PRESSBOX = Path(sys.executable).parent / "pressbox"
BUILD_TIME = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>|<updated>[^<]*</updated>")


@pytest.fixture(autouse=True)
def _site(settings, site_settings):
    settings.SITE_URL = "https://live.example"
    site_settings.posts_per_page = 2
    site_settings.comments_per_page = 2
    site_settings.save()


@pytest.fixture
def blog(author):
    strength = CategoryFactory(name="Strength", slug="strength")
    squat = TagFactory(name="squat", slug="squat")
    image = MediaFactory(alt_text="A squat rack")
    posts = [
        PostFactory(
            title=f"Squat day {n}",
            slug=f"squat-day-{n}",
            published_at=WHEN + timedelta(days=n),
            authors=[author],
            categories=[strength],
            tags=[squat],
            body=f"Day {n}: deep squats, then **rows**.\n\n![rack]({image.file.url})\n",
        )
        for n in range(5)
    ]
    first = posts[0]
    top = [CommentFactory(post=first, author_name=f"Reader {n}") for n in range(3)]
    CommentFactory(post=first, parent=top[0], author_name="Replier", body="Agreed, reply!")
    CommentFactory(
        post=first,
        author_name="Held back",
        body="Pending words",
        status=Comment.Status.PENDING,
    )
    PageFactory(title="About", slug="about", body="About this blog.", show_in_menu=True)
    return posts


def export(target: Path, **options) -> str:
    out = io.StringIO()
    call_command("export_static", str(target), "--jobs", "1", *options_args(options), stdout=out)
    return out.getvalue()


def options_args(options: dict) -> list[str]:
    return [arg for key, value in options.items() for arg in (f"--{key}", value)]


def html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def file_for(root: Path, url_path: str) -> Path | None:
    """The file a static server answers `url_path` with, if any."""
    candidate = root / unquote(url_path).lstrip("/")
    if url_path.endswith("/"):
        for name in ("index.html", "index.xml", "index.json"):
            if (candidate / name).is_file():
                return candidate / name
        return None
    return candidate if candidate.is_file() else None


def broken_links(root: Path, prefix: str) -> list[tuple[str, str]]:
    """Every root-relative link of every exported HTML page that does not reach a file
    under `prefix`; the live site's comment endpoints are not part of the export."""
    broken = []
    for page in root.rglob("*.html"):
        for url in LINK.findall(html(page)):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if not parts.path.startswith(prefix):
                broken.append((str(page.relative_to(root)), url))
                continue
            path = "/" + parts.path[len(prefix) :]
            if path.startswith("/comments/") and not path.startswith("/comments/feed/"):
                continue
            if file_for(root, path) is None:
                broken.append((str(page.relative_to(root)), url))
    return broken


def test_the_whole_site_is_written_with_threaded_comments(blog, tmp_path):
    out = tmp_path / "site"
    report = export(out, **{"base-url": BASE})

    assert "written, 0 unchanged, 0 deleted" in report
    post = html(out / "2024/05/squat-day-0/index.html")
    assert "Squat day 0" in post
    names = {node.text: node for node in select(post, "b", **{"class": "comment-author"})}
    assert {"Reader 0", "Reader 1", "Replier"} <= set(names)
    assert names["Replier"].inside("ol", **{"class": "children"})
    assert not names["Reader 0"].inside("ol", **{"class": "children"})
    assert "Pending words" not in post and "reader0@example.net" not in post
    second = html(out / "2024/05/squat-day-0/comment-page-2/index.html")
    assert "Reader 2" in second
    assert (out / "about/index.html").is_file()
    assert (out / "404.html").is_file()


def test_archives_are_written_with_every_page(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})

    for archive in ("", "category/strength/", "tag/squat/", "author/umer/", "2024/", "2024/05/"):
        assert (tmp_path / archive / "index.html").is_file(), archive
        assert (tmp_path / archive / "page/3/index.html").is_file(), archive
        assert not (tmp_path / archive / "page/4/index.html").exists(), archive
    last = html(tmp_path / "page/3/index.html")
    assert "Squat day 0" in last


def test_feeds_parse_and_name_the_base_url(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})

    rss = feedparser.parse((tmp_path / "feed/index.xml").read_bytes())
    assert not rss.bozo
    assert rss.entries[0].link == f"{BASE}2024/05/squat-day-4/"
    atom = feedparser.parse((tmp_path / "category/strength/feed/atom/index.xml").read_bytes())
    assert not atom.bozo and len(atom.entries) == 5
    comments = feedparser.parse((tmp_path / "2024/05/squat-day-0/feed/index.xml").read_bytes())
    assert {entry.author for entry in comments.entries} >= {"Reader 0", "Replier"}
    assert "reader0@example.net" not in (tmp_path / "comments/feed/index.xml").read_text()
    site_json = json.loads((tmp_path / "feed/json/index.json").read_text())
    assert site_json["home_page_url"].startswith(BASE)
    assert (tmp_path / "2024/05/feed/atom/index.xml").is_file()  # date archives' feeds too


def test_without_a_comment_form_a_post_without_comments_gets_no_empty_comment_feed(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})
    quiet = tmp_path / "2024/05/squat-day-3"
    assert not (quiet / "feed").exists()
    assert "/2024/05/squat-day-3/feed/" not in html(quiet / "index.html")  # nor a link to one
    talked = tmp_path / "2024/05/squat-day-0"
    assert (talked / "feed/index.xml").is_file()  # its comments are there to follow
    assert 'href="/blog/2024/05/squat-day-0/feed/"' in html(talked / "index.html")

    with_form = tmp_path / "with-form"
    export(with_form, **{"base-url": BASE, "comments-url": "https://live.example"})
    assert (with_form / "2024/05/squat-day-3/feed/index.xml").is_file()  # comments may come


def test_sitemap_robots_media_and_static_files(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})

    sitemap = (tmp_path / "sitemap.xml").read_text()
    assert f"<loc>{BASE}2024/05/squat-day-3/</loc>" in sitemap
    assert "live.example" not in sitemap
    assert f"Sitemap: {BASE}sitemap.xml" in (tmp_path / "robots.txt").read_text()
    media = [path for path in (tmp_path / "media").rglob("*") if path.is_file()]
    assert media, "uploaded media copied"
    post = html(tmp_path / "2024/05/squat-day-1/index.html")
    stylesheet = select_one(post, "link", rel="stylesheet").attrs["href"]
    assert stylesheet.startswith("/blog/static/")
    assert file_for(tmp_path, "/" + stylesheet[len("/blog/") :]) is not None
    canonical = select_one(post, "link", rel="canonical").attrs["href"]
    assert canonical == f"{BASE}2024/05/squat-day-1/"


def test_every_internal_link_reaches_a_file_under_a_sub_path(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})

    assert broken_links(tmp_path, "/blog/") == []
    home = html(tmp_path / "index.html")
    assert select_one(home, "a", rel="home").attrs["href"] == "/blog/"
    assert select_one(home, "form", role="search").attrs["action"] == "/blog/search/"


def test_at_the_root_links_stay_root_relative(blog, tmp_path):
    export(tmp_path, **{"base-url": "https://example.com/"})

    assert broken_links(tmp_path, "/") == []


def test_without_a_comments_url_the_form_is_left_out(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})

    post = html(tmp_path / "2024/05/squat-day-0/index.html")
    assert select(post, "form", id="commentform") == []
    assert "Leave a Reply" not in post and "Comments are closed" not in post
    assert select(post, "a", **{"class": "comment-reply-link"}) == []
    assert len(select(post, "li", **{"class": "comment"})) >= 2  # approved comments still show


def test_with_a_comments_url_the_form_posts_to_the_live_site(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE, "comments-url": "https://live.example/"})

    post = html(tmp_path / "2024/05/squat-day-0/index.html")
    form = select_one(post, "form", id="commentform").attrs
    pk = blog[0].pk
    assert form["action"] == f"https://live.example/comments/post/{pk}/#respond"
    assert form["data-token-url"] == f"https://live.example/comments/token/{pk}/"
    assert select(post, "a", **{"class": "comment-reply-link"})


def test_search_index_and_page(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})

    index = json.loads((tmp_path / "search/index.json").read_text())
    first = next(entry for entry in index["posts"] if entry["t"] == "Squat day 0")
    assert first["u"] == "/blog/2024/05/squat-day-0/"
    assert first["d"] == "2024-05-06"
    assert "deep squats" in first["s"].lower()
    assert {"deep", "squats", "rows", "strength"} <= set(first["k"].split())
    page = html(tmp_path / "search/index.html")
    assert select_one(page, "div", id="static-search").attrs["data-index"] == (
        "/blog/search/index.json"
    )
    [script] = [e.attrs["src"] for e in select(page, "script") if "static-search" in str(e.attrs)]
    assert file_for(tmp_path, "/" + script[len("/blog/") :]) is not None


@pytest.mark.parametrize("comments_url", ["", "https://live.example/"])
def test_a_second_run_writes_nothing(blog, tmp_path, comments_url):
    options = {"base-url": BASE} | ({"comments-url": comments_url} if comments_url else {})
    export(tmp_path, **options)
    before = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file()}

    report = export(tmp_path, **options)

    assert " 0 written, " in report and "0 deleted" in report
    after = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before


def test_an_edit_rewrites_only_the_pages_that_show_the_post(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})
    before = json.loads((tmp_path / MANIFEST_NAME).read_text())["files"]
    post = blog[4]
    post.title = "Squat day four, edited"
    post.save()

    report = export(tmp_path, **{"base-url": BASE})

    after = json.loads((tmp_path / MANIFEST_NAME).read_text())["files"]
    changed = {name for name, digest in after.items() if before.get(name) != digest}
    assert {"2024/05/squat-day-4/index.html", "index.html", "feed/index.xml"} <= changed
    unchanged = {"page/3/index.html", "about/index.html", "2024/05/squat-day-0/feed/index.xml"}
    assert not unchanged & changed
    assert not any(name.startswith(("static/", "media/", "avatar/")) for name in changed)
    assert f" {len(changed)} written, " in report and len(changed) < len(after) / 2
    assert "Squat day four, edited" in html(tmp_path / "2024/05/squat-day-4/index.html")


def test_a_new_comment_rewrites_only_its_post_and_the_lists_that_count_it(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})
    before = json.loads((tmp_path / MANIFEST_NAME).read_text())["files"]
    CommentFactory(post=blog[3], author_name="Late reader", body="Nice squats.")

    report = export(tmp_path, **{"base-url": BASE})

    after = json.loads((tmp_path / MANIFEST_NAME).read_text())["files"]
    changed = {name for name, digest in after.items() if before.get(name) != digest}
    assert {
        "2024/05/squat-day-3/index.html",
        "2024/05/squat-day-3/feed/index.xml",
        "comments/feed/index.xml",
        "index.html",  # "1 comment" under the post in the list
        "tag/squat/index.html",
    } <= changed
    untouched = {
        "2024/05/squat-day-2/index.html",
        "2024/05/squat-day-0/feed/index.xml",
        "feed/index.xml",
        "page/2/index.html",
        "tag/squat/page/2/index.html",
    }
    assert not untouched & changed
    assert f" {len(changed)} written, " in report
    assert "Nice squats." in html(tmp_path / "2024/05/squat-day-3/index.html")


def test_links_a_writer_typed_lead_to_files(blog, tmp_path):
    blog[1].body = (
        "See [that day](/2024/05/07/), [the first page](/2024/05/squat-day-0/comment-page-1/)"
        " and [nothing](/no-such-page/)."
    )
    blog[1].save()

    export(tmp_path, **{"base-url": BASE})

    assert "Squat day 1" in html(tmp_path / "2024/05/07/index.html")  # a day archive
    moved = html(tmp_path / "2024/05/squat-day-0/comment-page-1/index.html")
    assert f'content="0; url={BASE}2024/05/squat-day-0/"' in moved
    assert not (tmp_path / "no-such-page").exists()


def test_a_deleted_post_loses_its_files_and_foreign_files_stay(blog, tmp_path):
    export(tmp_path, **{"base-url": BASE})
    (tmp_path / "CNAME").write_text("example.com\n")
    blog[4].delete()

    report = export(tmp_path, **{"base-url": BASE})

    assert not (tmp_path / "2024/05/squat-day-4").exists()
    assert " 0 deleted" not in report
    assert (tmp_path / "CNAME").read_text() == "example.com\n"


def test_two_processes_write_the_same_site_as_one(tmp_path):
    """`--jobs 2` shares the pages between forked processes that read the database on
    their own, so this runs the command as an owner does, on a data dir of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env["PRESSBOX_DATA_DIR"] = str(tmp_path / "data")

    def pressbox(*args: str) -> str:
        done = subprocess.run(
            [str(PRESSBOX), *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    pressbox("migrate")
    pressbox("demo")
    pressbox("export_static", str(tmp_path / "one"), "--jobs", "1")
    report = pressbox("export_static", str(tmp_path / "two"), "--jobs", "2")

    def files(root: Path) -> dict[str, bytes]:
        return {
            path.relative_to(root).as_posix(): BUILD_TIME.sub(b"", path.read_bytes())
            for path in root.rglob("*")
            if path.is_file()
        }

    assert files(tmp_path / "two") == files(tmp_path / "one")
    assert "0 unchanged, 0 deleted" in report


def test_a_file_as_the_folder_is_refused(tmp_path, db):
    target = tmp_path / "taken"
    target.write_text("x")

    with pytest.raises(CommandError, match=r"is a file; give the folder"):
        export(target)


def test_a_bad_base_url_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match=r"base URL must be an http"):
        export(tmp_path, **{"base-url": "ftp://example.com/"})


def test_rewrite_moves_urls_in_tags_only():
    markup = (
        '<a href="/2024/">x</a><img src="/media/a.jpg" srcset="/media/a-640.jpg 640w, '
        '/media/a.jpg 1200w"><a href="https://other.example/x">o</a><a href="//cdn/x">c</a>'
        '<!-- <a href="/kept/"> --><script>var u = "/kept/";</script><p>/kept/ text</p>'
    )

    moved = rewrite_html(markup, "/blog/")

    assert '<a href="/blog/2024/">' in moved
    assert 'srcset="/blog/media/a-640.jpg 640w, /blog/media/a.jpg 1200w"' in moved
    assert 'href="https://other.example/x"' in moved and 'href="//cdn/x"' in moved
    assert '<!-- <a href="/kept/"> -->' in moved and 'var u = "/kept/"' in moved
    assert "<p>/kept/ text</p>" in moved
