"""spam/honeypot.py: a filled hidden field makes the comment spam."""

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.spam import honeypot


def test_a_filled_honeypot_is_spam(post, site_settings):
    comment = CommentFactory.build(post=post)
    verdict = honeypot.check(comment, form_data={"url_confirm": "http://x"}, site=site_settings)
    assert verdict.status == Comment.Status.SPAM
    assert verdict.reason == "filled the hidden honeypot field"


def test_an_empty_or_blank_honeypot_says_nothing(post, site_settings):
    comment = CommentFactory.build(post=post)
    for data in ({}, {"url_confirm": ""}, {"url_confirm": "  "}):
        assert honeypot.check(comment, form_data=data, site=site_settings) is None
