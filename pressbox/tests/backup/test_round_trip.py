"""`pressbox backup FILE` then `pressbox restore FILE` elsewhere gives the same site.

Each site is its own data dir (and, on PostgreSQL, its own temporary database), driven
through `.venv/bin/pressbox` as an owner would (pressbox/tests/backup/sites.py).
"""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import tarfile
import threading
import time

import pytest

from pressbox.tests.backup.sites import ON_POSTGRES, Site

RENDER = """
from django.conf import settings
from django.test import Client
# Plain static names: no need to collect the files for each site.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST="127.0.0.1")
result = {}
for path in PATHS:
    answer = client.get(path)
    result[path] = [answer.status_code, answer.content.decode()]
"""


def render(site: Site, paths: list[str]) -> dict[str, tuple[int, str]]:
    found = site.python(f"PATHS = {paths!r}\n{RENDER}")
    # The comment form's signed timestamp is the time of rendering; nothing else may differ.
    return {
        path: (status, re.sub(r'name="timestamp" value="[^"]*"', "", body))
        for path, (status, body) in found.items()  # type: ignore[union-attr]
    }


def test_the_restored_site_shows_the_same_pages_and_media(source, archive, target):
    restored = target.ok("restore", str(archive))
    assert "Restored the backup of" in restored

    urls = source.urls
    paths = ["/", urls["post"], urls["category"], urls["year"], "/feed/", urls["post_feed"]]
    before, after = render(source, paths), render(target, paths)
    for path in paths:
        assert before[path][0] == 200, path
        assert after[path] == before[path], f"{path} differs after the restore"
    post = after[urls["post"]][1]
    assert "Restored Strength" in post and "red plate" in post
    assert "held@example.net" not in post
    assert target.media() == source.media()
    assert any(name.startswith("uploads/") for name in target.media())
    assert len(target.media()) >= 3  # the two demo avatars and the upload


def test_links_signed_before_the_backup_still_work_after_the_restore(source, archive, target):
    target.ok("restore", str(archive))

    ((status, page),) = render(target, [source.urls["preview"]]).values()
    assert status == 200 and "Unfinished" in page
    key = (target.data_dir / "secret_key").read_text()
    assert key == (source.data_dir / "secret_key").read_text()
    assert stat.S_IMODE((target.data_dir / "secret_key").stat().st_mode) == 0o600


def test_the_archive_is_private_and_holds_a_manifest_first(source, archive):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and names[-1] == "SHA256SUMS"
    database = "database/pressbox.pgdump" if ON_POSTGRES else "database/pressbox.sqlite3"
    assert database in names and "data/secret_key" in names
    assert not any(name.startswith(("data/static/", "data/cache/")) for name in names)


# A backup while comments are being written ------------------------------------------

WRITER = """
import sys
from django.utils import timezone
from pressbox.comments.models import Comment
from pressbox.posts.models import Post
post = Post.objects.order_by("pk").first()
for n in range(100_000):
    comment = Comment.objects.create(
        post=post, author_name=f"Writer {n}", author_email="writer@example.net",
        body=f"Comment {n}", status="approved", created_at=timezone.now(),
    )
    print(comment.pk, flush=True)  # printed only once committed (autocommit)
"""

COMMENT_IDS = """
from pressbox.comments.models import Comment
writers = Comment.objects.filter(author_name__startswith="Writer ")
result = sorted(writers.values_list("pk", flat=True))
"""


@pytest.fixture
def busy(tmp_path):
    site = Site(tmp_path, "busy")
    try:
        site.ok("migrate", "--noinput")
        site.ok("demo")
        yield site
    finally:
        site.drop()


def test_a_backup_taken_while_comments_arrive_is_consistent(busy, tmp_path):
    writer = busy.popen("shell", "--no-imports", "-c", WRITER, stdout=subprocess.PIPE)
    committed: list[int] = []
    reader = threading.Thread(
        target=lambda: committed.extend(int(line) for line in writer.stdout), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while len(committed) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(committed) >= 30, "the writer did not start"
        before_backup = list(committed)
        busy.ok("backup", str(tmp_path / "busy.tar.gz"))
        during_backup = len(committed) - len(before_backup)
    finally:
        writer.kill()
        writer.wait(timeout=30)
        reader.join(timeout=30)
    assert during_backup > 0, "the backup held the writer up"

    in_backup = backed_up_comment_ids(tmp_path / "busy.tar.gz", tmp_path)
    assert set(before_backup) <= set(in_backup)
    # One moment's state: the first comments written, in order, with no gap.
    assert in_backup == committed[: len(in_backup)]


def backed_up_comment_ids(archive, tmp_path) -> list[int]:
    """The writer's comments in the archive's database, after its integrity check."""
    if ON_POSTGRES:
        site = Site(tmp_path, "chk")
        try:
            site.ok("restore", str(archive))
            return list(site.python(COMMENT_IDS))  # type: ignore[arg-type]
        finally:
            site.drop()
    with tarfile.open(archive) as tar:
        tar.extract("database/pressbox.sqlite3", tmp_path, filter="data")
    db = sqlite3.connect(tmp_path / "database" / "pressbox.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = db.execute(
            "SELECT id FROM comments_comment WHERE author_name LIKE 'Writer %' ORDER BY id"
        )
        return [pk for (pk,) in rows]
    finally:
        db.close()
