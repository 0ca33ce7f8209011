"""RedirectFallbackMiddleware: a stored Redirect answers 301 where a page would be 404."""

from pressbox.posts.factories import PageFactory
from pressbox.posts.models import Redirect


def test_old_path_answers_301_to_the_new_one(client, db):
    Redirect.objects.create(old_path="/old-post/", new_path="/2024/05/new-post/")
    response = client.get("/old-post/")
    assert (response.status_code, response["Location"]) == (301, "/2024/05/new-post/")


def test_old_path_matches_with_or_without_a_trailing_slash(client, db):
    Redirect.objects.create(old_path="/legacy.html", new_path="/about/")
    Redirect.objects.create(old_path="/moved/", new_path="/about/")
    assert client.get("/legacy.html/")["Location"] == "/about/"
    assert client.get("/moved")["Location"] == "/about/"


def test_a_live_page_wins_over_a_redirect(client, db):
    PageFactory(slug="about")
    Redirect.objects.create(old_path="/about/", new_path="/elsewhere/")
    assert client.get("/about/").status_code == 200


def test_post_requests_are_not_redirected(client, db):
    Redirect.objects.create(old_path="/old-post/", new_path="/new/")
    assert client.post("/old-post/").status_code == 404
    assert Redirect.objects.count() == 1


def test_unknown_path_stays_404(client, db):
    Redirect.objects.create(old_path="/old-post/", new_path="/new/")
    assert client.get("/another/").status_code == 404
