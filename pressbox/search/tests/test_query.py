"""What a reader types becomes words, phrases and prefixes; nothing else gets through."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressbox.search.backends.postgres import tsquery
from pressbox.search.backends.sqlite import match_expression
from pressbox.search.query import MAX_LENGTH, MAX_TERMS, Term, parse

WORD = re.compile(r"^[^\W_]+$")


def terms(text):
    return parse(text).terms


def test_words_are_lowercased_terms_that_must_all_match():
    assert terms("Squat DEPTH") == (Term(("squat",)), Term(("depth",)))


def test_a_quoted_phrase_is_one_term_in_order():
    assert terms('"Romanian deadlift" form') == (
        Term(("romanian", "deadlift")),
        Term(("form",)),
    )


def test_curly_quotes_make_a_phrase_too():
    assert terms("“front squat”") == (Term(("front", "squat")),)


def test_an_unclosed_quote_runs_to_the_end():
    assert terms('knee "front squat') == (Term(("knee",)), Term(("front", "squat")))


def test_a_trailing_star_makes_a_prefix():
    assert terms("deadl* mobility") == (Term(("deadl",), prefix=True), Term(("mobility",)))


def test_a_one_letter_prefix_is_a_plain_word():
    assert terms("x* y*") == (Term(("x",)), Term(("y",)))


def test_a_star_alone_or_inside_a_word_is_no_prefix():
    assert terms("* foo*bar") == (Term(("foo", "bar"), joined="foo*bar"),)


def test_words_joined_inside_a_word_stay_together_as_a_phrase():
    assert terms("Squat/Deadlift o'brien 5.5") == (
        Term(("squat", "deadlift"), joined="squat/deadlift"),
        Term(("o", "brien"), joined="o'brien"),
        Term(("5", "5"), joined="5.5"),
    )


def test_brackets_colons_and_commas_separate_words():
    assert terms("(squat),depth:knee") == (Term(("squat",)), Term(("depth",)), Term(("knee",)))


def test_stop_words_alone_are_dropped_but_kept_inside_phrases():
    assert terms("how to squat") == (Term(("squat",)),)
    assert terms('"how to squat"') == (Term(("how", "to", "squat")),)
    assert terms("the") == ()


@pytest.mark.parametrize(
    "text",
    [
        "squat AND depth",
        "squat OR depth",
        "NOT depth squat",
        "NEAR(squat depth)",
        "title:squat ^depth",
        "{title body}: squat",
        "squat + depth - (knees)",
    ],
)
def test_operators_of_either_database_are_plain_words(text):
    found = terms(text)
    assert all(WORD.match(word) for term in found for word in term.words)
    assert Term(("squat",)) in found


def test_repeated_terms_count_once():
    assert terms("squat Squat SQUAT") == (Term(("squat",)),)


def test_control_characters_are_dropped_and_spaces_folded():
    query = parse("  squat\x00\x07 \u200b\t depth\n")
    assert query.text == "squat depth"
    assert query.terms == (Term(("squat",)), Term(("depth",)))


def test_long_input_is_cut_to_the_length_and_term_limits():
    query = parse(" ".join(f"word{n}" for n in range(1000)))
    assert len(query.text) <= MAX_LENGTH
    assert len(query.terms) == MAX_TERMS


def test_non_ascii_words_are_words():
    assert terms("Übungen straße 筋トレ") == (
        Term(("übungen",)),
        Term(("straße",)),
        Term(("筋トレ",)),
    )


def test_emoji_and_symbols_are_separators():
    assert terms("💪 squat 🏋️‍♀️!!") == (Term(("squat",)),)


def test_backend_expressions_quote_every_word():
    query = parse('deadl* "front squat" knee o\'brien')
    assert match_expression(query) == '"deadl" * "front squat" "knee" "o brien"'
    assert tsquery(query) == "('deadl':*) & ('front' <-> 'squat') & ('knee') & 'o''brien'"


@given(st.text(max_size=400))
def test_any_text_parses_to_letters_and_digits_only(text):
    query = parse(text)
    assert len(query.text) <= MAX_LENGTH
    assert len(query.terms) <= MAX_TERMS
    for term in query.terms:
        assert term.words
        assert all(WORD.match(word) for word in term.words)
    # Nothing of the database syntax can come from the text itself.
    assert '"' not in "".join(w for t in query.terms for w in t.words)
    assert "'" not in "".join(w for t in query.terms for w in t.words)
