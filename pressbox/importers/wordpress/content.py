"""WordPress post content as the HTML Pressbox stores, looking as it did on WordPress.

WordPress keeps a post's raw text and dresses it on every view: classic-editor text
gets paragraphs from line breaks (`wpautop`), shortcodes are expanded, a URL alone on
a line becomes an embed, and straight quotes turn curly (`wptexturize`). Block-editor
posts already hold their finished HTML between `<!-- wp:… -->` comments. Pressbox
renders once, on save, so the import does that dressing once here and stores the
result as HTML (`body_format="html"`); sanitising stays the model's job.

Shortcodes with a meaning outside WordPress become plain HTML: [caption] a <figure>
with its <figcaption>, [gallery] a grid of figures, [embed], [audio] and [video] a
link. Any other shortcode stays as the text it is, since only its plugin knew what
it meant.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pressbox.lib.markup import html_to_text

# Block-level elements, around which WordPress never adds paragraphs or line breaks.
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    "form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|"
    "article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_OPENING_BLOCK = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_CLOSING_BLOCK = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_ANY_BLOCK_TAG = rf"</?(?:{BLOCK_TAGS})(?:\s[^>]*)?/?>"
_BLOCK_TAG = re.compile(_ANY_BLOCK_TAG, re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_THEN_BREAK = re.compile(rf"({_ANY_BLOCK_TAG})\s*<br />", re.IGNORECASE)
_NO_BREAK_BEFORE = r"</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)(?:\s[^>]*)?>"
_BEFORE_NO_BREAK = re.compile(_NO_BREAK_BEFORE, re.IGNORECASE)
_BREAK_THEN_BLOCK = re.compile(rf"<br />(\s*{_NO_BREAK_BEFORE})", re.IGNORECASE)
# Left whole by wpautop: preformatted text, scripts, and figures (an image and its
# caption need no paragraphs; this also makes converting finished HTML again, as an
# export read back in, change nothing). Figures nest (a gallery's), so they are
# matched tag by tag.
_KEPT_AS_IS = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_FIGURE_TAG = re.compile(r"<(/?)figure\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_NEWLINE_IN_TAGS = "\ue000"  # a private-use stand-in while paragraphs are made

# A block delimiter, with the line break after it.
_BLOCK_COMMENT = re.compile(
    r"<!--\s*/?wp:[a-z0-9/_-]+(?:\s+(\{.*?\}))?\s*/?-->[ \t]*\n?", re.DOTALL
)
_REUSABLE_BLOCK = re.compile(r"<!--\s*wp:block\s+(\{.*?\})\s*/-->", re.DOTALL)
_URL_LINE = re.compile(r"^([ \t]*)(https?://[^\s<>\"']+)([ \t]*)$", re.MULTILINE)

# Shortcodes rendered here; the rest are left as text.
KNOWN_SHORTCODES = ("caption", "wp_caption", "gallery", "embed", "audio", "video")
_BLOCK_SHORTCODES = ("caption", "wp_caption", "gallery")
_SHORTCODE = re.compile(
    r"\[(?P<open>\[?)(?P<tag>" + "|".join(KNOWN_SHORTCODES) + r")(?![\w-])"
    r"(?P<attrs>[^\]]*?)(?P<selfclosing>/)?\]"
    r"(?:(?P<content>.*?)\[/(?P=tag)\])?(?P<close>\]?)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
_CAPTIONED_IMAGE = re.compile(
    r"\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class GalleryImage:
    """One picture a [gallery] shows: the image's address, a link to the full size."""

    id: str
    src: str
    full: str
    alt: str = ""
    caption: str = ""


GalleryLookup = Callable[[Sequence[str], str], list[GalleryImage]]
"""(attachment ids, or none for "this post's attachments"; the post's id) -> images."""


