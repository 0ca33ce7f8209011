"""comment_submit: what is stored for a valid comment."""

from django.test import RequestFactory

from pressbox.comments.forms import CommentForm
from pressbox.comments.models import Comment
from pressbox.comments.services import comment_submit
from pressbox.lib.avatars import avatar_key


def submit(post, data, **meta):
    request = RequestFactory().post("/", data, **meta)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    form = CommentForm(data, post=post)
    assert form.is_valid(), form.errors
    return comment_submit(form=form, request=request)


def test_comment_is_stored_with_its_private_details(post, typed):
    comment = submit(post, typed, REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="UA/1.0")
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.author_email == "ann@example.net"
    assert (stored.ip_address, stored.user_agent) == ("198.51.100.23", "UA/1.0")
    assert stored.avatar_key == avatar_key("ann@example.net")
    assert stored.body == "Loved the *squat* tips -- thanks!"


def test_a_long_user_agent_is_cut_to_500_characters(post, typed):
    comment = submit(post, typed, HTTP_USER_AGENT="x" * 2000)
    assert len(Comment.objects.get(pk=comment.pk).user_agent) == 500


def test_missing_remote_address_is_stored_as_null(post, typed):
    comment = submit(post, typed, REMOTE_ADDR="")
    assert Comment.objects.get(pk=comment.pk).ip_address is None


def test_moderation_hash_is_stable_and_specific_to_the_comment(post, typed):
    first, second = submit(post, typed), submit(post, {**typed, "comment": "And again."})
    assert first.check_moderation_hash(first.moderation_hash())
    assert not first.check_moderation_hash(second.moderation_hash())
    assert not first.check_moderation_hash("")
