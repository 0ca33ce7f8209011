"""WordPress's query-string addresses (/?feed=rss2, /?m=201905, /?cat=3 …) answer 301
to the page they meant, so old links and feed subscriptions keep working."""

from datetime import UTC, datetime

import pytest

from pressbox.posts.factories import CategoryFactory, PostFactory, TagFactory
from pressbox.posts.models import Redirect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _utc(settings, no_page_cache):
    settings.TIME_ZONE = "UTC"


def moved(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 301, address
    return response["Location"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?feed=rss2", "/feed/"),
        ("/?feed=rss", "/feed/"),
        ("/?feed=rdf", "/feed/"),
        ("/?feed=atom", "/feed/atom/"),
        ("/?feed=comments-rss2", "/comments/feed/"),
        ("/?feed=comments-atom", "/comments/feed/atom/"),
        ("/?m=2024", "/2024/"),
        ("/?m=202405", "/2024/05/"),
        ("/?m=20240514", "/2024/05/14/"),
        ("/?paged=3", "/page/3/"),
        ("/?paged=1", "/"),
        ("/?s=squat&paged=2", "/page/2/?s=squat"),
    ],
)
def test_site_wide_query_addresses_answer_301(client, old, new):
    assert moved(client, old) == new


def test_a_post_by_id_with_feed_leads_to_its_comments_feed(client):
    post = PostFactory(slug="squats", published_at=datetime(2024, 5, 14, tzinfo=UTC))
    assert moved(client, f"/?p={post.pk}&feed=rss2") == "/2024/05/squats/feed/"
    assert moved(client, f"/?p={post.pk}&feed=comments-rss2") == "/2024/05/squats/feed/"


def test_a_tag_by_slug_and_its_feed(client):
    TagFactory(slug="knee-care")
    assert moved(client, "/?tag=knee-care") == "/tag/knee-care/"
    assert moved(client, "/?tag=knee-care&feed=atom") == "/tag/knee-care/feed/atom/"


def test_categories_authors_and_attachments_of_an_import_by_their_wordpress_id(client):
    category = CategoryFactory(slug="strength")
    Redirect.objects.create(old_path="/?cat=12", new_path=category.get_absolute_url())
    Redirect.objects.create(old_path="/?author=3", new_path="/author/maya/")
    Redirect.objects.create(old_path="/?attachment_id=31", new_path="/2024/05/squats/")
    assert moved(client, "/?cat=12") == "/category/strength/"
    assert moved(client, "/?cat=12&feed=rss2") == "/category/strength/feed/"
    assert moved(client, "/?author=3") == "/author/maya/"
    assert moved(client, "/?attachment_id=31") == "/2024/05/squats/"


@pytest.mark.parametrize(
    "address",
    ["/?cat=99", "/?cat=%00", "/?author=99", "/?attachment_id=5", "/?tag=nothing", "/?m=May"],
)
def test_one_that_names_nothing_is_not_found(client, address):
    assert client.get(address).status_code == 404


def test_an_unknown_feed_name_is_not_found(client):
    assert client.get("/?feed=nonsense").status_code == 404


@pytest.mark.parametrize("address", ["/?utm_source=news", "/?p=abc", "/?paged=x"])
def test_other_query_strings_show_the_home_page(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert b'class="site-title"' in response.content
