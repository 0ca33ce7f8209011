"""Feed content with absolute URLs: what a feed reader, with no page to resolve against,
needs to follow every link and show every image of a post."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressbox.lib.markup import render_markdown
from pressbox.posts.feeds.links import absolute_html

BASE = "https://blog.example/2024/05/knees/"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://blog.example"


def test_paths_fragments_and_relative_names_resolve_against_the_post():
    html = render_markdown("[a](/about/) [b](#notes) [c](photo.jpg) [d](../06/)")
    out = absolute_html(html, base=BASE)
    assert 'href="https://blog.example/about/"' in out
    assert f'href="{BASE}#notes"' in out
    assert f'href="{BASE}photo.jpg"' in out
    assert 'href="https://blog.example/2024/05/06/"' in out  # as a browser would


def test_full_urls_mail_links_and_query_strings_stay_as_written():
    html = render_markdown(
        "[a](https://example.org/x?a=1&b=2) [m](mailto:umer@example.com) [q](/?s=knee&p=2)"
    )
    out = absolute_html(html, base=BASE)
    assert 'href="https://example.org/x?a=1&amp;b=2"' in out
    assert 'href="mailto:umer@example.com"' in out
    assert 'href="https://blog.example/?s=knee&amp;p=2"' in out


def test_every_srcset_candidate_keeps_its_descriptor():
    html = render_markdown(
        '<picture><source type="image/webp" srcset="/media/a-640w.webp 640w, /media/a.webp">'
        '<img src="/media/a.jpg" srcset="/media/a-640w.jpg 640w,/media/a.jpg 2x" alt="A"></picture>'
    )
    out = absolute_html(html, base=BASE)
    origin = "https://blog.example"
    assert f'srcset="{origin}/media/a-640w.webp 640w, {origin}/media/a.webp"' in out
    assert f'srcset="{origin}/media/a-640w.jpg 640w, {origin}/media/a.jpg 2x"' in out
    assert f'src="{origin}/media/a.jpg"' in out


def test_text_that_looks_like_an_attribute_is_left_alone():
    html = render_markdown('Write `href="/x"` or href="/y" in your theme.')
    assert absolute_html(html, base=BASE) == html


@given(st.text(max_size=200))
def test_no_relative_url_survives_whatever_the_post_says(body):
    out = absolute_html(render_markdown(f"{body} [x](/a/) ![y](b.png)"), base=BASE)
    for attribute in ('href="', 'src="', 'srcset="'):
        for value in out.split(f" {attribute}")[1:]:
            assert value.startswith(("https://", "http://", "mailto:")), value[:40]
