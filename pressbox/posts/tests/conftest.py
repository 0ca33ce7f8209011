"""Shared by the list-page tests: a query counter that runs one priming request first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries(client, settings):
    """How many queries a GET of `path` costs once the per-site caches are warm (the
    page cache is off: the second GET would cost none)."""
    settings.PRESSBOX_PAGE_CACHE = False

    def count(path: str) -> int:
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    return count
