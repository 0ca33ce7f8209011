"""kill -9 of `pressbox serve` in the middle of a storm of comments (issue 8).

Every comment that got its 303 must be in the database, the database must pass its
integrity check (SQLite's integrity_check, PostgreSQL's pg_amcheck), and the site
must serve again, with those comments on it, after a restart.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time

from tests.ops.ops import comment_form, comment_id

STORM = 200  # comments attempted in all
POSTERS = 8  # at once
KILL_AFTER = 60  # accepted comments before the kill


def storm(server, site, token, kill_after):
    """Post up to STORM comments from POSTERS threads; kill -9 the server once
    `kill_after` of them were accepted. Returns (accepted, errors before the kill)."""
    accepted: list[tuple[int, str]] = []
    early_errors: list[str] = []
    numbers, lock, killed = itertools.count(), threading.Lock(), threading.Event()

    def poster(n: int) -> None:
        while (i := next(numbers)) < STORM:
            text = f"Storm comment {i}: my knees felt fine after the squats today."
            try:
                reply = server.post(
                    f"/comments/post/{site.post_id}/", comment_form(token, text, n), timeout=30
                )
            except (OSError, http.client.HTTPException) as exc:
                if not killed.is_set():
                    with lock:
                        early_errors.append(type(exc).__name__)
                continue
            with lock:
                if reply.status == 303:
                    accepted.append((comment_id(reply.header("location")), text))
                elif not killed.is_set():
                    early_errors.append(f"HTTP {reply.status}")

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(accepted) < kill_after and time.monotonic() < deadline:
        time.sleep(0.01)
    killed.set()  # from here on, a request may fail: the server is going
    server.kill9()
    for thread in threads:
        thread.join(timeout=60)
    return accepted, early_errors


def test_every_comment_that_got_its_303_survives_a_kill_9_and_the_site_serves_again(site):
    server = site.serve(workers=2)
    token = site.form_token()

    accepted, early_errors = storm(server, site, token, KILL_AFTER)

    assert early_errors == []  # every answer before the kill was a 303
    assert KILL_AFTER <= len(accepted) < STORM  # killed mid-storm
    assert not server.alive()
    assert site.db.integrity_problems() == []
    stored = site.comments([pk for pk, _ in accepted])
    assert stored == dict(accepted)

    restarted = site.serve()
    page = restarted.get(site.post_path)
    assert page.status == 200
    missing = [text for _, text in accepted if text not in page.body]
    assert missing == []
    after = restarted.post(
        f"/comments/post/{site.post_id}/", comment_form(token, "Back up and commenting.")
    )
    assert after.status == 303
    assert site.comments([comment_id(after.header("location"))])
