"""WordPress shortlinks /?p=<id> and /?page_id=<id> answer 301 to the item."""

from pressbox.posts.factories import PageFactory, PostFactory
from pressbox.posts.models import Post


def test_post_shortlink_redirects_permanently_to_the_permalink(client, db):
    post = PostFactory(slug="deadlift-basics")
    response = client.get(f"/?p={post.pk}")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_imported_wordpress_id_wins_over_our_own(client, db):
    imported = PostFactory(slug="from-wordpress")
    Post.objects.filter(pk=imported.pk).update(import_ref="wxr:4242")
    response = client.get("/?p=4242")
    assert response.status_code == 301
    assert response["Location"].endswith("/from-wordpress/")


def test_page_shortlink_redirects_to_the_page(client, db):
    page = PageFactory(slug="about")
    response = client.get(f"/?page_id={page.pk}")
    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_unknown_or_draft_shortlink_is_not_found(client, db):
    draft = PostFactory(status=Post.Status.DRAFT)
    assert client.get(f"/?p={draft.pk}").status_code == 404
    assert client.get("/?p=999999").status_code == 404


def test_malformed_shortlink_shows_the_home_page(client, db):
    for value in ["abc", "1e3", "²", "9" * 40]:
        assert client.get("/", {"p": value}).status_code == 200
