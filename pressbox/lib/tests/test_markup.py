"""pressbox.lib.markup: authors' Markdown and visitors' comments to safe HTML."""

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressbox.lib.markup import excerpt_from_html, html_to_text, render_comment, render_markdown


def test_typographer_curls_apostrophes_and_makes_en_dashes():
    assert render_markdown("I didn't -- really") == "<p>I didn’t – really</p>\n"


def test_bulleted_and_numbered_lists_render():
    html = render_markdown("- Squats\n- Rows\n\n1. Warm up\n2. Lift\n")
    assert "<ul>\n<li>Squats</li>\n<li>Rows</li>\n</ul>" in html
    assert "<ol>\n<li>Warm up</li>\n<li>Lift</li>\n</ol>" in html


def test_python_fence_is_coloured_by_pygments():
    html = render_markdown("```python\ndef lift():\n    return 1\n```\n")
    assert html.startswith('<pre class="highlight"><code class="language-python">')
    assert '<span class="hl-k">def</span>' in html
    assert '<span class="hl-nf">lift</span>' in html


def test_fence_in_an_unknown_language_stays_plain_and_escaped():
    html = render_markdown("```klingon\n<b>qapla'</b>\n```\n")
    assert "&lt;b&gt;" in html
    assert "hl-" not in html


def test_post_keeps_safe_raw_html_but_strips_scripts_and_handlers():
    html = render_markdown(
        '<script>alert(1)</script><img src="/a.png" onerror="alert(2)" alt="A">'
        '<a href="javascript:alert(3)">x</a> <em>kept</em>'
    )
    assert "script" not in html
    assert "alert" not in html
    assert '<img src="/a.png" alt="A">' in html
    assert "<em>kept</em>" in html


def test_comment_shows_raw_html_as_text():
    html = render_comment("<b>bold?</b> <script>alert(1)</script>")
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html and "<script" not in html


def test_comment_links_are_marked_nofollow_ugc_noopener():
    html = render_comment("See [my log](https://runner.example/log).")
    assert '<a href="https://runner.example/log" rel="nofollow ugc noopener">my log</a>' in html


def test_comment_renders_no_images_or_headings():
    html = render_comment("![pic](https://x.example/p.png)\n\n# Shouting\n\nSetext\n===\n")
    assert "<img" not in html
    assert not re.search(r"<h\d", html)
    assert "# Shouting" in html


def test_comment_keeps_emphasis_lists_and_code():
    html = render_comment("*yes* and `code`\n\n- one\n- two\n")
    assert "<em>yes</em>" in html and "<code>code</code>" in html
    assert "<li>one</li>" in html


def test_excerpt_keeps_short_text_whole():
    assert excerpt_from_html("<p>Three short words</p>") == "Three short words"


def test_excerpt_cuts_at_55_words_with_an_ellipsis():
    words = [f"w{i}" for i in range(60)]
    excerpt = excerpt_from_html("<p>" + " ".join(words) + "</p>")
    assert excerpt == " ".join(words[:55]) + "…"


def test_html_to_text_folds_whitespace_and_unescapes():
    assert html_to_text("<p>Fish &amp; chips</p>\n<ul><li>one</li></ul>") == "Fish & chips one"


# Properties: whatever anyone types, the output carries no script.

DANGEROUS = [
    "<script>alert(1)</script>",
    "<script",
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "<a href='vbscript:msgbox(1)'>v</a>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "![img](data:text/html,x)",
    '<a href="java\tscript:alert(1)">t</a>',
    "<svg onload=alert(1)>",
    "<div onclick='x()'>",
    "<iframe src=javascript:alert(1)>",
    "&#106;avascript:alert(1)",
    "<a href='&#x6A;avascript:alert(1)'>e</a>",
    "<",
    ">",
    "`",
    "\n\n",
    "```",
    '"',
    "'",
]
hostile_text = st.lists(st.one_of(st.text(), st.sampled_from(DANGEROUS)), max_size=12).map("".join)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "poster", "xlink:href"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Elements(HTMLParser):
    """Every (tag, attributes) of a document, attribute values already unescaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_no_script(html: str) -> None:
    assert "<script" not in html.lower()
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag not in {"script", "iframe", "object", "embed", "svg", "style"}
        for name, value in attrs:
            assert not re.fullmatch(r"on\w+", name), (tag, name)
            if name in URL_ATTRIBUTES and value:
                # Browsers ignore whitespace and control characters inside a scheme.
                squashed = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not squashed.startswith(BAD_SCHEMES), (tag, name, value)
    assert not re.search(r"<[^>]*\son\w+\s*=", html, flags=re.IGNORECASE)


# No example database on disk, no deadline (the first render warms caches), and the
# autouse isolation fixture is harmless to share between examples.
fuzz = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@fuzz
@given(hostile_text)
def test_rendered_posts_never_carry_script(text):
    assert_no_script(render_markdown(text))


@fuzz
@given(hostile_text)
def test_rendered_comments_never_carry_script(text):
    html = render_comment(text)
    assert_no_script(html)
    assert "<img" not in html


def test_excerpt_of_highlighted_code_keeps_tokens_together():
    from pressbox.lib.markup import excerpt_from_html, render_markdown

    html = render_markdown("Intro.\n\n```python\ndef squat(reps: int = 5) -> str:\n    pass\n```\n")
    assert "def squat(reps: int = 5) -> str:" in excerpt_from_html(html)
    assert excerpt_from_html(html).startswith("Intro. def")
