"""The PostgreSQL backend's tiers of id buckets cover every post once, newest first."""

from hypothesis import given
from hypothesis import strategies as st

from pressbox.search.backends.postgres import LEVELS, _buckets, _tiers


def ids_of(lexeme):
    level, number = lexeme.lstrip("~").split(".")
    size = 1 << int(level)
    return range(int(number) * size, (int(number) + 1) * size)


@given(st.integers(min_value=0, max_value=3_000_000))
def test_tiers_cover_every_id_once_from_the_newest_down(newest):
    _, params = _tiers(newest, window=1000)
    lists = [params[n].split(" | ") for n in range(0, len(params), 2)]
    covered = [ids_of(lexeme.strip("'")) for tier in lists for lexeme in tier]
    seen = [i for block in covered for i in (block.start, block.stop)]
    blocks = sorted((b.start, b.stop) for b in covered)
    assert blocks[0][0] == 0
    assert blocks[-1][1] > newest
    assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:], strict=False))  # no gap
    assert len(seen) == 2 * len(covered)
    firsts = [min(ids_of(lexeme.strip("'")).start for lexeme in tier) for tier in lists]
    assert firsts == sorted(firsts, reverse=True)


def test_a_tier_uses_the_fewest_lexemes():
    small = 1 << LEVELS[0]
    assert _buckets(0, 63) == ["~16.0"]
    assert _buckets(4, 35) == ["~12.1", "~12.2", "~12.3", "~14.1", "~12.8"]
    assert _buckets(5, 5) == ["~10.5"]
    assert list(ids_of("~12.1")) == list(range(4 * small, 8 * small))


def test_tiers_double_in_length():
    _, params = _tiers((100 << LEVELS[0]) + 5, window=10)
    sizes = [sum(len(ids_of(lx.strip("'"))) for lx in params[n].split(" | ")) >> LEVELS[0]
             for n in range(0, len(params), 2)]  # fmt: skip
    assert sizes == [1, 1, 2, 4, 8, 16, 32, 37]
    assert params[1::2] == [11] * len(sizes)
