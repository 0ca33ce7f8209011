from django.template import Context, Template

from pressbox.lib.text import texturize


def test_apostrophes_in_names_become_curly():
    assert texturize("Umer's Fitness") == "Umer\u2019s Fitness"


def test_double_quotes_open_and_close():
    assert texturize('She said "go"') == "She said \u201cgo\u201d"


def test_spaced_double_hyphen_becomes_an_en_dash_and_triple_an_em_dash():
    assert texturize("stretch -- always") == "stretch \u2013 always"
    assert texturize("A---B") == "A\u2014B"


def test_hyphenated_words_and_urls_are_left_alone():
    assert texturize("co-author of x--y") == "co-author of x--y"


def test_filter_output_is_still_escaped():
    html = Template("{% load pressbox_tags %}{{ name|texturize }}").render(
        Context({"name": "<b>Bob's</b>"})
    )
    assert html == "&lt;b&gt;Bob\u2019s&lt;/b&gt;"
