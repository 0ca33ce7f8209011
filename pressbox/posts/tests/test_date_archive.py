"""Date archives at /<yyyy>/, /<yyyy>/<mm>/ and /<yyyy>/<mm>/<dd>/."""

from datetime import UTC, datetime

import pytest

from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post


@pytest.fixture
def dated(db):
    PostFactory(title="Pi day", published_at=datetime(2024, 3, 14, 9, tzinfo=UTC))
    PostFactory(title="Ides", published_at=datetime(2024, 3, 15, 9, tzinfo=UTC))
    PostFactory(title="May", published_at=datetime(2024, 5, 1, 9, tzinfo=UTC))
    PostFactory(title="Old", published_at=datetime(2023, 3, 14, 9, tzinfo=UTC))
    PostFactory(
        title="Hidden", status=Post.Status.DRAFT, published_at=datetime(2022, 1, 1, tzinfo=UTC)
    )


def titles(path, client):
    response = client.get(path)
    assert response.status_code == 200
    return sorted(h.text for h in select(response.text, "h2", class_="entry-title"))


def test_year_archive_lists_that_years_posts(client, dated):
    assert titles("/2024/", client) == ["Ides", "May", "Pi day"]
    assert "Year: 2024" in select_one(client.get("/2024/").text, "h1").text


def test_month_archive_lists_that_months_posts(client, dated):
    assert titles("/2024/03/", client) == ["Ides", "Pi day"]
    assert "Month: March 2024" in select_one(client.get("/2024/03/").text, "h1").text


def test_day_archive_lists_that_days_posts(client, dated):
    assert titles("/2024/03/14/", client) == ["Pi day"]
    assert "Day: March 14, 2024" in select_one(client.get("/2024/03/14/").text, "h1").text


@pytest.mark.parametrize("path", ["/2021/", "/2024/04/", "/2024/03/16/", "/2022/"])
def test_empty_date_archive_is_404(client, dated, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/2024/13/", "/2024/00/", "/2024/03/00/", "/2024/02/30/", "/0000/"]
)
def test_impossible_date_is_404(client, dated, path):
    assert client.get(path).status_code == 404


def test_month_archive_paginates(client, dated, site_settings):
    site_settings.posts_per_page = 1
    site_settings.save()
    assert titles("/2024/03/page/2/", client) == ["Pi day"]
    assert client.get("/2024/03/page/3/").status_code == 404
    assert client.get("/2024/03/page/1/")["Location"] == "/2024/03/"
