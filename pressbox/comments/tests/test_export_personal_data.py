"""`pressbox export_personal_data EMAIL [--output FILE]`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pressbox.comments.factories import CommentFactory


def run(*args):
    out = StringIO()
    call_command("export_personal_data", *args, stdout=out)
    return out.getvalue()


def test_writes_json_to_stdout(post):
    CommentFactory(post=post, author_email="ann@example.net", ip_address="198.51.100.23")
    data = json.loads(run("ann@example.net"))
    assert [c["ip_address"] for c in data["comments"]] == ["198.51.100.23"]


def test_writes_json_to_a_file_and_says_how_many_comments(post, tmp_path):
    CommentFactory(post=post, author_email="ann@example.net", body="Café – ünïcode")
    target = tmp_path / "ann.json"
    assert run("ann@example.net", "--output", str(target)).strip() == (
        f"Wrote 1 comment to {target}."
    )
    assert json.loads(target.read_text(encoding="utf-8"))["comments"][0]["body"] == (
        "Café – ünïcode"
    )


def test_a_bad_address_stops_with_one_sentence(db):
    with pytest.raises(CommandError, match=r"^'nope' is not an email address\.$"):
        run("nope")


def test_an_unwritable_file_stops_with_one_sentence(db, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot write .*missing/ann\.json: "):
        run("ann@example.net", "--output", str(tmp_path / "missing" / "ann.json"))
