"""Moderation: the spam checks, then the policy (SiteSettings.comment_moderation)."""

from django.core.checks import run_checks as run_system_checks

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.comments.moderation import evaluate
from pressbox.comments.spam import Verdict
from pressbox.comments.tests import spam_corpus
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


# The spam checks before the policy (moderation.evaluate) ------------------------------


def hold_everything(comment, *, form_data, site):
    return Verdict(Comment.Status.PENDING, "held by a plugged-in check")


def broken_check(comment, *, form_data, site):
    raise RuntimeError("boom")


def long_note(comment, *, form_data, site):
    return Verdict(None, "n" * 150)


def test_spam_wins_over_hold_and_every_reason_is_kept(post, site_settings):
    site_settings.disallowed_keys = "casino"
    body = "casino https://a.example https://b.example https://c.example"
    comment = CommentFactory.build(post=post, body=body)
    decision = evaluate(comment, form_data={"url_confirm": "x"}, site=site_settings)
    assert decision.status == Comment.Status.SPAM
    assert decision.reason == (
        "filled the hidden honeypot field; contains the disallowed key “casino”; "
        "has 3 links (more than 2)"
    )


def test_a_hold_is_joined_by_the_classifiers_score(post, site_settings):
    spam_corpus.teach_split(post)
    body = "Great squat tips! " + " ".join(f"https://{n}.example" for n in "abcde")
    comment = CommentFactory.build(post=post, author_name="Ann", author_email="ann@example.net",
                                   body=body)  # fmt: skip
    decision = evaluate(comment, form_data={}, site=site_settings)
    assert decision.status == Comment.Status.PENDING
    score = f"{decision.spam_score:.0%}"
    assert decision.reason == f"has 5 links (more than 2); classifier: {score} spam"


def test_when_no_check_decides_the_policy_does_and_keeps_the_score(post, site_settings):
    spam_corpus.teach_split(post)
    CommentFactory(post=post, author_email="ann@example.net")
    comment = CommentFactory.build(post=post, author_name="Ann", author_email="ann@example.net",
                                   body="Thanks!")  # fmt: skip
    decision = evaluate(comment, form_data={}, site=site_settings)
    assert decision.status == Comment.Status.APPROVED
    assert decision.reason.startswith("the commenter has an approved comment; classifier: ")
    assert decision.spam_score < 0.5


def test_a_co_author_of_the_post_skips_the_checks(client, post, typed):
    client.force_login(post.authors.get())
    client.post(f"/comments/post/{post.pk}/", {**typed, "url_confirm": "x"})
    comment = Comment.objects.get()
    assert (comment.status, comment.status_reason) == (
        Comment.Status.APPROVED,
        "written by an author of the post",
    )


def test_the_checks_are_the_ones_the_setting_lists(client, post, typed, settings):
    settings.PRESSBOX_SPAM_CHECKS = [f"{__name__}.hold_everything"]
    CommentFactory(author_email="ann@example.net")  # known: the policy would approve
    client.post(f"/comments/post/{post.pk}/", {**typed, "url_confirm": "x"})  # no honeypot now
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.PENDING
    assert comment.status_reason == "held by a plugged-in check"


def test_a_check_that_cannot_be_imported_stops_start_up_with_a_sentence(settings):
    settings.PRESSBOX_SPAM_CHECKS = ["pressbox.comments.spam.honeypot.check", "nowhere.check"]
    errors = run_system_checks()
    assert [e.id for e in errors if e.id.startswith("pressbox.comments")] == [
        "pressbox.comments.E001"
    ]
    assert "PRESSBOX_SPAM_CHECKS lists 'nowhere.check', which cannot be imported" in str(errors)


def test_a_failing_check_is_logged_and_skipped(post, site_settings, settings, caplog):
    settings.PRESSBOX_SPAM_CHECKS = [
        f"{__name__}.broken_check",
        "pressbox.comments.spam.honeypot.check",
    ]
    decision = evaluate(CommentFactory.build(post=post), form_data={"url_confirm": "x"},
                        site=site_settings)  # fmt: skip
    assert decision.status == Comment.Status.SPAM
    assert f"Spam check {__name__}.broken_check failed" in caplog.text


def test_reasons_are_cut_to_fit_the_column(post, site_settings, settings):
    settings.PRESSBOX_SPAM_CHECKS = [f"{__name__}.long_note", f"{__name__}.long_note"]
    decision = evaluate(CommentFactory.build(post=post), form_data={}, site=site_settings)
    assert len(decision.reason) == 200
    assert decision.reason.startswith("first comment from this address; nnn")
    assert decision.reason.endswith("n…")
