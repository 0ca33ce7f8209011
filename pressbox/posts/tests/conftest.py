"""Shared by the list-page tests: a query counter that runs one priming request first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries(client):
    """How many queries a GET of `path` costs once the per-site caches are warm."""

    def count(path: str) -> int:
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    return count
