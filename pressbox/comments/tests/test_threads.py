"""pressbox.comments.threads.build_threads: a flat list to nested threads, no queries."""

from datetime import UTC, datetime, timedelta

from pressbox.comments.models import Comment
from pressbox.comments.threads import build_threads

T0 = datetime(2024, 5, 14, tzinfo=UTC)


def comment(pk, parent=None, minutes=None):
    minutes = pk if minutes is None else minutes
    return Comment(pk=pk, parent_id=parent, created_at=T0 + timedelta(minutes=minutes))


def shape(nodes):
    return [(n.comment.pk, n.depth, shape(n.children)) for n in nodes]


def test_replies_nest_under_their_parents_oldest_first():
    threads = build_threads([comment(3, parent=1), comment(1), comment(2), comment(4, parent=3)])
    assert shape(threads) == [(1, 1, [(3, 2, [(4, 3, [])])]), (2, 1, [])]


def test_replies_past_max_depth_attach_at_the_deepest_level():
    chain = [comment(1), comment(2, 1), comment(3, 2), comment(4, 3), comment(5, 4)]
    threads = build_threads(chain, max_depth=3)
    assert shape(threads) == [(1, 1, [(2, 2, [(3, 3, []), (4, 3, []), (5, 3, [])])])]


def test_depth_one_means_a_flat_list():
    threads = build_threads([comment(1), comment(2, 1), comment(3, 2)], max_depth=1)
    assert shape(threads) == [(1, 1, []), (2, 1, []), (3, 1, [])]


def test_depth_below_one_is_treated_as_one():
    assert shape(build_threads([comment(1), comment(2, 1)], max_depth=0)) == [
        (1, 1, []),
        (2, 1, []),
    ]


def test_reply_to_a_hidden_comment_is_shown_at_the_top_level():
    assert shape(build_threads([comment(2, parent=1)])) == [(2, 1, [])]


def test_same_time_comments_keep_id_order():
    threads = build_threads([comment(2, minutes=0), comment(1, minutes=0)])
    assert [n.comment.pk for n in threads] == [1, 2]


def test_empty_list_gives_no_threads():
    assert build_threads([]) == []
