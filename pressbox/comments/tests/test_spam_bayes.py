"""spam/bayes.py: tokens, scoring, and learning that survives re-labelling and
concurrent processes."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment, SpamFilterState, SpamToken
from pressbox.comments.spam import bayes
from pressbox.comments.tests import spam_corpus

Status = Comment.Status


def counts(token):
    row = SpamToken.objects.filter(token=token).first()
    return (row.spam_count, row.ham_count) if row else None


def learnt():
    state = bayes.state()
    return state.spam_documents, state.ham_documents


def test_tokens_are_words_domains_and_facts_about_the_comment(post):
    comment = CommentFactory.build(
        post=post,
        author_name="Cheap Pills",
        author_email="Bob123@Mail.Example",
        author_url="https://www.shop.example/",
        body="Buy PILLS now: <a href='https://pills.example/x'>here</a> https://pills.example",
    )
    found = bayes.tokens(comment)
    assert {"buy", "pills", "now", "here"} <= found
    assert {"url:pills.example", "url:tld:example", "site:shop.example"} <= found
    assert {"has:url", "has:html", "has:website", "links:2"} <= found
    assert {"name:cheap", "name:pills", "name:words:2", "email:mail.example", "email:digits"} <= (
        found
    )
    assert "a" not in found and "href" not in found


def test_combining_agreeing_clues_is_decisive_and_no_clues_is_neutral():
    assert bayes.combine([]) == 0.5
    assert bayes.combine([0.99] * 5) > 0.99
    assert bayes.combine([0.01] * 5) < 0.01
    assert 0.3 < bayes.combine([0.99, 0.01]) < 0.7


def test_the_classifier_says_nothing_until_it_has_learnt_ten_of_each(post, site_settings):
    rows = spam_corpus.rows()
    spam = [r for r in rows if r["label"] == "spam"]
    ham = [r for r in rows if r["label"] == "ham"]
    spam_corpus.teach(post, spam[:9] + ham[:10])
    comment = spam_corpus.comment(post, spam[20])
    assert bayes.check(comment, form_data={}, site=site_settings) is None
    spam_corpus.teach(post, spam[9:10])
    verdict = bayes.check(comment, form_data={}, site=site_settings)
    assert verdict.score is not None
    assert verdict.reason == f"classifier: {verdict.score:.0%} spam"


def test_a_spammy_comment_is_spam_and_a_good_one_only_gets_a_score(post, site_settings):
    held_out = spam_corpus.teach_split(post)
    spam = next(r for r in held_out if r["label"] == "spam")
    ham = next(r for r in held_out if r["label"] == "ham")
    verdict = bayes.check(spam_corpus.comment(post, spam), form_data={}, site=site_settings)
    assert verdict.status == Status.SPAM and verdict.score >= 0.9
    verdict = bayes.check(spam_corpus.comment(post, ham), form_data={}, site=site_settings)
    assert verdict.status is None and verdict.score < 0.5


def test_training_counts_each_token_once_per_comment(post):
    bayes.train(CommentFactory(post=post, body="buy buy buy"), as_spam=True)
    bayes.train(CommentFactory(post=post, body="buy now"), as_spam=True)
    assert counts("buy") == (2, 0)
    assert learnt() == (2, 0)


def test_relabelling_unlearns_the_old_label_first(post):
    comment = CommentFactory(post=post, body="protein oats")
    assert bayes.train(comment, as_spam=True)
    assert bayes.train(comment, as_spam=False)
    assert not bayes.train(comment, as_spam=False)  # already learnt so: nothing changes
    assert counts("protein") == (0, 1)
    assert learnt() == (0, 1)
    assert Comment.objects.get(pk=comment.pk).trained_as == "ham"


def test_relabelling_reads_what_was_learnt_from_the_database_not_a_stale_copy(post):
    comment = CommentFactory(post=post, body="lentils")
    stale = Comment.objects.get(pk=comment.pk)
    bayes.train(comment, as_spam=True)
    bayes.train(stale, as_spam=False)  # stale.trained_as is still ""
    assert counts("lentils") == (0, 1)
    assert learnt() == (0, 1)


def test_untrain_forgets_and_counts_never_go_below_zero(post):
    comment = CommentFactory(post=post, body="squats")
    bayes.train(comment, as_spam=True)
    SpamToken.objects.filter(token="squats").update(spam_count=0)  # as if lost
    assert bayes.untrain(comment)
    assert counts("squats") == (0, 0)
    assert learnt() == (0, 0)
    assert Comment.objects.get(pk=comment.pk).trained_as == ""


def test_counts_are_added_by_the_database_so_concurrent_learners_lose_nothing(post):
    # Another process learnt "squats" five times after this one would have read it.
    SpamToken.objects.create(token="squats", spam_count=5)
    SpamFilterState.objects.create(pk=bayes.STATE_PK, spam_documents=5)
    with CaptureQueriesContext(connection) as queries:
        bayes.train(CommentFactory(post=post, body="squats"), as_spam=True)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert any('"spam_count" = ("comments_spamtoken"."spam_count" + ' in sql for sql in updates)
    assert any('"spam_documents" = ("comments_spamfilterstate"."spam_documents" + ' in sql
               for sql in updates)  # fmt: skip
    assert counts("squats") == (6, 0)
    assert learnt() == (6, 0)


def test_train_many_learns_spam_and_approved_comments_in_few_queries(
    post, django_assert_max_num_queries
):
    rows = spam_corpus.rows()[:120]
    stored = Comment.objects.bulk_create(spam_corpus.comment(post, row) for row in rows)
    stored.append(CommentFactory(post=post, status=Status.PENDING, body="held"))
    with django_assert_max_num_queries(25):
        assert bayes.train_many(stored) == 120
    spam = sum(r["label"] == "spam" for r in rows)
    assert learnt() == (spam, 120 - spam)
    assert counts("held") is None
    assert set(Comment.objects.values_list("trained_as", flat=True)) == {"spam", "ham", ""}


def at_once(function, items):
    """Call `function(item)` for every item in its own thread, all released together;
    return the exceptions raised."""
    start, failures = threading.Barrier(len(items)), []

    def run(item):
        try:
            start.wait()
            function(item)
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.django_db(transaction=True)
def test_eight_learners_at_once_lose_no_count_and_do_not_deadlock(post):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; PostgreSQL shows the race")
    comments = [CommentFactory(post=post, body=f"squats lunges word{n}") for n in range(8)]
    failures = at_once(lambda c: bayes.train(c, as_spam=c.pk % 2 == 0), comments)
    assert failures == []
    assert counts("squats") == (4, 4)
    assert learnt() == (4, 4)
