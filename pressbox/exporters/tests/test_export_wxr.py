"""`pressbox export_wxr FILE`: the whole blog as a WXR 1.2 file WordPress can import."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressbox.accounts.factories import AuthorProfileFactory, UserFactory
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.exporters.tests.wxrfile import (
    NS,
    channel,
    comments,
    export,
    field,
    items,
    postmeta,
    terms,
)
from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory
from pressbox.posts.models import Post

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 3, 14, 9, 30, tzinfo=UTC)
BODY = 'It\'s "quoted" -- and a CDATA end ]]> inside. 💪\x0b\n\n## Sets\n\n- Squats\n- Rows\n'
IMAGE = '<img src="/media/a.jpg" srcset="/media/a-640w.jpg 640w, /media/a.jpg 1200w" alt="">'


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://blog.example"
    settings.TIME_ZONE = "Europe/Paris"  # post_date is local, post_date_gmt is UTC


@pytest.fixture
def blog():
    """Co-authors, a category tree, tags, a featured image, every post status, comments in
    every status and kind with a thread and meta, and a page."""
    ana = AuthorProfileFactory(
        user__username="ana", user__first_name="Ana", user__last_name="Ruiz", display_name="Ana R."
    ).user
    ben = UserFactory(username="ben", email="ben@example.com")
    training = CategoryFactory(name="Training", slug="training")
    strength = CategoryFactory(
        name="Strength", slug="strength", parent=training, description="Heavy things."
    )
    image = MediaFactory(alt_text="A squat rack", caption="Our rack", uploaded_by=ana)
    post = PostFactory(
        title="Squat “day”",
        slug="squat-day",
        body=BODY,
        excerpt="Squats, then rows.",
        seo_description="How we squat.",
        published_at=WHEN,
        sticky=True,
        featured_image=image,
        authors=[ben, ana],
        categories=[strength],
        tags=[
            TagFactory(name="Meal prep", slug="meal-prep"),
            TagFactory(name="squat", slug="squat"),
        ],
    )
    first = CommentFactory(
        post=post, body="First! **Still** here", created_at=WHEN, meta={"moderated_at": 1710408600}
    )
    CommentFactory(post=post, parent=first, user=ana, author_name="Ana R.", created_at=WHEN)
    for status in ("pending", "spam", "trash"):
        CommentFactory(post=post, status=status, body=f"A {status} one", created_at=WHEN)
    for kind in ("pingback", "trackback"):
        CommentFactory(post=post, kind=kind, author_url=f"https://{kind}.example/", created_at=WHEN)
    for status in ("draft", "pending", "private"):
        PostFactory(slug=f"a-{status}", status=status, published_at=None, authors=[ana])
    PostFactory(
        slug="later", status="published", published_at=datetime(2999, 1, 1, tzinfo=UTC), authors=[]
    )
    PostFactory(
        slug="in-html",
        authors=[ana],
        body_format="html",
        body='<p>Hello <a href="/about/">us</a>, <a href="#end">end</a></p>' + IMAGE + "]]>",
        published_at=WHEN,
    )
    PageFactory(slug="about", title="About", menu_order=3, published_at=WHEN)
    return post


@pytest.fixture
def exported(blog, tmp_path):
    path = tmp_path / "blog.xml"
    export(path)
    return path


def test_the_channel_is_wxr_1_2_on_the_site_url_with_wordpress_namespaces(exported):
    head = channel(exported)
    assert field(head, "wp:wxr_version") == "1.2"
    assert field(head, "wp:base_site_url") == field(head, "wp:base_blog_url")
    assert field(head, "wp:base_site_url") == "https://blog.example"
    assert (field(head, "title"), field(head, "link"), field(head, "language")) == (
        "Pressbox",
        "https://blog.example",
        "en-US",
    )
    start = exported.read_text(encoding="utf-8")[:1000]
    for prefix, uri in NS.items():
        assert f'xmlns:{prefix}="{uri}"' in start


def test_every_author_is_listed_with_login_email_and_names(exported):
    authors = {field(a, "wp:author_login"): a for a in channel(exported).findall("wp:author", NS)}
    assert {"ana", "ben"} <= authors.keys()
    ana = authors["ana"]
    assert field(ana, "wp:author_email") == "ana@example.com"
    assert field(ana, "wp:author_display_name") == "Ana R."
    assert (field(ana, "wp:author_first_name"), field(ana, "wp:author_last_name")) == (
        "Ana",
        "Ruiz",
    )
    ids = [field(a, "wp:author_id") for a in authors.values()]
    assert len(set(ids)) == len(ids)


def test_categories_come_parents_first_with_their_parent_and_tags_follow(exported):
    head = channel(exported)
    categories = [
        (
            field(c, "wp:category_nicename"),
            field(c, "wp:category_parent"),
            field(c, "wp:cat_name"),
            field(c, "wp:category_description"),
        )
        for c in head.findall("wp:category", NS)
    ]
    assert categories == [
        ("training", "", "Training", ""),
        ("strength", "training", "Strength", "Heavy things."),
    ]
    tags = [(field(t, "wp:tag_slug"), field(t, "wp:tag_name")) for t in head.findall("wp:tag", NS)]
    assert tags == [("meal-prep", "Meal prep"), ("squat", "squat")]
    term_ids = [field(t, "wp:term_id") for t in head.findall("wp:category", NS)]
    term_ids += [field(t, "wp:term_id") for t in head.findall("wp:tag", NS)]
    assert len(set(term_ids)) == 4


def test_a_post_carries_every_field_wordpress_reads(exported, blog):
    item = items(exported)["post", "squat-day"]
    assert field(item, "title") == "Squat “day”"
    assert field(item, "link") == "https://blog.example/2024/03/squat-day/"
    assert field(item, "pubDate") == "Thu, 14 Mar 2024 09:30:00 +0000"
    assert field(item, "dc:creator") == "ben"  # the first co-author
    assert field(item, "excerpt:encoded") == "Squats, then rows."
    assert field(item, "wp:post_date") == "2024-03-14 10:30:00"  # Paris
    assert field(item, "wp:post_date_gmt") == "2024-03-14 09:30:00"
    assert field(item, "wp:post_modified_gmt") == blog.updated_at.strftime("%Y-%m-%d %H:%M:%S")
    assert (field(item, "wp:status"), field(item, "wp:post_type")) == ("publish", "post")
    assert (field(item, "wp:comment_status"), field(item, "wp:is_sticky")) == ("open", "1")
    assert (field(item, "wp:post_parent"), field(item, "wp:menu_order")) == ("0", "0")
    assert field(item, "guid").startswith("https://blog.example/?p=")
    assert terms(item, "category") == [("strength", "Strength")]
    assert terms(item, "post_tag") == [("meal-prep", "Meal prep"), ("squat", "squat")]
    assert terms(item, "author") == [("cap-ben", "ben"), ("cap-ana", "ana")]
    assert postmeta(item)["_yoast_wpseo_metadesc"] == "How we squat."


def test_markdown_is_written_as_its_html_with_quotes_emoji_and_cdata_ends_intact(exported):
    content = field(items(exported)["post", "squat-day"], "content:encoded")
    assert "<p>It’s “quoted” – and a CDATA end ]]&gt; inside. 💪" in content
    assert "<li>Squats</li>" in content and '<h2 id="sets">Sets</h2>' in content
    assert "\x0b" not in content  # not allowed in XML 1.0


def test_html_posts_keep_their_body_with_site_links_made_absolute(exported):
    content = field(items(exported)["post", "in-html"], "content:encoded")
    assert content == (
        '<p>Hello <a href="https://blog.example/about/">us</a>, <a href="#end">end</a></p>'
        '<img src="https://blog.example/media/a.jpg" srcset="https://blog.example/media/a-640w'
        '.jpg 640w, https://blog.example/media/a.jpg 1200w" alt="">]]>'
    )
    raw = exported.read_text(encoding="utf-8")
    assert 'alt="">]]]]><![CDATA[>]]></content:encoded>' in raw  # split as WordPress does


def test_a_comment_is_written_as_the_html_readers_saw(exported):
    comment = field(
        items(exported)["post", "squat-day"].find("wp:comment", NS), "wp:comment_content"
    )
    assert comment == "<p>First! <strong>Still</strong> here</p>\n"


def test_every_status_maps_to_wordpress_words(exported):
    found = items(exported)
    statuses = {
        slug: field(item, "wp:status") for (kind, slug), item in found.items() if kind == "post"
    }
    assert statuses == {
        "squat-day": "publish",
        "in-html": "publish",
        "a-draft": "draft",
        "a-pending": "pending",
        "a-private": "private",
        "later": "future",
    }


def test_comments_keep_threads_statuses_kinds_private_fields_and_meta(exported, blog):
    found = comments(items(exported)["post", "squat-day"])
    assert len(found) == 7
    first, reply = found[0], found[1]
    assert reply["parent"] == first["id"] and first["parent"] == "0"
    assert reply["user_id"] == str(blog.authors.get(username="ana").pk)
    assert first["author_email"].endswith("@example.net")
    assert first["author_IP"] == "203.0.113.7"
    assert (first["date"], first["date_gmt"]) == ("2024-03-14 10:30:00", "2024-03-14 09:30:00")
    assert first["meta:moderated_at"] == "1710408600"
    approved = [(c["content"][:9], c["approved"], c["type"]) for c in found[2:5]]
    assert approved == [
        ("<p>A pend", "0", ""),
        ("<p>A spam", "spam", ""),
        ("<p>A tras", "trash", ""),
    ]
    assert [(c["approved"], c["type"]) for c in found[:2]] == [("1", ""), ("1", "")]
    assert [c["type"] for c in found[5:]] == ["pingback", "trackback"]
    assert found[5]["author_url"] == "https://pingback.example/"
    assert len({c["id"] for c in found}) == 7


def test_the_featured_image_is_an_attachment_item_the_post_points_to(exported, blog):
    found = items(exported)
    attachment = next(item for (kind, _), item in found.items() if kind == "attachment")
    url = field(attachment, "wp:attachment_url")
    assert url == f"https://blog.example{blog.featured_image.url}"
    assert field(attachment, "wp:status") == "inherit"
    assert field(attachment, "excerpt:encoded") == "Our rack"
    assert field(attachment, "dc:creator") == "ana"
    meta = postmeta(attachment)
    assert meta["_wp_attached_file"] == blog.featured_image.file.name.removeprefix("uploads/")
    assert meta["_wp_attachment_image_alt"] == "A squat rack"
    post_meta = postmeta(found["post", "squat-day"])
    assert post_meta["_thumbnail_id"] == field(attachment, "wp:post_id")


def test_pages_are_items_of_type_page_with_their_menu_order(exported):
    page = items(exported)["page", "about"]
    assert field(page, "link") == "https://blog.example/about/"
    assert (field(page, "wp:status"), field(page, "wp:menu_order")) == ("publish", "3")
    assert field(page, "content:encoded") == "<p>About this blog.</p>\n"


def test_imported_items_keep_their_wordpress_id_and_no_two_items_share_one(tmp_path, blog):
    Post.objects.filter(slug="a-draft").update(import_ref="wxr:7")
    Comment.objects.filter(body="A spam one").update(import_ref="wxr:41")
    export(tmp_path / "blog.xml")
    found = items(tmp_path / "blog.xml")
    assert field(found["post", "a-draft"], "wp:post_id") == "7"
    ids = [field(item, "wp:post_id") for item in found.values()]
    assert len(set(ids)) == len(ids) == 8
    assert all(int(i) > 7 for i in ids if i != "7")
    comment_ids = [c["id"] for c in comments(found["post", "squat-day"])]
    assert "41" in comment_ids and all(int(i) > 41 for i in comment_ids if i != "41")


def test_the_summary_counts_each_kind(blog, tmp_path):
    output = export(tmp_path / "blog.xml")
    assert output.splitlines()[-1] == (
        f"Exported 2 authors, 2 categories, 2 tags, 6 posts, 1 page, 1 attachment and "
        f"7 comments to {tmp_path / 'blog.xml'}."
    )


def test_progress_is_plain_lines_off_a_terminal_and_a_bar_on_one(blog, tmp_path):
    lines = export(tmp_path / "a.xml").splitlines()
    assert lines[:2] == ["1/8 items", "2/8 items"] and lines[-2] == "8/8 items"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    output = export(tmp_path / "b.xml", stdout=Terminal())
    assert "\r[" + "#" * 30 + "] 8/8\n" in output and "items" not in output.splitlines()[0]


def _queries_for_export(path: Path) -> int:
    with CaptureQueriesContext(connection) as queries:
        export(path)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_posts_or_comments(tmp_path, site_settings):
    for _ in range(3):
        CommentFactory(post=PostFactory(featured_image=MediaFactory()), created_at=WHEN)
    three = _queries_for_export(tmp_path / "three.xml")
    for _ in range(27):
        post = PostFactory(featured_image=MediaFactory(), tags=[TagFactory()])
        CommentFactory.create_batch(3, post=post, created_at=WHEN)
    thirty = _queries_for_export(tmp_path / "thirty.xml")
    assert len(items(tmp_path / "thirty.xml")) == 60
    assert three == thirty == 17


def test_the_file_is_readable_by_its_owner_only_and_replaced_whole(blog, tmp_path):
    path = tmp_path / "blog.xml"
    path.write_text("old")
    path.chmod(0o644)
    export(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blog.xml", "media"]


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary_one(
    blog, tmp_path, monkeypatch
):
    from pressbox.exporters import wxr

    path = tmp_path / "blog.xml"
    path.write_text("old")
    monkeypatch.setattr(wxr._Export, "page", lambda self, page: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        export(path)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blog.xml", "media"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "missing/blog.xml",
            r"^.*/missing/blog\.xml cannot be written \(No such file or directory\)\.$",
        ),
        (".", r"^.* is a folder; give the name of a file to write\.$"),
    ],
)
def test_a_file_that_cannot_be_written_is_one_sentence(tmp_path, name, message):
    with pytest.raises(CommandError, match=message):
        export(tmp_path / name)


def test_the_command_line_exits_non_zero_with_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env["PRESSBOX_DATA_DIR"] = str(tmp_path / "data")
    pressbox = str(Path(sys.executable).parent / "pressbox")
    target = tmp_path / "nowhere" / "blog.xml"
    result = subprocess.run(
        [pressbox, "export_wxr", str(target)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"CommandError: {target} cannot be written (No such file or directory)."
    )


def test_an_empty_blog_is_a_valid_file_with_no_items(tmp_path):
    output = export(tmp_path / "empty.xml")
    assert channel(tmp_path / "empty.xml").findall("item") == []
    assert output.splitlines()[-1].startswith(
        "Exported 0 authors, 0 categories, 0 tags, 0 posts, 0 pages, 0 attachments and 0 comments"
    )
