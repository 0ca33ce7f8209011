"""Markdown to safe HTML, once, on save.

Posts, pages and bios use the full renderer: CommonMark plus tables, strikethrough,
footnotes and raw HTML, with the typographer on so that straight quotes become curly
and `--` an en dash as WordPress's wptexturize does; fenced code is coloured by Pygments.
Comments use a smaller renderer: no raw HTML (it shows as text), no images or headings,
links marked `nofollow ugc noopener`. Whatever either produces then goes through nh3,
so nothing a person or an import typed can carry a script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "picture", "pre", "q", "s", "samp", "section", "small", "source", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var",
}  # fmt: skip
POST_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "details": {"open"},
}
COMMENT_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "li", "ol", "p", "pre", "s", "strong", "ul",
}  # fmt: skip
COMMENT_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _highlight(code: str, lang: str, _attrs: object) -> str:
    """Colour a fenced block with Pygments classes; unknown languages stay plain."""
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang.strip().split()[0])
    except ClassNotFound:
        return ""
    formatter = HtmlFormatter(nowrap=True, classprefix="hl-")
    body = highlight(code, lexer, formatter)
    return f'<pre class="highlight"><code class="language-{html.escape(lang)}">{body}</code></pre>'


@cache
def _post_renderer() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": True, "typographer": True, "linkify": False, "highlight": _highlight},
    )
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    return md


@cache
def _comment_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["strikethrough", "replacements", "smartquotes"])
    md.disable(["image", "heading", "lheading", "hr", "html_block", "html_inline"])
    return md


# Steps that rewrite an author's HTML after it is sanitised; an app adds its own in its
# AppConfig.ready() (pressbox.media gives known images width, height and srcset). What a
# step returns is sanitised again, so no step can let a script through.
POST_HTML_STEPS: list[Callable[[str], str]] = []


def render_markdown(text: str) -> str:
    """Markdown written by an author (or imported) to sanitised HTML."""
    markup = _clean_post(_post_renderer().render(text or ""))
    for step in POST_HTML_STEPS:
        markup = _clean_post(step(markup))
    return markup


def render_html(markup: str) -> str:
    """HTML written elsewhere (an import) to sanitised HTML, through the same steps as
    Markdown's output."""
    markup = _clean_post(markup or "")
    for step in POST_HTML_STEPS:
        markup = _clean_post(step(markup))
    return markup


def _clean_post(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_comment(text: str) -> str:
    """A visitor's comment to sanitised HTML with a small Markdown subset."""
    raw = _comment_renderer().render(text or "")
    return nh3.clean(
        raw,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|pre|blockquote|table|thead|tbody|tfoot|tr"
    r"|td|th|figure|figcaption|section|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


def html_to_text(markup: str) -> str:
    """Visible text of trusted HTML, whitespace folded (for excerpts and search).

    Block tags separate words; inline tags (such as Pygments' spans inside one line of
    code) do not, so `squat(reps)` stays one word.
    """
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", markup))
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def excerpt_from_html(markup: str, words: int = 55) -> str:
    """WordPress's automatic excerpt: the first `words` words, then an ellipsis."""
    parts = html_to_text(markup).split(" ")
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:.") + "…"


# Headings that get an anchor and a place in the table of contents.
_HEADING_RE = re.compile(r"<h([2-4])((?:\s[^>]*)?)>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_ID_RE = re.compile(r'\sid="([^"]*)"')
# Ids the theme itself uses on a post page; a heading never takes one of them.
_RESERVED_IDS = re.compile(
    r"^(?:content|comments|respond|reply-title|commentform|toc-title|related-title|"
    r"(?:post|comment|div-comment)-\d+|comment-page-\d+)$"
)


def anchor_headings(markup: str) -> tuple[str, list[dict[str, object]]]:
    """Give every h2–h4 a stable id and list them for a table of contents.

    The id is the heading's text as a slug ("Why knees hurt" → `why-knees-hurt`), so a
    link to a section survives edits elsewhere in the post; a repeated heading gets
    `-2`, `-3`. An id the author wrote is kept. Runs on sanitised HTML (ids are
    allowed there) and returns `[{"level", "id", "title"}]` in document order.
    """
    taken = {found for found in _ID_RE.findall(markup)}
    toc: list[dict[str, object]] = []

    def anchor(match: re.Match[str]) -> str:
        level, attrs, inner = int(match[1]), match[2], match[3]
        title = html_to_text(inner)
        existing = _ID_RE.search(attrs)
        if existing:
            ident = html.unescape(existing[1])
        else:
            base = slugify(title, allow_unicode=True) or "section"
            if _RESERVED_IDS.match(base):
                base = f"{base}-section"
            ident, n = base, 1
            while ident in taken:
                n += 1
                ident = f"{base}-{n}"
            taken.add(ident)
            attrs = f' id="{html.escape(ident)}"{attrs}'
        if title:
            toc.append({"level": level, "id": ident, "title": title})
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return _HEADING_RE.sub(anchor, markup), toc
