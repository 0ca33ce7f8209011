"""A WordPress comment's HTML as the Markdown a Pressbox comment is written in.

WordPress stores comments as the little HTML commenters may type (links, bold,
italics, code, quotes, lists) and dresses them when shown: a blank line makes a
paragraph, a single line break a <br>, a bare URL a link. A Pressbox comment is
Markdown rendered once on save (`pressbox.lib.markup.render_comment`), so an imported
comment is rewritten here into the Markdown that renders as it looked: tags become
their Markdown, line breaks become hard breaks, bare URLs autolinks, and every other
character that Markdown would read as markup is escaped, so `\\o/ ¯\\_(ツ)_/¯` shows
exactly so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"br", "img", "hr", "wbr", "input", "meta", "link", "source", "area", "col"}
_DROPPED = {"script", "style", "head", "title", "template"}
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "figure", "figcaption", "center",
    "address", "blockquote", "ul", "ol", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "table", "tr", "dl", "dt", "dd",
}  # fmt: skip
_ESCAPED = re.compile(r"([\\`*_\[\]<>~&])")
_URL = re.compile(r"https?://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}]")
_BREAK = "\x01"  # a <br>, until paragraphs are cut


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the comment's tags (unclosed tags close at the end)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def comment_markdown(markup: str) -> str:
    """WordPress comment HTML -> Markdown that `render_comment` shows the same way."""
    if "<" not in markup and "&" not in markup:  # plain text, as most comments are
        text = markup.replace("\r\n", "\n").replace("\r", "\n")
        return "\n\n".join(_paragraphs(_text(text)))
    builder = _TreeBuilder()
    builder.feed(markup.replace("\r\n", "\n").replace("\r", "\n"))
    builder.close()
    return "\n\n".join(block for block in _blocks(builder.root.children) if block.strip())


def _blocks(children: list[Node | str]) -> list[str]:
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        out.extend(_paragraphs("".join(pending)))
        pending.clear()

    for child in children:
        if isinstance(child, str):
            pending.append(_text(child))
        elif child.tag in _DROPPED:
            continue
        elif child.tag in _BLOCKS:
            flush()
            out.extend(_block(child))
        else:
            pending.append(_inline(child))
    flush()
    return out


def _paragraphs(text: str) -> list[str]:
    """Blank lines cut paragraphs; a single line break (or a <br>) is a hard break."""
    text = re.sub(_BREAK + r"[ \t]*\n?", "\n", text)
    paragraphs = []
    for part in re.split(r"\n[ \t]*\n", text):
        lines = [_line_start(re.sub(r"[ \t]+", " ", line).strip()) for line in part.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\\\n".join(lines))
    return paragraphs


def _line_start(line: str) -> str:
    """Escape what Markdown would read as a list item or heading at a line's start."""
    if re.match(r"[-+#=](\s|$)|#", line):
        return "\\" + line
    numbered = re.match(r"(\d{1,9})([.)])(\s|$)", line)
    if numbered:
        return f"{numbered[1]}\\{line[len(numbered[1]) :]}"
    return line


def _block(node: Node) -> list[str]:
    tag = node.tag
    if tag == "hr":
        return []
    if tag == "pre":
        code = _plain(node).strip("\n")
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return [f"{fence}\n{code}\n{fence}"]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(node.children))
        return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
    if tag in ("ul", "ol"):
        return [_list(node)] if any(isinstance(c, Node) for c in node.children) else []
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        inner = _inline_children(node).strip()
        return [f"**{inner}**"] if inner else []
    return _blocks(node.children)


def _list(node: Node) -> str:
    items = []
    number = _int(node.attrs.get("start", "1"), 1)
    for child in node.children:
        if not isinstance(child, Node) or child.tag != "li":
            continue
        marker = f"{number}. " if node.tag == "ol" else "- "
        number += 1
        body = "\n\n".join(_blocks(child.children)) or "\u200b"
        lines = body.split("\n")
        indent = " " * len(marker)
        items.append(
            marker + "\n".join([lines[0], *(indent + ln if ln else ln for ln in lines[1:])])
        )
    return "\n".join(items)


def _inline(node: Node, *, in_link: bool = False) -> str:
    tag = node.tag
    if tag in _DROPPED:
        return ""
    if tag == "br":
        return _BREAK
    if tag == "img":
        return _text(node.attrs.get("alt", ""), autolink=False)
    if tag in ("code", "tt", "kbd", "samp"):
        return _code_span(_plain(node))
    inner = _inline_children(node, in_link=in_link or tag == "a")
    if tag == "a":
        return _link(node.attrs.get("href", ""), inner, in_link=in_link)
    if tag in ("strong", "b"):
        return _wrap(inner, "**")
    if tag in ("em", "i", "cite"):
        return _wrap(inner, "*")
    if tag in ("del", "s", "strike"):
        return _wrap(inner, "~~")
    if tag == "q":
        return f'"{inner}"'
    return inner


def _inline_children(node: Node, *, in_link: bool = False) -> str:
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(_text(child, autolink=not in_link))
        else:
            parts.append(_inline(child, in_link=in_link))
    return "".join(parts)


def _link(href: str, inner: str, *, in_link: bool) -> str:
    href = href.strip()
    if in_link or not re.match(r"(?:https?:|mailto:)", href, re.IGNORECASE):
        return inner
    target = re.sub(r"[<>\s]", lambda m: f"%{ord(m[0]):02X}", href)
    label = re.sub(r"\s*" + _BREAK + r"\s*", " ", inner).strip() or _text(href, autolink=False)
    return f"[{label}](<{target}>)"


def _wrap(inner: str, mark: str) -> str:
    """`**inner**` with the surrounding spaces kept outside, where Markdown needs them."""
    stripped = inner.strip()
    if not stripped:
        return inner
    before = inner[: len(inner) - len(inner.lstrip())]
    after = inner[len(inner.rstrip()) :]
    return f"{before}{mark}{stripped}{mark}{after}"


def _code_span(code: str) -> str:
    code = code.replace("\n", " ")
    if not code:
        return ""
    ticks = "`" * (_longest_run(code, "`") + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _text(text: str, *, autolink: bool = True) -> str:
    """Plain text with Markdown's special characters escaped; bare URLs as autolinks."""
    if not autolink:
        return _ESCAPED.sub(r"\\\1", text)
    parts = []
    position = 0
    for match in _URL.finditer(text):
        parts.append(_ESCAPED.sub(r"\\\1", text[position : match.start()]))
        parts.append(f"<{match[0]}>")
        position = match.end()
    parts.append(_ESCAPED.sub(r"\\\1", text[position:]))
    return "".join(parts)


def _plain(node: Node) -> str:
    return "".join(c if isinstance(c, str) else _plain(c) for c in node.children)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(run) for run in runs), default=0)


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
