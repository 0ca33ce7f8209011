"""Export → import into an empty blog → export again: nothing lost, nothing changed.

The two files are compared item by item on what a reader or an owner would notice:
counts of every kind, titles, statuses, dates, bodies, excerpts, terms and co-authors,
featured images, pages, and every comment with its thread, status, kind and meta.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from pressbox.accounts.factories import AuthorProfileFactory, UserFactory
from pressbox.accounts.models import User
from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.exporters.tests.wxrfile import NS, channel, comments, export, field, postmeta
from pressbox.media.factories import MediaFactory
from pressbox.media.models import Media
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory
from pressbox.posts.models import Category, Page, Post, Redirect, Tag

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://blog.example"
    settings.TIME_ZONE = "Europe/Paris"


def build_blog() -> None:
    ana = AuthorProfileFactory(
        user__username="ana", user__first_name="Ana", user__last_name="Ruiz", display_name="Ana R."
    ).user
    ben = UserFactory(username="ben", email="ben@example.com")
    strength = CategoryFactory(
        name="Strength", slug="strength", parent=CategoryFactory(name="Training", slug="training")
    )
    squat = TagFactory(name="squat", slug="squat")
    post = PostFactory(
        title="Squat “day”",
        slug="squat-day",
        body='It\'s "quoted" -- with ]]> inside. 💪\n\n## Sets\n\n- Squats\n- Rows\n',
        excerpt="Squats, then rows.",
        published_at=WHEN,
        sticky=True,
        featured_image=MediaFactory(alt_text="A squat rack", caption="Our rack", uploaded_by=ana),
        authors=[ben, ana],
        categories=[strength],
        tags=[squat, TagFactory(name="Meal prep", slug="meal-prep")],
    )
    later = (WHEN + timedelta(minutes=n) for n in range(1, 100))
    first = CommentFactory(
        post=post, body="First! ]]> **ok**", created_at=next(later), meta={"k": "v"}
    )
    reply = CommentFactory(
        post=post, parent=first, user=ana, author_name="Ana R.", created_at=next(later)
    )
    CommentFactory(post=post, parent=reply, body="Thanks, *both*", created_at=next(later))
    for status in ("pending", "spam", "trash"):
        CommentFactory(post=post, status=status, body=f"A {status} one", created_at=next(later))
    for kind in ("pingback", "trackback"):
        CommentFactory(
            post=post, kind=kind, author_url=f"https://{kind}.example/", created_at=next(later)
        )
    for status in ("draft", "pending", "private"):
        PostFactory(slug=f"a-{status}", status=status, published_at=WHEN, authors=[ana])
    PostFactory(slug="later", published_at=datetime(2999, 1, 1, tzinfo=UTC), authors=[ben])
    PostFactory(
        slug="in-html",
        body_format="html",
        body='<p>Written in <em>HTML</em>, with a <a href="/about/">link</a>.</p>',
        published_at=WHEN,
        authors=[ana],
        tags=[squat],
    )
    PageFactory(slug="about", title="About", menu_order=3, published_at=WHEN)


def empty_the_blog() -> None:
    for model in (Comment, Post, Page, Media, Category, Tag, Redirect, User):
        model.objects.all().delete()


def snapshot(path: Path) -> dict:
    """What the file says, keyed so that two exports of the same blog compare equal."""
    head = channel(path)
    logins = {
        field(a, "wp:author_id"): field(a, "wp:author_login") for a in head.findall("wp:author", NS)
    }
    found = {
        "authors": sorted(
            tuple(field(a, f"wp:author_{name}") for name in ("login", "email", "display_name"))
            for a in head.findall("wp:author", NS)
        ),
        "categories": [
            tuple(field(c, name) for name in ("wp:category_nicename", "wp:category_parent"))
            + (field(c, "wp:cat_name"),)
            for c in head.findall("wp:category", NS)
        ],
        "tags": sorted(
            (field(t, "wp:tag_slug"), field(t, "wp:tag_name")) for t in head.findall("wp:tag", NS)
        ),
    }
    titles = {
        field(item, "wp:post_id"): field(item, "title")
        for item in head.findall("item")
        if field(item, "wp:post_type") == "attachment"
    }
    for item in head.findall("item"):
        found[field(item, "wp:post_type"), field(item, "wp:post_name")] = item_snapshot(
            item, logins, titles
        )
    return found


def item_snapshot(item: ElementTree.Element, logins: dict, attachments: dict) -> dict:
    meta = postmeta(item)
    found = {
        name: field(item, name)
        for name in (
            "title",
            "excerpt:encoded",
            "wp:status",
            "wp:is_sticky",
            "wp:comment_status",
            "wp:menu_order",
        )
    }
    # Exactly the same HTML: a Pressbox export marks its content as finished HTML.
    found["content"] = field(item, "content:encoded").strip()
    terms = [
        (term.get("domain"), term.get("nicename"), term.text) for term in item.findall("category")
    ]
    found["terms"] = sorted(t for t in terms if t[0] != "author")  # categories and tags
    found["co-authors"] = [t for t in terms if t[0] == "author"]  # in byline order
    found["featured"] = attachments.get(meta.get("_thumbnail_id", ""), "")
    found["alt"] = meta.get("_wp_attachment_image_alt", "")
    # A draft's date and a file's upload time are the importer's to choose.
    if field(item, "wp:status") not in ("draft", "pending", "inherit"):
        found["date_gmt"] = field(item, "wp:post_date_gmt")
    if field(item, "wp:post_type") == "post":
        found["creator"] = field(item, "dc:creator")
    thread = comments(item)
    position = {comment["id"]: index for index, comment in enumerate(thread)}
    found["comments"] = [
        {
            **{key: value for key, value in comment.items() if key not in ("id", "user_id")},
            "parent": position.get(comment["parent"], -1),
            "user": logins.get(comment["user_id"], ""),
        }
        for comment in thread
    ]
    return found


def test_export_import_export_keeps_every_count_and_the_content_of_every_item(tmp_path):
    build_blog()
    first = tmp_path / "first.xml"
    first_summary = export(first).splitlines()[-1]

    empty_the_blog()
    uploads = Path(django_settings.MEDIA_ROOT) / "uploads"
    call_command("import_wxr", str(first), "--uploads", str(uploads), stdout=io.StringIO())
    second = tmp_path / "second.xml"
    second_summary = export(second).splitlines()[-1]

    assert second_summary.replace("second.xml", "first.xml") == first_summary
    assert first_summary.startswith(
        "Exported 2 authors, 2 categories, 2 tags, 6 posts, 1 page, 1 attachment and 8 comments"
    )
    before, after = snapshot(first), snapshot(second)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key


def test_items_keep_their_wordpress_ids_through_the_round_trip(tmp_path):
    build_blog()
    export(tmp_path / "first.xml")
    empty_the_blog()
    uploads = Path(django_settings.MEDIA_ROOT) / "uploads"
    call_command(
        "import_wxr", str(tmp_path / "first.xml"), "--uploads", str(uploads), stdout=io.StringIO()
    )
    export(tmp_path / "second.xml")

    def ids(path: Path) -> dict:
        return {
            (field(item, "wp:post_type"), field(item, "wp:post_name")): field(item, "wp:post_id")
            for item in channel(path).findall("item")
        }

    assert ids(tmp_path / "second.xml") == ids(tmp_path / "first.xml")
    assert Post.objects.get(slug="squat-day").import_ref.startswith("wxr:")
