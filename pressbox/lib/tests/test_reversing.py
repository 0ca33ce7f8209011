"""Remembered reverse() and the theme's `{% url %}` (pressbox/lib/reversing.py)."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from pressbox.lib.reversing import reverse_cached


@pytest.fixture
def prefix():
    yield set_script_prefix
    set_script_prefix("/")


def test_answers_are_reverses_and_follow_the_script_prefix(prefix):
    assert reverse_cached("posts:tag", slug="squat") == reverse(
        "posts:tag", kwargs={"slug": "squat"}
    )
    prefix("/blog/")  # a static export under a base path
    assert reverse_cached("posts:tag", slug="squat") == "/blog/tag/squat/"
    prefix("/")
    assert reverse_cached("posts:tag", slug="squat") == "/tag/squat/"


def test_the_url_tag_reverses_escapes_and_assigns(prefix):
    template = Template(
        "{% url 'posts:tag' slug=slug %}|{% url 'posts:home' as home %}{{ home }}"
        "|{% url 'posts:nothing' as missing %}[{{ missing }}]"
    )
    assert template.render(Context({"slug": "a&b"})) == "/tag/a&amp;b/|/|[]"
    prefix("/blog/")
    assert template.render(Context({"slug": "x"})) == "/blog/tag/x/|/blog/|[]"


def test_an_unknown_name_still_fails_loudly():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'posts:nothing' %}").render(Context())
