"""spam/links.py: more links in the body than the owner allows holds a comment."""

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.spam import count_links, links


@pytest.mark.parametrize(
    "body, n",
    [
        ("No links at all", 0),
        ("See https://a.example and http://b.example/x", 2),
        ('<a href="https://a.example">one</a> and <a href="/local">two</a>', 2),
        ("[text](https://a.example) and www.b.example", 2),
        ("HTTPS://SHOUT.EXAMPLE, mail me at ann@www.example", 1),
    ],
)
def test_links_are_counted_once_each(body, n):
    assert count_links(body) == n


def test_more_links_than_allowed_are_held_with_the_count(post, site_settings):
    body = " ".join(f"https://{n}.example" for n in "abcde")
    comment = CommentFactory.build(post=post, body=body)
    verdict = links.check(comment, form_data={}, site=site_settings)  # default: 2 allowed
    assert verdict.status == Comment.Status.PENDING
    assert verdict.reason == "has 5 links (more than 2)"


def test_as_many_links_as_allowed_pass_and_the_website_does_not_count(post, site_settings):
    comment = CommentFactory.build(
        post=post, body="https://a.example https://b.example", author_url="https://c.example"
    )
    assert links.check(comment, form_data={}, site=site_settings) is None


def test_with_no_links_allowed_one_link_is_held(post, site_settings):
    site_settings.comment_max_links = 0
    comment = CommentFactory.build(post=post, body="https://a.example")
    assert links.check(comment, form_data={}, site=site_settings).reason == (
        "has 1 link (more than 0)"
    )
