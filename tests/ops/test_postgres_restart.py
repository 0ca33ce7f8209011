"""PostgreSQL restarted while Pressbox serves (issue 8).

Requests that need the database during the outage get a clean 503 page at once (not
Django's 500, not a hang); pages already cached keep being served; and when the
database is back, the same `pressbox serve` (web and task worker) carries on by itself.
The restarted server is a throwaway cluster of the test's own, never the shared one.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from tests.ops.ops import (
    NEEDS_POSTGRES,
    ON_POSTGRES,
    ThrowawayPostgres,
    comment_form,
    comment_id,
    process_tree,
)

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason=NEEDS_POSTGRES)


@pytest.fixture
def own_postgres():
    root = Path(tempfile.mkdtemp(prefix="pressbox-ops-pg-"))
    cluster = ThrowawayPostgres(root)
    cluster.start()
    yield cluster
    with contextlib.suppress(AssertionError):
        cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


def wait_for(check, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_postgresql_restart_gets_a_clean_503_then_service_comes_back_by_itself(
    blog_template, own_postgres, make_site
):
    site = make_site(db=own_postgres.load("pressbox", blog_template.db))
    server = site.serve()
    assert server.get(site.post_path).status == 200  # now in the page cache
    token = site.form_token()
    processes = set(process_tree(server.process.pid))

    own_postgres.stop()
    try:
        during = [
            server.get(f"/comments/token/{site.post_id}/"),
            server.post(f"/comments/post/{site.post_id}/", comment_form(token, "Lost?")),
            server.get("/?s=knees"),
        ]
        cached = server.get(site.post_path)
        # The task worker polls the queue each second: it meets the outage too, and waits.
        wait_for(lambda: "task worker cannot reach the database" in server.log(), 20)
        alive_during = server.alive()
    finally:
        own_postgres.start()

    for reply in during:
        assert reply.status == 503
        assert reply.seconds < 5
        assert "Back in a moment" in reply.body
        assert "Traceback" not in reply.body
        assert reply.header("retry-after") == "30"
        assert reply.header("cache-control") == "no-store"
    assert "Lost?</textarea>" in during[1].body  # the comment, shown back to copy
    assert (cached.status, cached.header("x-cache")) == (200, "HIT")
    assert alive_during

    wait_for(lambda: server.get(f"/comments/token/{site.post_id}/").status == 200)
    after = server.post(f"/comments/post/{site.post_id}/", comment_form(token, "Back again."))
    assert after.status == 303
    new_id = comment_id(after.header("location"))
    assert site.comments([new_id]) == {new_id: "Back again."}
    assert server.get(site.post_path).body.count("Back again.") == 1
    # The same task worker, never restarted, emails the co-author about it.
    mail = site.data_dir / "mail"
    wait_for(lambda: any("Back again." in f.read_text() for f in mail.glob("*")))
    assert server.alive()
    assert set(process_tree(server.process.pid)) == processes
