"""spam/disallowed_keys.py: the owner's list of words that make a comment spam."""

import pytest

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.spam import disallowed_keys


@pytest.fixture
def site(site_settings):
    site_settings.disallowed_keys = "\n  Casino  \n\nspammer@example.org\n198.51.100.\n"
    return site_settings


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"body": "Best CASINO bonuses"}, "Casino"),
        ({"author_name": "casinoroyale"}, "Casino"),
        ({"author_url": "https://casino.example/"}, "Casino"),
        ({"author_email": "Spammer@Example.org"}, "spammer@example.org"),
        ({"ip_address": "198.51.100.23"}, "198.51.100."),
        ({"user_agent": "CasinoBot/1.0"}, "Casino"),
    ],
)
def test_a_key_in_any_field_ignoring_case_makes_spam(post, site, fields, key):
    comment = CommentFactory.build(post=post, **fields)
    verdict = disallowed_keys.check(comment, form_data={}, site=site)
    assert verdict.status == Comment.Status.SPAM
    assert verdict.reason == f"contains the disallowed key “{key}”"


def test_a_comment_without_keys_or_an_empty_list_passes(post, site, site_settings):
    assert disallowed_keys.check(CommentFactory.build(post=post), form_data={}, site=site) is None
    site.disallowed_keys = ""
    spammy = CommentFactory.build(post=post, body="casino")
    assert disallowed_keys.check(spammy, form_data={}, site=site) is None


def test_a_long_key_is_cut_in_the_reason(post, site_settings):
    site_settings.disallowed_keys = "x" * 150
    comment = CommentFactory.build(post=post, body="x" * 200)
    reason = disallowed_keys.check(comment, form_data={}, site=site_settings).reason
    assert reason == f"contains the disallowed key “{'x' * 59}…”"
