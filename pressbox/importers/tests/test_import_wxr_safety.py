"""`pressbox import_wxr`: hostile or broken files are refused whole, with one sentence;
what the command prints while it works."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.importers.wordpress import threads
from pressbox.media.models import Media
from pressbox.posts.models import Category, Page, Post, Redirect

DATA = Path(__file__).resolve().parent / "data" / "wxr"
SITE = DATA / "site.xml"

pytestmark = pytest.mark.django_db

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>{title}</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status></item>
</channel></rss>
"""
BILLION_LAUGHS = """<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>"""


def run(path: Path, *args: str, stdout: io.StringIO | None = None) -> str:
    out = stdout or io.StringIO()
    call_command("import_wxr", str(path), *args, stdout=out)
    return out.getvalue()


def nothing_imported() -> bool:
    return not any(
        model.objects.exists() for model in (User, Category, Post, Page, Comment, Media, Redirect)
    )


def test_an_entity_bomb_is_refused_before_any_entity_is_expanded(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(HEADER.format(doctype=BILLION_LAUGHS, title="&lol9;"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bomb.xml declares XML entities at line 3, .*refused"):
        run(bomb)
    assert nothing_imported()


def test_an_external_entity_is_refused_and_no_file_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret", encoding="utf-8")
    doctype = f'<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>'
    evil = tmp_path / "evil.xml"
    evil.write_text(HEADER.format(doctype=doctype, title="&xxe;"), encoding="utf-8")
    with pytest.raises(CommandError, match="declares XML entities at line 2"):
        run(evil)
    assert nothing_imported()


def test_an_entity_that_was_never_declared_is_a_malformed_file(tmp_path):
    undeclared = tmp_path / "undeclared.xml"
    undeclared.write_text(HEADER.format(doctype="", title="&nope;"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"not well-formed XML: undefined entity at line 5\.$"):
        run(undeclared)


def test_a_truncated_export_names_the_line_and_imports_nothing(tmp_path):
    text = SITE.read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    lines = cut.read_text(encoding="utf-8").count("\n") + 1
    with pytest.raises(CommandError) as error:
        run(cut)
    message = str(error.value)
    assert message.startswith("cut.xml is not well-formed XML:") and "\n" not in message
    assert message.endswith(f"at line {lines}.")
    assert nothing_imported()


def test_a_failure_while_writing_imports_nothing_and_leaves_no_files(
    tmp_path, monkeypatch, settings
):
    uploads = tmp_path / "uploads" / "2019" / "05"
    uploads.mkdir(parents=True)
    Image.new("RGB", (64, 48), "red").save(uploads / "sunset.jpg", "JPEG")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(threads.Threads, "write", broken)
    with pytest.raises(RuntimeError):
        run(SITE, "--uploads", str(tmp_path / "uploads"))
    assert nothing_imported()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_an_attachment_path_never_leaves_the_uploads_folder(tmp_path):
    Image.new("RGB", (8, 8), "red").save(tmp_path / "outside.jpg", "JPEG")
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    export = tmp_path / "escape.xml"
    export.write_text(
        HEADER.format(doctype="", title="x").replace(
            "</channel>",
            "".join(
                f"<item><title>{name}</title><wp:post_id>{n}</wp:post_id>"
                "<wp:post_type>attachment</wp:post_type><wp:postmeta><wp:meta_key>"
                f"_wp_attached_file</wp:meta_key><wp:meta_value>{name}</wp:meta_value>"
                "</wp:postmeta></item>"
                for n, name in ((7, "../outside.jpg"), (8, "link.jpg"))
            )
            + "</channel>",
        ),
        encoding="utf-8",
    )
    output = run(export, "--uploads", str(tmp_path / "uploads"))
    assert "the file is not in the uploads folder (../outside.jpg)" in output
    assert "the file is not in the uploads folder (link.jpg)" in output
    assert not Media.objects.exists()


def test_a_missing_file_or_uploads_folder_is_one_sentence(tmp_path):
    with pytest.raises(CommandError, match=r"^There is no file at .*nope\.xml\.$"):
        run(tmp_path / "nope.xml")
    with pytest.raises(CommandError, match=r"^There is no uploads folder at .*absent\.$"):
        run(SITE, "--uploads", str(tmp_path / "absent"))


def test_a_file_that_is_not_xml_is_refused(tmp_path):
    text = tmp_path / "notes.xml"
    text.write_text("This is not valid XML content", encoding="utf-8")
    with pytest.raises(CommandError, match=r"notes.xml is not well-formed XML: .* line 1\."):
        run(text)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_and_the_summary():
    output = run(SITE, stdout=Terminal())
    assert "\r[" in output and "] 18/18" in output
    assert "Hello world" not in output  # item by item is for logs
    assert "Imported 2 authors (2 new)" in output


def test_without_a_terminal_each_item_is_a_plain_line():
    output = run(SITE)
    lines = output.splitlines()
    assert lines[0].startswith("1/18 ") and "18/18 " in output
    assert "\r" not in output
    assert "Skipped 8 items:" in output and "Notes:" in output
