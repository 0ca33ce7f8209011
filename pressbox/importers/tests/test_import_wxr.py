"""`pressbox import_wxr FILE`: WordPress's own importer test exports, each with the
behaviour its upstream test expects (see ../shared/fixtures/wxr/README.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from PIL import Image

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.importers.wordpress.parse import Item, Term, WxrReader
from pressbox.lib.tests.html import select_one
from pressbox.media.models import Media
from pressbox.posts.models import Category, Page, Post, PostAuthor, Redirect, Tag

WXR = Path(django_settings.BASE_DIR).parent.parent / "shared" / "fixtures" / "wxr"
DATA = WXR / "phpunit-data"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not WXR.is_dir(), reason=f"the WXR fixtures folder is absent ({WXR})"),
]


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


def run(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command("import_wxr", str(DATA / name), *args, stdout=out)
    return out.getvalue()


def items(name: str) -> list[Item]:
    return [e for e in WxrReader(DATA / name) if isinstance(e, Item)]


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Category.objects.count(),
        Tag.objects.count(),
        Post.objects.count(),
        Page.objects.count(),
        Comment.objects.count(),
        PostAuthor.objects.count(),
        Post.categories.through.objects.count(),
        Redirect.objects.count(),
    )


# small-export.xml: the canonical end-to-end import ---------------------------------


def test_small_export_imports_its_authors_with_their_names_and_emails():
    run("small-export.xml")
    assert set(User.objects.values_list("username", "email")) == {
        ("admin", "local@host.null"),
        ("editor", "editor@example.org"),
        ("author", "author@example.org"),
    }
    editor = User.objects.get(username="editor")
    assert (editor.first_name, editor.last_name) == ("FirstName", "LastName")
    assert editor.profile.display_name == "FirstName LastName"
    assert not editor.has_usable_password()


def test_small_export_imports_categories_with_their_tree_and_tags():
    run("small-export.xml")
    assert Category.objects.count() == 30 and Tag.objects.count() == 3
    assert Category.objects.get(slug="foo").parent is None
    assert Category.objects.get(slug="foo-bar").parent == Category.objects.get(slug="bar")
    assert Category.objects.get(slug="eternity").name == "远征手记"


def test_small_export_imports_posts_and_pages_in_their_statuses():
    run("small-export.xml")
    posts = Post.objects.values_list("status", flat=True)
    assert sorted(posts) == ["private"] + ["published"] * 5
    assert sorted(Page.objects.values_list("status", flat=True)) == ["draft"] + ["published"] * 4
    assert Post.objects.get(slug="many-categories").categories.count() == 27
    assert set(Post.objects.get(slug="private-post").tags.values_list("slug", flat=True)) == {
        "tag1",
        "tag2",
        "tag3",
    }
    hello = Post.objects.get(slug="hello-world")
    assert [pa.author.username for pa in hello.post_authors.all()] == ["author"]
    assert Post.objects.get(slug="foo-child").categories.get().slug == "foo-bar"
    assert Page.objects.get(title="Draft Page").slug == "draft-page"  # empty in the export
    assert Comment.objects.get().post == hello


def test_small_export_imported_twice_updates_and_duplicates_nothing():
    run("small-export.xml")
    before = counts()
    output = run("small-export.xml")
    assert counts() == before
    assert "6 posts (0 new, 6 updated)" in output and "5 pages (0 new, 5 updated)" in output
    assert "1 comment (0 new, 1 updated)" in output


# theme-unit-test-data.xml: WordPress's theme test site -------------------------------


def test_theme_unit_test_data_imports_everything_it_can_twice_without_duplicates():
    output = run("theme-unit-test-data.xml")
    first = counts()
    assert run("theme-unit-test-data.xml") and counts() == first
    assert Post.objects.count() == 58 and Page.objects.count() == 21
    assert Comment.objects.count() == 28  # the other 5 are on pages
    assert "70 menu items" not in output  # listed by reason, not each
    assert "navigation menus are not imported" in output
    assert "pages take no comments in Pressbox" in output
    assert User.objects.filter(username__in=["themedemos", "themereviewteam"]).count() == 2


def test_theme_unit_test_keeps_threads_kinds_and_statuses():
    run("theme-unit-test-data.xml")
    kinds = Comment.objects.values_list("kind", flat=True)
    assert list(kinds).count("pingback") == 2 and list(kinds).count("trackback") == 2
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 1  # 2 on pages
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert all(reply.parent.post_id == reply.post_id for reply in replies)
    assert all(reply.root is not None and reply.root.parent is None for reply in replies)


def test_theme_unit_test_titles_with_markup_or_references_read_as_text():
    run("theme-unit-test-data.xml")
    assert Post.objects.filter(title="Markup: Title With Markup").exists()
    special = Post.objects.get(title__startswith="Markup: Title With Special Characters")
    assert special.title.endswith("~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>")


def test_theme_unit_test_keeps_sticky_future_draft_and_password_protected_posts():
    output = run("theme-unit-test-data.xml")
    assert Post.objects.filter(sticky=True).exists()
    assert Post.objects.filter(status=Post.Status.DRAFT, published_at__isnull=True).count() == 1
    protected = Post.objects.get(title__startswith="Template: Password Protected")
    assert protected.status == Post.Status.PRIVATE
    assert "password-protected on WordPress, so imported as private" in output


def test_a11y_unit_test_data_imports_its_posts_and_comments():
    output = run("a11y-unit-test-data.xml")
    assert Post.objects.count() == 47 and Page.objects.count() == 17
    assert "navigation menus are not imported" in output
    # Three creators are named, none with a wp:author block: each becomes an account.
    assert User.objects.filter(username__in=["a11yteam", "themereviewteam"]).count() == 2


# Older and varied formats ---------------------------------------------------------------


def test_wxr_1_0_authors_come_from_dc_creator_and_tags_from_the_old_domain():
    output = run("valid-wxr-1.0.xml")
    assert "3 posts (3 new)" in output and "3 pages (3 new)" in output
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]
    assert {"news", "roar", "chicken", "face"} <= set(Tag.objects.values_list("slug", flat=True))
    assert Category.objects.get(slug="alpha").description == "The alpha category"
    hello = Post.objects.get(slug="hello-world")
    assert list(hello.categories.values_list("slug", flat=True)) == ["uncategorized"]


def test_wxr_1_1_maps_author_names_and_term_descriptions():
    run("valid-wxr-1.1.xml")
    john = User.objects.get(username="john")
    assert (john.email, john.profile.display_name) == ("johndoe@example.org", "John Doe")
    assert Category.objects.get(slug="alpha").description == "The alpha category"
    assert Tag.objects.get(slug="clippable").name == "Clippable"
    assert not Tag.objects.filter(slug="bieup").exists()  # a custom taxonomy's term


def test_term_formats_count_categories_and_tags_however_they_are_written():
    run("term-formats.xml")
    assert (Category.objects.count(), Tag.objects.count()) == (2, 3)
    terms = [e for e in WxrReader(DATA / "term-formats.xml") if isinstance(e, Term)]
    assert len([t for t in terms if t.taxonomy not in ("category", "post_tag")]) == 2


def test_large_authors_makes_every_author_once():
    run("large-authors.xml")
    assert User.objects.count() == 300
    run("large-authors.xml")
    assert User.objects.count() == 300


def test_author_fields_with_trailing_newlines_are_trimmed():
    run("authors-multiline.xml")
    assert sorted(User.objects.values_list("username", flat=True)) == ["alice", "bob", "carol"]


def test_an_item_without_author_dates_or_excerpt_imports_quietly():
    output = run("missing-tags.xml")
    post = Post.objects.get()
    assert (post.title, post.status, post.post_authors.count()) == (
        "No Author Post",
        "published",
        0,
    )
    assert post.published_at is not None and "Skipped" not in output


def test_sub_data_keeps_the_comment_and_its_meta():
    run("wxr-with-sub-data.xml")
    comment = Comment.objects.get()
    assert comment.author_name == "Commenter" and comment.import_ref == "wxr:201"
    assert comment.meta == {"_comment_meta_key": "comment_meta_value"}
    assert Post.objects.get().categories.get().slug == "test-cat"


# Text kept exactly ---------------------------------------------------------------------


def test_slashes_and_quotes_survive_in_names_content_and_comments(client):
    run("slashes.xml")
    assert Category.objects.get(slug="alpha").name == 'a \\"great\\" category'
    assert Tag.objects.get(slug="tag1").name == "foo\\'bar"
    post = Post.objects.get()
    assert post.body.count("\\") == 3 and "Slashes aren\\" in post.body_html
    assert Comment.objects.get().body_html == "<p>\\o/ ¯\\_(ツ)_/¯</p>\n"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "\\o/ ¯\\_(ツ)_/¯" in page


def test_backslashes_of_a_windows_path_are_kept():
    run("backslashes.xml")
    assert "C:\\xampp\\htdocs\\wp-content" in Post.objects.get().body_html


def test_blank_lines_become_paragraphs():
    assert "first paragraph\n\nsecond paragraph" in items("blank-lines.xml")[0].content
    run("blank-lines.xml")
    assert Post.objects.get().body_html == "<p>first paragraph</p>\n<p>second paragraph</p>"


def test_every_newline_of_the_content_is_kept_and_dressed_as_wordpress_would():
    assert items("post-content-blank-lines.xml")[0].content.count("\n") == 3
    run("post-content-blank-lines.xml")
    html = Post.objects.get().body_html
    assert html.count("<p>") == 2 and html.count("<br>") == 1


def test_adjacent_cdata_sections_are_joined():
    assert items("multiple-cdata.xml")[0].content.strip() == "line oneline twoline three"
    run("multiple-cdata.xml")
    assert "line oneline twoline three" in Post.objects.get().body_html


def test_content_ending_like_a_cdata_terminator_is_kept():
    assert items("cdata-edge.xml")[0].content.endswith("]] >")
    run("cdata-edge.xml")
    assert Post.objects.get().body_html.endswith("ends with sequence ]] &gt;</p>")


def test_escaped_cdata_terminators_round_trip_in_content_and_meta():
    (item,) = items("crazy-cdata-escaped.xml")
    assert item.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert dict(item.meta) == {
        "Plain string": "Foo",
        "Closing CDATA": "]]>",
        "Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
    }


def test_utf8_challenges_stay_literal(client):
    (item,) = items("wxr-utf-8-challenges.xml")
    assert "𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄" in item.content
    assert dict(item.meta)["_special_chars"] == (
        "&#x202E;&#x202D;&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;&#xFFFD;"
    )
    run("wxr-utf-8-challenges.xml")
    post = Post.objects.get()
    assert post.title == item.title and post.excerpt == item.excerpt.strip()
    assert "السلام عليكم وﷲ" in post.body_html
    assert item.content.split("<p>")[1].split("<br>")[0][:40] in post.body_html  # zalgo
    assert post.categories.get().name == item.terms[0].name
    admin = User.objects.get()
    assert admin.username == "admin"  # zero-width characters of the login dropped
    assert (admin.email, admin.first_name) == ("ădmĩn@ℓocalhost.com", "🅰️")
    assert admin.last_name == "&#x1F1FA;&#x1F1F8;𝕌𝕟𝕚𝕔𝕠𝕕𝕖"  # CDATA: no reference decoded
    assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("chunked-meta.xml", "_my_meta", 'a:1:{s:3:"foo";s:3:"bar";}'),
        (
            "test-serialized-postmeta-no-cdata.xml",
            "post-options",
            'a:2:{s:18:"special_post_title";s:15:"A special title";s:11:"is_calendar";s:0:"";}',
        ),
        ("test-serialized-postmeta-with-cdata.xml", "evil", "<wp:meta_value>evil</wp:meta_value>"),
        (
            "test-serialized-postmeta-with-cdata.xml",
            "array-nested",
            'a:1:{s:3:"key";a:2:{s:3:"foo";s:13:"¯\\_(ツ)_/¯";s:3:"bar";s:3:"\\o/";}}',
        ),
    ],
)
def test_serialized_post_meta_is_read_byte_for_byte(name, key, value):
    assert dict(items(name)[0].meta)[key] == value


def test_serialized_utw_meta_of_php_objects_is_read_whole():
    value = dict(items("test-utw-post-meta-import.xml")[0].meta)["test"]
    assert value.startswith('a:13:{i:0;O:8:"stdClass":1:{s:3:"tag";s:5:"album";}')
    assert value.endswith("}}")


def test_serialized_comment_meta_is_stored_byte_for_byte():
    run("test-serialized-comment-meta.xml")
    assert Comment.objects.get().meta == {
        "string": "¯\\_(ツ)_/¯",
        "array": 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}',
    }


def test_serialized_term_meta_is_read_for_categories_tags_and_terms():
    terms = [e for e in WxrReader(DATA / "test-serialized-term-meta.xml") if isinstance(e, Term)]
    expected = [("string", "¯\\_(ツ)_/¯"), ("array", 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}')]
    assert [t.meta for t in terms] == [expected] * 3
    run("term-meta.xml")
    assert Category.objects.get().slug == "news"


# Refused files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["missing-version-tag.xml", "invalid-version-tag.xml"])
def test_a_file_without_a_valid_wxr_version_is_refused(name):
    with pytest.raises(CommandError, match="is not a WordPress export") as error:
        run(name)
    assert str(error.value).count(".") >= 1 and "\n" not in str(error.value)
    assert counts() == (0, 0, 0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "line"),
    [("malformed.xml", 90), ("malformed-simple.xml", 14), ("crazy-cdata.xml", 18)],
)
def test_a_malformed_file_names_the_line_and_imports_nothing(name, line):
    with pytest.raises(CommandError, match=rf"is not well-formed XML: .* at line {line}\.$"):
        run(name)
    assert counts() == (0, 0, 0, 0, 0, 0, 0, 0, 0)


# Namespaces are bound by URI ----------------------------------------------------------


def test_namespaces_are_read_by_uri_not_by_prefix():
    output = run("namespace-edge-cases.xml")
    assert set(User.objects.values_list("username", flat=True)) == {"real_user", "version_conflict"}
    assert sorted(Post.objects.values_list("import_ref", flat=True)) == [
        "wxr:1",
        "wxr:2",
        "wxr:3",
        "wxr:4",
        "wxr:6",
    ]
    assert Post.objects.get(import_ref="wxr:1").title == "Mixed Namespaces"
    assert "“Hijacked Namespace”: not a WordPress post (it has no post type)" in output
    assert set(Category.objects.values_list("slug", flat=True)) == {"old-version", "new-version"}
    bomb = Post.objects.get(import_ref="wxr:6")
    assert "&amp;lol1;&amp;lol1;" in bomb.body_html  # CDATA text, never an entity


def test_block_markup_post_keeps_its_html_without_the_block_comments():
    run("wxr-simple.xml")
    post = Post.objects.get()
    assert post.title == '"The Road Not Taken" by Robert Frost'
    assert "<!-- wp:" not in post.body and post.body_html.startswith("<p>")


# Attachments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["wxr-flat-attachment-same-site.xml", "wxr-flat-attachment-different-site.xml"]
)
def test_an_attachment_from_the_uploads_copy_replaces_its_address_in_the_post(name, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2008" / "06").mkdir(parents=True)
    Image.new("RGB", (100, 100), (210, 180, 40)).save(uploads / "2008/06/canola2.jpg", "JPEG")
    output = run(name, "--uploads", str(uploads))
    media = Media.objects.get()
    assert (media.import_ref, media.alt_text, media.width) == ("wxr:611", "canola", 100)
    image = select_one(Post.objects.get(import_ref="wxr:555").body_html, "img")
    assert image.attrs["src"] == media.url and image.attrs["alt"] == "canola"
    assert "1 image (1 new)" in output


def test_without_an_uploads_copy_the_attachment_is_skipped_and_its_address_kept():
    output = run("wxr-flat-attachment-same-site.xml")
    assert "attachment 611 “canola2”: no uploads folder was given (--uploads DIR)." in output
    image = select_one(Post.objects.get().body_html, "img")
    assert image.attrs["src"] == "https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg"