def convert(
    content: str,
    *,
    post_id: str = "",
    gallery: GalleryLookup | None = None,
    reusable: Callable[[str], str | None] | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> str:
    """WordPress's stored `content` as finished HTML.

    `reusable` returns a reusable block's content by id (blocks are inlined),
    `gallery` finds a gallery's images, `rewrite` changes URLs in the finished HTML
    (uploads to their imported copies, the old site's links to this one).
    """
    if reusable is not None:
        content = inline_reusable_blocks(content, reusable)
    if has_blocks(content):
        text = autolink_url_lines(strip_block_comments(content))
    else:
        text = wpautop(autolink_url_lines(content))
    text = expand_shortcodes(unautop_shortcodes(text), post_id=post_id, gallery=gallery)
    if rewrite is not None:
        text = rewrite(text)
    return texturize_html(text).strip()


def plain_text(text: str) -> str:
    """A title or excerpt as plain text: WordPress allows HTML and character
    references in them (a title "Tom &amp; Jerry" shows "Tom & Jerry"); Pressbox's
    are text, escaped when shown."""
    text = text.strip()
    return html_to_text(text) if "<" in text or "&" in text else text


def has_blocks(content: str) -> bool:
    return "<!-- wp:" in content


def strip_block_comments(content: str) -> str:
    """Block-editor markup without its block delimiters: the blocks' HTML is already
    what WordPress shows (dynamic blocks, which only PHP could draw, leave nothing)."""
    return _BLOCK_COMMENT.sub("", content).strip()


def inline_reusable_blocks(
    content: str, lookup: Callable[[str], str | None], within: frozenset[str] = frozenset()
) -> str:
    """`<!-- wp:block {"ref":12} /-->` replaced by that reusable block's own content
    (a block that includes itself, however indirectly, is left out the second time)."""

    def replace(match: re.Match[str]) -> str:
        try:
            ref = str(json.loads(match[1]).get("ref", ""))
        except (ValueError, AttributeError):
            return match[0]
        found = lookup(ref)
        if found is None or ref in within:
            return ""
        return inline_reusable_blocks(found, lookup, within | {ref})

    return _REUSABLE_BLOCK.sub(replace, content)


# Paragraphs -----------------------------------------------------------------------


def wpautop(text: str) -> str:
    """Classic-editor text with WordPress's implicit paragraphs: a blank line starts a
    new <p>, a single line break is a <br />; nothing is added around or inside block
    elements, nor inside <pre>, <script> and <style>."""
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f'<pre data-kept="{len(kept) - 1}"></pre>'

    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    text = _KEPT_AS_IS.sub(keep, text)
    text = _keep_figures(text, kept)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = _OPENING_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSING_BLOCK.sub(r"\1\n\n", text)
    text = re.sub(r"(<hr\s*/?>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = _TAG.sub(lambda m: m[0].replace("\n", _NEWLINE_IN_TAGS), text)
    text = re.sub(r"\n[ \t]+\n", "\n\n", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part]
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in paragraphs)
    text = _tidy_paragraphs(text)
    text = _line_breaks(text)
    text = text.replace(_NEWLINE_IN_TAGS, "\n")
    return re.sub(r'<pre data-kept="(\d+)"></pre>', lambda m: kept[int(m[1])], text).strip()


def _keep_figures(text: str, kept: list[str]) -> str:
    """Each outermost <figure>…</figure> set aside like <pre> (see _KEPT_AS_IS)."""
    out, depth, start, position = [], 0, 0, 0
    for tag in _FIGURE_TAG.finditer(text):
        if not tag[1]:
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append(text[position:start])
                kept.append(text[start : tag.end()])
                out.append(f'<pre data-kept="{len(kept) - 1}"></pre>')
                position = tag.end()
    out.append(text[position:])
    return "".join(out)


def _tidy_paragraphs(text: str) -> str:
    """Remove the paragraphs that wrap, or are cut by, block elements."""
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*({_ANY_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = re.sub(r"</blockquote></p>", "</p></blockquote>", text, flags=re.IGNORECASE)
    text = re.sub(rf"<p>\s*({_ANY_BLOCK_TAG})", r"\1", text, flags=re.IGNORECASE)
    return re.sub(rf"({_ANY_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)


def _line_breaks(text: str) -> str:
    """A single line break inside a paragraph is a <br />, except next to a block tag."""
    text = _BR.sub("<br />", text)
    lines = text.split("\n")
    out = []
    for line, following in zip(lines, lines[1:], strict=False):
        line = line.rstrip(" \t")
        if _no_break_after(line, following):
            out.append(line + "\n")
        else:
            out.append(line + "<br />\n")
    out.append(lines[-1])
    text = _BLOCK_THEN_BREAK.sub(r"\1", "".join(out))
    text = _BREAK_THEN_BLOCK.sub(r"\1", text)
    return text.replace("\n</p>", "</p>")


def _no_break_after(line: str, following: str) -> bool:
    """A line ending in <br /> or a block tag, or before one of the tags that end a
    paragraph, takes no <br />."""
    if line.endswith("<br />") or _BEFORE_NO_BREAK.match(following.lstrip(" \t")):
        return True
    return line.endswith(">") and bool(_BLOCK_TAG.fullmatch(line[line.rfind("<") :]))


# Shortcodes -----------------------------------------------------------------------


def unautop_shortcodes(text: str) -> str:
    """A [caption] or [gallery] alone in its paragraph loses the paragraph, since it
    becomes a <figure>."""

    def unwrap(match: re.Match[str]) -> str:
        inner = match[1].strip()
        found = _SHORTCODE.fullmatch(inner)
        if found and found["tag"] in _BLOCK_SHORTCODES and not found["open"]:
            return inner
        return match[0]

    return re.sub(r"<p>(\s*\[.*?\]\s*)</p>", unwrap, text, flags=re.DOTALL)


def shortcode_attributes(text: str) -> dict[str, str]:
    """`id="1" align=left "x"` -> {"id": "1", "align": "left", "0": "x"}."""
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text.replace("\u00a0", " ")):
        groups = match.groups()
        for name_at in (0, 2, 4):
            if groups[name_at]:
                found[groups[name_at].lower()] = html.unescape(groups[name_at + 1])
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            if value != "/":
                found[str(position)] = value
                position += 1
    return found


def expand_shortcodes(text: str, *, post_id: str = "", gallery: GalleryLookup | None = None) -> str:
    def expand(match: re.Match[str]) -> str:
        if match["open"] and match["close"]:  # [[caption]] is how WordPress writes [caption]
            return match[0][1:-1]
        attributes = shortcode_attributes(match["attrs"] or "")
        content = match["content"] or ""
        tag = match["tag"]
        if tag in ("caption", "wp_caption"):
            return _caption(attributes, content)
        if tag == "gallery":
            return _gallery(attributes, post_id, gallery)
        if tag == "embed":
            return _link(content.strip())
        return _media_link(attributes, content)

    return _SHORTCODE.sub(expand, text)


def _caption(attributes: dict[str, str], content: str) -> str:
    caption = attributes.get("caption", "")
    image = content.strip()
    if not caption:
        split = _CAPTIONED_IMAGE.match(content)
        if split:
            image, caption = split[1], split[2]
    caption = re.sub(r"^(?:\s|<br\s*/?>)+|(?:\s|<br\s*/?>)+$", "", caption)
    classes = " ".join(["wp-caption", attributes.get("align", ""), attributes.get("class", "")])
    ident = attributes.get("id", "")
    id_attribute = f' id="{html.escape(ident)}"' if ident else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure{id_attribute} class="{html.escape(" ".join(classes.split()))}">' \
        f"{image}{figcaption}</figure>"  # fmt: skip


def _gallery(attributes: dict[str, str], post_id: str, lookup: GalleryLookup | None) -> str:
    ids = re.findall(r"\d+", attributes.get("ids", "") or attributes.get("include", ""))
    images = lookup(ids, post_id) if lookup is not None else []
    exclude = set(re.findall(r"\d+", attributes.get("exclude", "")))
    if exclude and not ids:
        images = [image for image in images if image.id not in exclude]
    if not images:
        return ""
    try:
        columns = max(1, min(9, int(attributes.get("columns", "3"))))
    except ValueError:
        columns = 3
    linked = attributes.get("link", "") != "none"
    items = []
    for image in images:
        img = f'<img src="{html.escape(image.src)}" alt="{html.escape(image.alt)}" loading="lazy">'
        if linked:
            img = f'<a href="{html.escape(image.full)}">{img}</a>'
        caption = f"<figcaption>{html.escape(image.caption)}</figcaption>" if image.caption else ""
        items.append(f'<figure class="gallery-item">{img}{caption}</figure>')
    return f'<figure class="gallery gallery-columns-{columns}">{"".join(items)}</figure>'


def _link(url: str) -> str:
    url = html.unescape(url)
    if not re.match(r"https?://", url):
        return html.escape(url, quote=False)
    return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'


def _media_link(attributes: dict[str, str], content: str) -> str:
    """[audio]/[video]: a link to the file, which the reader's browser can play."""
    for name in ("src", "mp3", "m4a", "ogg", "wav", "mp4", "m4v", "webm", "ogv", "flv", "0"):
        if re.match(r"https?://", attributes.get(name, "")):
            return _link(attributes[name])
    return _link(content.strip()) if content.strip() else ""


def autolink_url_lines(text: str) -> str:
    """A URL alone on its line (WordPress would try to embed it) becomes a link; not
    inside a tag or preformatted text."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\ue001{len(kept) - 1}\ue001"

    masked = re.sub(r"<pre\b.*?</pre>|<[^>]*>", keep, text, flags=re.IGNORECASE | re.DOTALL)
    linked = _URL_LINE.sub(lambda m: m[1] + _link(m[2]) + m[3], masked)
    return re.sub("\ue001(\\d+)\ue001", lambda m: kept[int(m[1])], linked)


# Typography -----------------------------------------------------------------------

_UNTOUCHED = re.compile(
    r"<(pre|code|kbd|samp|script|style|tt|var|textarea)\b[^>]*>.*?</\1\s*>"
    r"|<!--.*?-->|<[^>]*>"
    r"|\[/?[a-zA-Z][\w-]*(?:\s[^\[\]]*)?\]",  # a shortcode left as text stays as typed
    re.IGNORECASE | re.DOTALL,
)
_MASK = "\ue002"  # stands for a tag: neither a letter nor punctuation to the rules
_MASKED = re.compile(_MASK + r"(\d+)" + _MASK)


def texturize_html(text: str) -> str:
    """Curly quotes, dashes and ellipses in the text of `text`, never in tags,
    attributes, comments, code or shortcodes."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"{_MASK}{len(kept) - 1}{_MASK}"

    curled = fast_texturize(_UNTOUCHED.sub(keep, text))
    return _MASKED.sub(lambda m: kept[int(m[1])], curled)


_QUOTE = re.compile("['\"]")
_EN_DASH = re.compile(r"(\s)--(?=\s)")
_CLOSES_AFTER = ".,!?)]"  # after these (or a letter), a quote closes


def fast_texturize(text: str) -> str:
    """`pressbox.lib.text.texturize`, rule for rule, in one pass over the quotes: the
    same result, several times faster on a long post (its look-behind patterns try
    every character of the text)."""

    def quote(match: re.Match[str]) -> str:
        at = match.start()
        before = text[at - 1] if at else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        closes = before.isalnum() or before == "_" or (before != "" and before in _CLOSES_AFTER)
        if match[0] == "'":
            if (before.isalnum() or before == "_") and (after.isalnum() or after == "_"):
                return "\u2019"
            return "\u2019" if closes else "\u2018"
        return "\u201d" if closes else "\u201c"

    if "'" in text or '"' in text:
        text = _QUOTE.sub(quote, text)
    if "--" in text:
        text = _EN_DASH.sub("\\1\u2013", text.replace("---", "\u2014"))
    return text.replace("...", "\u2026")
