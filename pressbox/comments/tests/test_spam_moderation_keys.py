"""spam/moderation_keys.py: the owner's list of words that hold a comment."""

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.spam import moderation_keys


def test_a_moderation_key_holds_the_comment_and_names_the_key(post, site_settings):
    site_settings.moderation_keys = "crypto\nloan"
    comment = CommentFactory.build(post=post, body="Any tips on a LOAN for a home gym?")
    verdict = moderation_keys.check(comment, form_data={}, site=site_settings)
    assert verdict.status == Comment.Status.PENDING
    assert verdict.reason == "contains the moderation key “loan”"


def test_no_moderation_key_says_nothing(post, site_settings):
    site_settings.moderation_keys = "crypto"
    comment = CommentFactory.build(post=post, body="Squats every day")
    assert moderation_keys.check(comment, form_data={}, site=site_settings) is None
