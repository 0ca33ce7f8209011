"""`pressbox import_wxr`: our own small WordPress site (data/wxr/site.xml) and what a
reader and a writer find after importing it: statuses, comments, shortcodes, blocks,
images, co-authors, and every old address answering 301."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from pressbox.accounts.models import User
from pressbox.comments.models import Comment, SpamFilterState
from pressbox.importers.wordpress.catalog import catalog_read
from pressbox.importers.wordpress.load import WxrLoader
from pressbox.lib.tests.html import select, select_one
from pressbox.media.models import Media
from pressbox.posts.models import Category, Page, Post, PostAuthor, Redirect, Tag

DATA = Path(__file__).resolve().parent / "data" / "wxr"
SITE = DATA / "site.xml"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def uploads(tmp_path):
    """A copy of the old wp-content/uploads: two real images and a PDF."""
    folder = tmp_path / "uploads"
    (folder / "2019" / "05").mkdir(parents=True)
    Image.new("RGB", (640, 427), (200, 60, 40)).save(folder / "2019/05/sunset.jpg", "JPEG")
    Image.new("RGB", (120, 90), (40, 60, 200)).save(folder / "2019/05/rack.png", "PNG")
    (folder / "2019/05/programme-notes.pdf").write_bytes(b"%PDF-1.4 not an image")
    return folder


def run(path: Path = SITE, *args: str) -> str:
    out = io.StringIO()
    call_command("import_wxr", str(path), *args, stdout=out)
    return out.getvalue()


def post(wp_id: int) -> Post:
    return Post.objects.get(import_ref=f"wxr:{wp_id}")


def comment(wp_id: int) -> Comment:
    return Comment.objects.get(import_ref=f"wxr:{wp_id}")


# Statuses, dates and what is left out ------------------------------------------------


def test_posts_keep_their_status_dates_and_flags():
    run()
    hello = post(10)
    assert (hello.status, hello.sticky, hello.comments_open) == ("published", True, True)
    assert hello.published_at == datetime(2019, 5, 14, 9, 30, tzinfo=UTC)
    assert hello.updated_at == datetime(2019, 5, 20, 9, 0, tzinfo=UTC)
    assert hello.excerpt == "The first day's plan."  # as typed; the theme curls it
    assert hello.seo_description == "How the first training day goes."
    assert post(11).comments_open is False
    draft = post(13)
    assert (draft.status, draft.published_at, draft.slug) == ("draft", None, "half-written")
    assert draft.created_at == datetime(2019, 6, 1, 18, 45, tzinfo=UTC)  # local date, UTC site
    assert post(14).status == "pending"
    assert (post(15).status, post(15).published_at.year) == ("scheduled", 2099)
    assert post(16).status == "private"


def test_a_password_protected_post_is_imported_private_and_the_summary_says_so():
    output = run()
    assert post(17).status == "private"
    assert "post 17 “Protected programme”: password-protected on WordPress" in output


def test_trash_drafts_menus_and_other_types_are_skipped_with_their_reason():
    output = run()
    assert not Post.objects.filter(import_ref__in=["wxr:18", "wxr:19", "wxr:50", "wxr:51"])
    assert "post 18 “Thrown away”: it was in WordPress's trash." in output
    assert "post 19 “Auto Draft”: an empty auto-draft" in output
    assert "nav menu item 50 “Home”: navigation menus are not imported." in output
    assert "product 51 “Kettlebell, 16 kg”: WordPress's “product” items have no equivalent" in (
        output
    )
    assert "1 comment on page 40 “About”: pages take no comments in Pressbox." in output


def test_authors_become_accounts_to_invite_with_their_names():
    run()
    maya = User.objects.get(username="maya")
    assert (maya.email, maya.profile.display_name) == ("maya@example.com", "Maya Okafor")
    assert User.objects.get(username="tomas").profile.display_name == "Tomás Lindqvist"
    assert not maya.has_usable_password() and maya.groups.filter(name="Author").exists()
    assert [pa.author.username for pa in post(11).post_authors.all()] == ["tomas"]


def test_an_existing_account_is_matched_by_email_and_keeps_its_password():
    existing = User.objects.create_user("maya-k", "Maya@Example.com", "a-long-passphrase-9")
    run()
    assert not User.objects.filter(username="maya").exists()
    assert list(post(10).authors.all()) == [existing]
    existing.refresh_from_db()
    assert existing.check_password("a-long-passphrase-9")


def test_categories_keep_their_tree_and_tags_their_names():
    run()
    assert Category.objects.get(slug="squats").parent == Category.objects.get(slug="training")
    assert Category.objects.get(slug="foodnotes").name == "Food notes"  # slug "Food.Notes"
    assert Tag.objects.get(slug="knee-care").name == "Knee care"
    assert Tag.objects.get(slug="mobilitywork").name == "Mobility & work"  # "&amp;" in WordPress
    assert list(post(10).categories.values_list("slug", flat=True)) == ["squats"]


def test_pages_keep_their_order_and_child_pages_stay_out_of_the_menu():
    run()
    about, team = Page.objects.get(import_ref="wxr:40"), Page.objects.get(import_ref="wxr:41")
    assert (about.slug, about.menu_order, about.show_in_menu) == ("about", 1, True)
    assert (team.slug, team.menu_order, team.show_in_menu) == ("team", 2, False)


def test_co_authors_plus_terms_become_ordered_co_authors():
    run(DATA / "co-authors.xml")
    two = Post.objects.get(slug="two-coaches-one-squat")
    order = [pa.author.username for pa in PostAuthor.objects.filter(post=two)]
    assert order == ["tomas", "maya", "guest-rita"]
    assert User.objects.get(username="guest-rita").profile.display_name == "Rita Guest"
    alone = Post.objects.get(slug="maya-alone")
    assert [pa.author.username for pa in alone.post_authors.all()] == ["maya"]


# Comments -------------------------------------------------------------------------------


def test_comment_statuses_map_approved_pending_spam_and_trash():
    run()
    statuses = {c.import_ref: c.status for c in Comment.objects.all()}
    assert statuses == {
        "wxr:100": "approved",
        "wxr:101": "approved",
        "wxr:102": "approved",
        "wxr:103": "spam",
        "wxr:104": "pending",
        "wxr:105": "trash",
        "wxr:106": "trash",  # post-trashed
        "wxr:107": "approved",
        "wxr:108": "approved",
    }


def test_pingbacks_and_trackbacks_keep_their_kind():
    run()
    assert comment(107).kind == Comment.Kind.PINGBACK
    assert comment(108).kind == Comment.Kind.TRACKBACK
    assert comment(100).kind == comment(101).kind == Comment.Kind.COMMENT
    assert comment(107).body_html == "<p>[…] a good first programme […]</p>\n"


def test_replies_keep_their_thread_and_their_author_account():
    run()
    first, reply, second_reply = comment(100), comment(101), comment(102)
    assert (reply.parent, reply.root) == (first, first)
    assert (second_reply.parent, second_reply.root) == (reply, first)
    assert reply.user == User.objects.get(username="maya")
    assert reply.body_html == "<p>Start light: <strong>the bar alone</strong> is plenty.</p>\n"


def test_comment_meta_and_private_details_are_kept():
    run()
    first = comment(100)
    assert first.meta == {
        "akismet_result": "false",
        "akismet_history": [
            'a:2:{s:4:"time";d:1557831600;s:5:"event";s:10:"check-ham";}',
            'a:2:{s:4:"time";d:1557831700;s:5:"event";s:6:"status";}',
        ],
    }
    assert (first.author_email, first.ip_address) == ("priya@example.net", "203.0.113.7")
    assert first.author_url == "https://priya.example.net/"
    assert comment(106).ip_address == "2001:db8::1"
    assert comment(104).ip_address is None  # "not an address"
    assert comment(104).created_at == datetime(2019, 5, 15, 8, 0, tzinfo=UTC)  # local date
    assert comment(102).author_url == ""  # a javascript: address never becomes a link
    assert first.body_html == "<p>Squats before breakfast? That’s brave.<br>\nI’ll try it.</p>\n"


def test_the_spam_filter_learns_from_imported_spam_and_approved_comments():
    run()
    learnt = SpamFilterState.objects.get()
    assert (learnt.spam_documents, learnt.ham_documents) == (1, 5)
    assert comment(103).trained_as == "spam" and comment(100).trained_as == "ham"


# Content ------------------------------------------------------------------------------


def test_classic_content_gets_paragraphs_curly_quotes_and_a_caption_figure():
    run()
    html = post(10).body_html
    assert html.startswith("<p>It’s the first day, and the “big three” come first.<br>\n")
    assert "Squats before breakfast – always.</p>" in html
    figure = select_one(html, "figure", id="attachment_20")
    assert "wp-caption" in figure.attrs["class"] and "aligncenter" in figure.attrs["class"]
    (caption,) = [f for f in select(html, "figcaption") if f.inside("figure", id="attachment_20")]
    assert caption.text == "The rack at “closing time”"
    assert '<pre>print("don\'t curl this")</pre>' in html.replace("&quot;", '"')


def test_embeds_and_urls_alone_on_a_line_become_links_unknown_shortcodes_stay():
    run()
    html = post(10).body_html
    links = [a.attrs["href"] for a in select(html, "a")]
    assert "https://www.youtube.com/watch?v=squat101" in links
    assert "https://vimeo.com/76979871" in links
    assert 'Write to me with [contact-form id="3"]' in html.replace("&quot;", '"')


def test_gallery_without_uploads_shows_the_old_images():
    output = run()
    html = post(10).body_html
    gallery = select_one(html, "figure", class_="gallery")
    assert "gallery-columns-2" in gallery.attrs["class"]
    sources = [
        img.attrs["src"] for img in select(html, "img") if img.inside("figure", class_="gallery")
    ]
    assert sources == [
        "https://example.com/blog/wp-content/uploads/2019/05/sunset.jpg",
        "https://example.com/blog/wp-content/uploads/2019/05/rack.png",
    ]
    assert "no uploads folder was given (--uploads DIR)" in output
    assert post(10).featured_image is None and not Media.objects.exists()


def test_block_markup_keeps_its_html_inlines_reusable_blocks_and_drops_dynamic_ones():
    run()
    second = post(11)
    assert "<!--" not in second.body and "wp:latest-posts" not in second.body
    assert '<h2 id="day-two" class="wp-block-heading">Day two</h2>' in second.body_html
    assert "<p>Get the weekly programme by email.</p>" in second.body_html
    assert select_one(second.body_html, "a", href="https://www.youtube.com/watch?v=deadlift")


def test_links_to_the_old_site_become_links_here():
    run()
    assert select_one(post(11).body_html, "a", href="/2019/05/14/hello-world/")
    assert select_one(post(10).body_html, "a", href="/2019/05/15/second-post/")


def test_with_uploads_images_are_imported_and_their_urls_rewritten(uploads):
    output = run(SITE, "--uploads", str(uploads))
    sunset, rack = Media.objects.get(import_ref="wxr:20"), Media.objects.get(import_ref="wxr:21")
    assert (sunset.alt_text, sunset.caption, sunset.width) == (
        "A red sunset behind a squat rack",
        "The gym at closing time",
        640,
    )
    hello = post(10)
    assert hello.featured_image == sunset
    assert "wp-content/uploads" not in hello.body
    caption_img = select_one(hello.body_html, "img", class_="wp-image-20")
    assert caption_img.attrs["src"] == sunset.url  # the -300x200 copy leads to the image
    assert select_one(post(11).body_html, "img", class_="wp-image-21").attrs["src"] == rack.url
    assert "attachment 22 “Programme notes”: not imported: This file is not an image" in output


def test_with_uploads_a_missing_file_is_skipped_and_keeps_its_address(uploads):
    (uploads / "2019/05/rack.png").unlink()
    output = run(SITE, "--uploads", str(uploads))
    assert (
        "attachment 21 “Rack”: the file is not in the uploads folder (2019/05/rack.png)" in output
    )
    assert not Media.objects.filter(import_ref="wxr:21").exists()
    image = select_one(post(11).body_html, "img", class_="wp-image-21")
    assert (
        image.attrs["src"]
        == "https://example.com/blog/wp-content/uploads/2019/05/rack-1024x768.png"
    )


@pytest.mark.parametrize("with_uploads", [False, True])
def test_the_helper_process_renders_exactly_as_the_importer_would(uploads, with_uploads):
    folder = uploads if with_uploads else None  # with uploads, content is converted here
    WxrLoader(catalog_read(SITE), source=SITE, uploads=folder, helper=False).load()
    alone = {p.import_ref: (p.body_html, p.summary, p.word_count) for p in Post.objects.all()}
    comments = dict(Comment.objects.values_list("import_ref", "body_html"))
    WxrLoader(catalog_read(SITE), source=SITE, uploads=folder, helper=True).load()
    helped = {p.import_ref: (p.body_html, p.summary, p.word_count) for p in Post.objects.all()}
    assert helped == alone
    assert dict(Comment.objects.values_list("import_ref", "body_html")) == comments


# Importing again --------------------------------------------------------------------------


def test_importing_again_updates_and_duplicates_nothing(uploads):
    run(SITE, "--uploads", str(uploads))
    before = [
        model.objects.count()
        for model in (User, Category, Tag, Post, Page, Comment, PostAuthor, Media, Redirect)
    ]
    first_pks = dict(Comment.objects.values_list("import_ref", "pk"))
    Post.objects.filter(import_ref="wxr:10").update(title="Changed here")
    output = run(SITE, "--uploads", str(uploads))
    after = [
        model.objects.count()
        for model in (User, Category, Tag, Post, Page, Comment, PostAuthor, Media, Redirect)
    ]
    assert after == before
    assert dict(Comment.objects.values_list("import_ref", "pk")) == first_pks
    assert post(10).title == "Hello world"
    assert "8 posts (0 new, 8 updated)" in output and "2 images (0 new, 2 updated)" in output


# What a reader sees ---------------------------------------------------------------------


def test_the_post_page_shows_the_imported_post_with_its_threaded_comments(client, no_page_cache):
    run()
    response = client.get("/2019/05/hello-world/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "It’s the first day, and the “big three” come first." in page
    captions = [
        f.text for f in select(page, "figcaption") if f.inside("figure", id="attachment_20")
    ]
    assert captions == ["The rack at “closing time”"]
    first = select_one(page, "li", id=f"comment-{comment(100).pk}")
    reply = select_one(page, "li", id=f"comment-{comment(101).pk}")
    second_reply = select_one(page, "li", id=f"comment-{comment(102).pk}")
    assert reply.inside("li", id=first.attrs["id"]) and "depth-2" in reply.attrs["class"]
    assert second_reply.inside("li", id=reply.attrs["id"])
    assert "Cheap Pills" not in page and "Box squats" not in page  # spam, pending
    assert "priya@example.net" not in page and "203.0.113.7" not in page


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=10", "/2019/05/hello-world/"),
        ("/?page_id=41", "/team/"),
        ("/2019/05/14/hello-world/", "/2019/05/hello-world/"),
        ("/2019/05/16/%F0%9F%9A%80-launch/", "/2019/05/launch/"),
        ("/2019/05/16/%F0%9F%9A%80-launch/feed/", "/2019/05/launch/feed/"),
        ("/about/team/", "/team/"),
        ("/category/Food.Notes/", "/category/foodnotes/"),
        ("/category/Food.Notes/feed/", "/category/foodnotes/feed/"),
        ("/tag/Mobility.Work/", "/tag/mobilitywork/"),
        ("/2019/05/14/hello-world/sunset/", "/2019/05/hello-world/"),
        ("/blog/2019/05/14/hello-world/", "/2019/05/hello-world/"),  # same domain, sub-path
        ("/blog/about/team/", "/team/"),
        ("/blog/category/Food.Notes/", "/category/foodnotes/"),
        # The same by query string, as a site on plain permalinks links them.
        ("/?cat=6", "/category/training/squats/"),
        ("/?cat=7&feed=rss2", "/category/foodnotes/feed/"),
        ("/?tag=Mobility.Work", "/tag/mobilitywork/"),
        ("/?author=2", "/author/maya/"),
        ("/?m=201905", "/2019/05/"),
        ("/?p=10&feed=rss2", "/2019/05/hello-world/feed/"),
        ("/?feed=rss2", "/feed/"),
    ],
)
def test_every_old_address_answers_301_to_the_new_one(client, no_page_cache, old, new):
    run()
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_no_redirect_leads_to_itself_or_to_another_redirect():
    Redirect.objects.create(old_path="/old-launch/", new_path="/2019/05/16/🚀-launch/")
    Redirect.objects.create(old_path="/2019/05/launch/", new_path="/elsewhere/")  # stale now
    run()
    paths = dict(Redirect.objects.values_list("old_path", "new_path"))
    assert paths["/old-launch/"] == "/2019/05/launch/"
    assert "/2019/05/launch/" not in paths  # the post lives there now
    assert all(old != new for old, new in paths.items())
    assert not set(paths.values()) & set(paths)
