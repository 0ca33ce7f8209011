"""search(): relevance, stemming, phrases, prefixes, snippets and what is never found."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.search import backends, search


def titles(results):
    found = Post.objects.in_bulk([hit.post_id for hit in results.hits])
    return [found[hit.post_id].title for hit in results.hits]


def test_a_title_match_ranks_above_a_body_match(db):
    PostFactory(title="Rowing form", body="Squat before you row, every session.")
    PostFactory(title="Squat depth", body="Hips below the knees.")
    assert titles(search("squat")) == ["Squat depth", "Rowing form"]


def test_words_are_stemmed(db):
    PostFactory(title="Leg day", body="We squat, then we run.")
    assert titles(search("squats")) == ["Leg day"]
    assert titles(search("running")) == ["Leg day"]


def test_every_word_must_match(db):
    PostFactory(title="Knee pain", body="Rest it.")
    PostFactory(title="Knee sleeves", body="They keep it warm.")
    assert titles(search("knee pain")) == ["Knee pain"]


def test_a_phrase_needs_its_words_together_and_in_order(db):
    PostFactory(title="Hinges", body="The Romanian deadlift, done slowly.")
    PostFactory(title="Travel", body="A deadlift in a Romanian gym.")
    assert titles(search('"romanian deadlift"')) == ["Hinges"]


def test_words_typed_joined_find_the_same_text(db):
    post = PostFactory(title="Supersets", body="A squat/deadlift pair at 5.5 kg, then e-mail me.")
    for text in ["squat/deadlift", "5.5", "e-mail"]:
        assert [hit.post_id for hit in search(text).hits] == [post.pk], text


def test_a_prefix_finds_longer_words(db):
    PostFactory(title="Pulling", body="Deadlifts and rows.")
    PostFactory(title="Pressing", body="Overhead work.")
    assert titles(search("deadl*")) == ["Pulling"]
    assert titles(search("deadl")) == []


def test_markdown_syntax_and_html_tags_are_not_indexed(db):
    PostFactory(title="Links", body="Read [the guide](https://example.com/strongtown) **now**.")
    assert titles(search("guide")) == ["Links"]
    assert titles(search("strongtown")) == []
    assert titles(search("href")) == []


def test_snippets_mark_the_matches(db):
    PostFactory(title="Depth", body="Sit back. Squat below parallel when your hips allow it.")
    (hit,) = search("squats").hits
    assert "<mark>Squat</mark> below parallel" in hit.snippet


def test_snippets_escape_the_text_around_the_marks(db):
    PostFactory(title="Code", body="Type `<script>alert(1)</script>` and squat & rest.")
    (hit,) = search("squat").hits
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>squat</mark> &amp; rest" in hit.snippet


@pytest.mark.parametrize("status", [Post.Status.DRAFT, Post.Status.PENDING, Post.Status.PRIVATE])
def test_posts_readers_cannot_see_are_never_found(db, status):
    PostFactory(title="Secret squat plan", body="Squat.", status=status)
    assert search("squat").total == 0


def test_a_scheduled_post_is_found_once_its_time_comes(db):
    when = timezone.now() + timedelta(days=2)
    PostFactory(title="Squat week", body="Soon.", published_at=when)
    assert search("squat").total == 0
    with time_machine.travel(when + timedelta(minutes=1)):
        assert titles(search("squat")) == ["Squat week"]


def test_offset_and_limit_page_through_the_ranking(db):
    for n in range(5):
        PostFactory(title=f"Squat {'squat ' * n}log", body="Squat.")
    first, second = search("squat", limit=2), search("squat", offset=2, limit=2)
    assert first.total == second.total == 5
    assert len(first.hits) == len(second.hits) == 2
    assert not {h.post_id for h in first.hits} & {h.post_id for h in second.hits}
    assert first.hits[0].rank >= first.hits[1].rank >= second.hits[0].rank


def test_past_the_window_the_newest_matches_are_ranked(db, monkeypatch):
    monkeypatch.setattr(backends, "WINDOW", 3)
    monkeypatch.setattr("pressbox.search.backends.sqlite.WINDOW", 3, raising=False)
    old = PostFactory(title="Squat squat squat", body="Squat.")
    newer = [PostFactory(title=f"Notes {n}", body="A squat.") for n in range(4)]
    results = search("squat")
    assert results.more
    assert results.total == 3
    assert old.pk not in {hit.post_id for hit in results.hits}
    assert {hit.post_id for hit in results.hits} <= {post.pk for post in newer}


def test_nothing_to_search_for_asks_the_database_nothing(db, django_assert_num_queries):
    PostFactory(title="Squat", body="Squat.")
    with django_assert_num_queries(0):
        for text in ["", "   ", "*", '""', "the and of", "💪", "\x00"]:
            assert search(text).total == 0


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_searches_without_error(db, text):
    results = search(text)
    assert results.total >= len(results.hits)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(['"', "*", "(", ")", ":", "^", "-", "'", "NEAR", "AND", "OR", "NOT",
                         "squat", "the", "a", "&", "|", "!", "<->", "\\", "{", "}", " "]),
        max_size=25,
    ).map("".join)
)  # fmt: skip
def test_operator_soup_searches_without_error(db, text):
    PostFactory(title="Squat", body="Squat or not.")
    results = search(text)
    assert results.total >= len(results.hits)


def test_a_prefix_survives_odd_words_in_posts(db):
    post = PostFactory(
        title="Paths",
        body="See C:\\deadlift\\plan.txt, /srv/deadl'o/x and http://deadlift.example/a'b?c=1.",
    )
    assert [hit.post_id for hit in search("deadl*").hits] == [post.pk]
    assert [hit.post_id for hit in search("pla* see").hits] == [post.pk]
