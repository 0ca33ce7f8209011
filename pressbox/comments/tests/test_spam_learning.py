"""End to end: moderators' Spam and Approve clicks in the queue teach the classifier,
which then files a similar comment as spam by itself."""

from django.test import Client

from pressbox.comments.models import Comment
from pressbox.comments.tests import spam_corpus


def post_as_visitor(post, row, typed, n):
    data = {**typed, "comment": row["body"], "name": row["name"], "email": f"v{n}@example.org"}
    response = Client().post(f"/comments/post/{post.pk}/", data, REMOTE_ADDR=f"198.51.100.{n}")
    assert response.status_code == 303
    return Comment.objects.latest("pk")


def test_spam_clicks_teach_the_classifier_to_catch_similar_spam(admin_user_client, post, typed):
    rows = spam_corpus.rows()
    spam = [r for r in rows if r["label"] == "spam"][:25]
    ham = [r for r in rows if r["label"] == "ham"][:25]
    for n, row in enumerate(spam + ham):
        comment = post_as_visitor(post, row, typed, n)
        assert comment.status == Comment.Status.PENDING  # first comments: held
        decision = "spam" if row in spam else "approved"
        admin_user_client.post(
            f"/admin/comments/comment/{comment.pk}/moderate/", {"status": decision}
        )
    again = post_as_visitor(post, {**spam[0], "name": "Someone Else"}, typed, 99)
    assert again.status == Comment.Status.SPAM
    assert again.status_reason.startswith("classifier: ") and again.spam_score >= 0.9
    assert Comment.objects.filter(trained_as="spam").count() == 25
