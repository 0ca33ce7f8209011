"""`/healthz`: is this process able to serve? For load balancers and process managers.

200 with `{"database": "ok", "cache": "ok"}` when both answer; 503 with the part that
failed marked `"unavailable"` otherwise. It costs one `SELECT 1` and one cache write
and read, is never cached (the page cache skips it: pressbox/lib/pagecache.py), and
says nothing about visitors or the error's text, only which part failed; the log gets
a warning naming the part and the kind of error.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, UNAVAILABLE = "ok", "unavailable"
PROBE_KEY = "healthz:probe"


def database_status() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The broken connection is dropped when the request ends, so the next
        # check (or page) connects afresh once the database is back.
        logger.warning("Health check: the database is unavailable (%s).", type(exc).__name__)
        return UNAVAILABLE
    return OK


def cache_status() -> str:
    """A write and a read: a cache that answers but cannot store is of no use either."""
    try:
        cache.set(PROBE_KEY, OK, 30)
        stored = cache.get(PROBE_KEY)
    except Exception as exc:  # each backend raises its own (redis, OSError, pickling…)
        logger.warning("Health check: the cache is unavailable (%s).", type(exc).__name__)
        return UNAVAILABLE
    # Another process may have written its own probe in between: any value proves a
    # working store. A dummy cache (PRESSBOX_CACHE_URL=dummy://) keeps nothing by design.
    if stored is None and not _is_dummy():
        logger.warning("Health check: the cache keeps nothing it is given.")
        return UNAVAILABLE
    return OK


def _is_dummy() -> bool:
    return str(settings.CACHES["default"]["BACKEND"]).endswith(".DummyCache")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = {"database": database_status(), "cache": cache_status()}
    healthy = all(value == OK for value in report.values())
    return JsonResponse(report, status=200 if healthy else 503)
