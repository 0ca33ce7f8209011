"""WordPress content as Pressbox stores it: paragraphs, blocks, shortcodes, typography,
comments as Markdown, and URLs of the old site (unit tests, plus WordPress's e2e
exports for base-URL rewriting)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pressbox.comments.models import Comment
from pressbox.importers.wordpress.comment_text import comment_markdown
from pressbox.importers.wordpress.content import (
    GalleryImage,
    convert,
    fast_texturize,
    texturize_html,
    wpautop,
)
from pressbox.importers.wordpress.links import SiteURL, rewrite_urls
from pressbox.lib.markup import render_comment
from pressbox.lib.tests.html import select
from pressbox.lib.text import texturize
from pressbox.posts.models import Category, Page, Post, Tag

E2E = Path(django_settings.BASE_DIR).parent.parent / "shared" / "fixtures" / "wxr" / "e2e-fixtures"
needs_e2e = pytest.mark.skipif(
    not E2E.is_dir(), reason=f"the WXR fixtures folder is absent ({E2E})"
)


# Paragraphs (wpautop) ----------------------------------------------------------------


def test_blank_lines_make_paragraphs_and_single_line_breaks_make_br():
    assert wpautop("one\ntwo\n\nthree") == "<p>one<br />\ntwo</p>\n<p>three</p>"


def test_block_elements_get_no_paragraph_around_or_inside_their_edges():
    text = "Intro\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nAfter\n\n<h2>Title</h2>"
    assert wpautop(text) == (
        "<p>Intro</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>After</p>\n<h2>Title</h2>"
    )


def test_preformatted_text_keeps_its_blank_lines_and_breaks():
    assert (
        wpautop("<pre>a = 1\n\n\nb = 2</pre>\nnext") == "<pre>a = 1\n\n\nb = 2</pre>\n<p>next</p>"
    )


def test_a_blockquote_gets_its_paragraph_inside():
    assert wpautop("<blockquote>Quoted</blockquote>") == "<blockquote><p>Quoted</p></blockquote>"


def test_a_tag_written_over_several_lines_gets_no_br_inside():
    assert wpautop('<a href="x"\ntitle="y">link</a> and text') == (
        '<p><a href="x"\ntitle="y">link</a> and text</p>'
    )


def test_empty_content_stays_empty():
    assert convert("") == "" and convert("  \n\n ") == ""


# Blocks ------------------------------------------------------------------------------


def test_block_delimiters_go_and_the_blocks_html_stays_as_written():
    content = (
        '<!-- wp:paragraph {"align":"center"} -->\n<p class="has-text-align-center">A\nB</p>\n'
        "<!-- /wp:paragraph -->\n\n<!-- wp:separator /-->\n<!-- wp:latest-posts /-->"
    )
    assert convert(content) == '<p class="has-text-align-center">A\nB</p>'


def test_a_reusable_block_is_inlined_and_a_loop_of_them_stops():
    blocks = {
        "7": '<!-- wp:paragraph --><p>Shared</p><!-- /wp:paragraph --><!-- wp:block {"ref":7} /-->'
    }
    assert convert('<!-- wp:block {"ref":7} /-->', reusable=blocks.get) == "<p>Shared</p>"
    assert convert('<!-- wp:block {"ref":8} /-->\n<p>x</p>', reusable=blocks.get) == "<p>x</p>"


# Shortcodes ---------------------------------------------------------------------------


def test_caption_shortcode_becomes_a_figure_with_its_figcaption():
    html = convert(
        '[caption id="attachment_4" align="alignleft"]<img src="/a.jpg" alt="A"> A bar[/caption]'
    )
    assert html == (
        '<figure id="attachment_4" class="wp-caption alignleft"><img src="/a.jpg" alt="A">'
        "<figcaption>A bar</figcaption></figure>"
    )


def test_converting_a_caption_figure_again_changes_nothing():
    once = convert('Intro\n\n[caption]<img src="/a.jpg" alt=""> Below[/caption]\n\nEnd')
    assert convert(once) == once  # an export read back in keeps its look


def test_old_caption_attribute_and_escaped_shortcodes():
    html = convert('[caption caption="Old style"]<img src="/b.jpg" alt="">[/caption]')
    assert "<figcaption>Old style</figcaption>" in html
    assert convert("Write [[caption]] to show it") == "<p>Write [caption] to show it</p>"


def test_gallery_shows_the_named_images_in_columns():
    def images(ids, post_id):
        return [GalleryImage(i, f"/m/{i}.jpg", f"/m/{i}.jpg", f"Photo {i}") for i in ids or ["9"]]

    html = convert('[gallery ids="1,2" columns="4" link="none"]', gallery=images)
    gallery = select(html, "figure", class_="gallery")[0]
    assert "gallery-columns-4" in gallery.attrs["class"]
    assert [img.attrs["src"] for img in select(html, "img")] == ["/m/1.jpg", "/m/2.jpg"]
    assert not select(html, "a")
    linked = convert("[gallery]", post_id="5", gallery=images)
    assert [a.attrs["href"] for a in select(linked, "a")] == ["/m/9.jpg"]
    assert convert("[gallery ids='3']", gallery=lambda ids, post_id: []) == ""


def test_embeds_audio_and_video_become_links_and_unknown_shortcodes_stay_as_typed():
    assert convert("[embed]https://vimeo.com/1[/embed]") == (
        '<p><a href="https://vimeo.com/1">https://vimeo.com/1</a></p>'
    )
    assert 'href="https://x.example/a.mp3"' in convert('[audio mp3="https://x.example/a.mp3"]')
    assert convert('[contact-form to="me"]') == '<p>[contact-form to="me"]</p>'


def test_a_url_alone_on_its_line_becomes_a_link_but_not_inside_text_or_code():
    html = convert(
        "See\n\nhttps://youtu.be/abc\n\nor https://a.example inline\n\n<pre>\nhttps://b.example\n</pre>"
    )
    assert [a.attrs["href"] for a in select(html, "a")] == ["https://youtu.be/abc"]


# Typography -------------------------------------------------------------------------


def test_quotes_curl_in_text_but_never_in_code_attributes_comments_or_shortcodes():
    html = texturize_html(
        '<p title="a \'b\'">It\'s "fine" -- <code>"x"</code> <!-- "c" --> [x y="z"]...</p>'
    )
    assert html == '<p title="a \'b\'">It’s “fine” – <code>"x"</code> <!-- "c" --> [x y="z"]…</p>'


@given(st.text(alphabet="ab_1 .,!?)](\"'-\t\né’", max_size=30))
def test_fast_texturize_is_the_site_s_texturize(text):
    assert fast_texturize(text) == texturize(text)


# Comments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wordpress", "shown"),
    [
        ("Hi.<br />Bye.", "<p>Hi.<br>\nBye.</p>\n"),
        ("One\n\nTwo\nthree", "<p>One</p>\n<p>Two<br>\nthree</p>\n"),
        ("\\o/ ¯\\_(ツ)_/¯ *not bold*", "<p>\\o/ ¯\\_(ツ)_/¯ *not bold*</p>\n"),
        ("1. no list", "<p>1. no list</p>\n"),
        ("<strong>bold</strong> and <em>it</em> and <code>a_b</code>",
         "<p><strong>bold</strong> and <em>it</em> and <code>a_b</code></p>\n"),
        ('<a href="https://x.example/a_b">a link</a>',
         '<p><a href="https://x.example/a_b" rel="nofollow ugc noopener">a link</a></p>\n'),
        ('<a href="javascript:alert(1)">bad</a><script>alert(2)</script>', "<p>bad</p>\n"),
        ("<blockquote>Quoted</blockquote>Reply",
         "<blockquote>\n<p>Quoted</p>\n</blockquote>\n<p>Reply</p>\n"),
        ("&lt;b&gt; is bold, AT&amp;T", "<p>&lt;b&gt; is bold, AT&amp;T</p>\n"),
        ("see https://x.example/page.",
         '<p>see <a href="https://x.example/page" rel="nofollow ugc noopener">'
         "https://x.example/page</a>.</p>\n"),
    ],
)  # fmt: skip
def test_wordpress_comment_html_renders_as_it_looked(wordpress, shown):
    assert render_comment(comment_markdown(wordpress)) == shown


# Addresses of the old site ----------------------------------------------------------------


def test_site_url_compares_hosts_in_unicode_or_punycode_and_paths_decoded():
    site = SiteURL.of("https://🚀-science.com/science")
    assert site is not None
    assert site.local_path("https://xn---science-7f85g.com/%73%63ience/a/?x=1") == "/a/?x=1"
    assert site.local_path("http://🚀-science.com/science") == "/"
    assert site.local_path("/science/b/") == "/b/"
    assert site.local_path("/science/b/", relative_ok=False) is None
    assert site.local_path("https://🚀-science.comcast/science") is None
    assert site.local_path("https://🚀-science.com/science-fiction/") is None
    assert site.local_path("mailto:me@🚀-science.com") is None


def test_rewrite_urls_reaches_attributes_srcset_css_and_text_and_leaves_the_rest():
    def replace(url, in_text):
        return url.replace("old.example", "new.example") if "old.example" in url else None

    markup = (
        '<img src="https://old.example/a.jpg" srcset="https://old.example/a-300.jpg 300w, '
        '/b.jpg 2x" data-x="https://old.example/z">'
        '<p style="background: url(&quot;https://old.example/bg.jpg&quot;) no-repeat">'
        "Visit &#104;ttps://old.example/page or https://other.example &amp; more</p>"
        '<div style="background: url(data:image/png;base64,AAAA)">x</div>'
    )
    assert rewrite_urls(markup, replace) == (
        '<img src="https://new.example/a.jpg" srcset="https://new.example/a-300.jpg 300w, '
        '/b.jpg 2x" data-x="https://old.example/z">'
        '<p style="background: url(&quot;https://new.example/bg.jpg&quot;) no-repeat">'
        "Visit https://new.example/page or https://other.example &amp; more</p>"
        '<div style="background: url(data:image/png;base64,AAAA)">x</div>'
    )


# WordPress's e2e exports ---------------------------------------------------------------------


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_wxr", str(path), *args, stdout=out)
    return out.getvalue()


@needs_e2e
@pytest.mark.django_db
def test_base_url_with_an_emoji_host_and_a_path_is_rewritten_in_every_spelling(settings):
    settings.SITE_URL = "https://new.example"
    run(E2E / "wxr-base-url-rewriting.xml")
    body = Post.objects.get().body
    assert '<a href="/">https://new.example/</a>' in body  # the base URL alone on its line
    assert "xn---science-7f85g" not in body and "%73%63ience" not in body
    assert "https://🚀-science.com/science\n" not in body
    assert "https://🚀-science.comcast/science" in body  # another host
    assert "super-🚀-science.com/science" in body  # no scheme: not a URL
    (test,) = [a for a in select(Post.objects.get().body_html, "a") if a.text == "Test"]
    assert test.attrs["href"] == "/wp-content/image.png"


@needs_e2e
@pytest.mark.django_db
def test_links_under_a_sub_path_base_are_rewritten_and_lookalikes_are_not():
    run(E2E / "wxr-simple.xml")
    html = Post.objects.get().body_html
    hrefs = [a.attrs["href"] for a in select(html, "a")]
    assert hrefs == ["/one", "https://playground.internal/path-not-taken", "https://w.org"]
    assert "playground.internal/path/one was the best choice" in html


@needs_e2e
@pytest.mark.django_db
def test_css_urls_of_uploads_lead_to_the_imported_files(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for name in ("bg1.jpg", "bg3.jpg", "bg4.jpg", "image.jpg"):
        Image.new("RGB", (8, 8), "blue").save(uploads / name, "JPEG")
    run(E2E / "wxr-css-urls.xml", "--uploads", str(uploads))
    body = Post.objects.get().body
    for name in ("bg1", "bg3", "bg4"):
        assert f"/wp-content/uploads/{name}.jpg" not in body
        assert "/media/uploads/" in body
    assert "https://playground.internal/wp-content/uploads/bg2.jpg" in body  # not in the copy
    assert "data:image/png;base64,iVBORw0KGgo" in body
    assert select(Post.objects.get().body_html, "img")[0].attrs["src"].startswith("/media/uploads/")


@pytest.mark.django_db
def test_finished_html_from_a_pressbox_export_is_taken_as_it_is(tmp_path):
    html = '<blockquote><p>"Kept" -- as is</p></blockquote>\n\n<p><img src="/a.jpg" alt=""></p>'
    export = tmp_path / "pressbox.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        "</wp:wxr_version><item><title>Kept</title><wp:post_id>3</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        f"<content:encoded><![CDATA[{html}]]></content:encoded><wp:postmeta><wp:meta_key>"
        "_pressbox_format</wp:meta_key><wp:meta_value>html</wp:meta_value></wp:postmeta>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    run(export)
    assert Post.objects.get().body == html


@needs_e2e
@pytest.mark.django_db
def test_the_comprehensive_export_imports_post_page_terms_and_comment():
    run(E2E / "wxr-comprehensive.xml")
    post = Post.objects.get()
    assert (post.slug, post.excerpt) == ("comprehensive-post", "An excerpt for comprehensive post")
    assert set(post.categories.values_list("slug", flat=True)) == {"news", "updates"}
    assert set(post.tags.values_list("slug", flat=True)) == {"t1", "t2"}
    assert Category.objects.get(slug="updates").parent.slug == "news"
    assert Tag.objects.get(slug="t1").name == "T1"
    assert Page.objects.get().title == "Comprehensive Page"
    comment = Comment.objects.get()
    assert (comment.body_html, comment.meta) == (
        "<p>Great post!</p>\n",
        {"rating": "5", "note": "vip"},
    )
    assert [pa.author.username for pa in post.post_authors.all()] == ["alice"]
