"""The moderation policy (SiteSettings.comment_moderation) through the comment form."""

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.posts.models import SiteSettings

Moderation = SiteSettings.Moderation


def test_by_default_a_first_time_commenter_is_held(client, post, typed):
    client.post(f"/comments/post/{post.pk}/", typed)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.status_reason == "first comment from this address"


def test_a_commenter_with_an_approved_comment_is_published_at_once(client, post, typed):
    CommentFactory(author_email="ann@example.net")
    response = client.post(f"/comments/post/{post.pk}/", typed)  # typed as Ann@Example.net
    assert "unapproved" not in response["Location"]
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED


def test_a_held_or_spam_comment_does_not_make_a_commenter_known(client, post, typed):
    CommentFactory(author_email="ann@example.net", status=Comment.Status.PENDING)
    CommentFactory(author_email="ann@example.net", status=Comment.Status.SPAM)
    client.post(f"/comments/post/{post.pk}/", typed)
    assert Comment.objects.latest("pk").status == Comment.Status.PENDING


def test_hold_all_holds_even_known_commenters(client, post, typed, site_settings):
    site_settings.comment_moderation = Moderation.HOLD_ALL
    site_settings.save()
    CommentFactory(author_email="ann@example.net")
    response = client.post(f"/comments/post/{post.pk}/", typed)
    assert "moderation-hash=" in response["Location"]
    assert Comment.objects.latest("pk").status_reason == "the site holds every comment"


def test_publish_all_publishes_first_time_commenters(client, post, typed, site_settings):
    site_settings.comment_moderation = Moderation.PUBLISH_ALL
    site_settings.save()
    response = client.post(f"/comments/post/{post.pk}/", typed)
    comment = Comment.objects.get()
    assert response["Location"] == f"/2024/05/knees/#comment-{comment.pk}"
    assert comment.status == Comment.Status.APPROVED


def test_an_author_of_the_post_is_published_even_when_all_are_held(
    client, post, typed, site_settings
):
    site_settings.comment_moderation = Moderation.HOLD_ALL
    site_settings.save()
    client.force_login(post.authors.get())
    client.post(f"/comments/post/{post.pk}/", typed)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.user == post.authors.get()
