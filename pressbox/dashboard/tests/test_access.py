"""Who may open the dashboard."""

from pressbox.accounts.factories import UserFactory
from pressbox.accounts.roles import Role, role_assign


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=/dashboard/"


def test_login_page_signs_in_and_lands_on_the_dashboard(client, db):
    user = UserFactory(username="maya")
    user.set_password("squat-rack-42")
    user.save()
    role_assign(user=user, role=Role.AUTHOR)
    response = client.post("/dashboard/login/", {"username": "maya", "password": "squat-rack-42"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert "Hello, Sam Writer" in client.get("/dashboard/").text


def test_wrong_password_keeps_the_username_and_says_so(client, db):
    UserFactory(username="maya")
    response = client.post("/dashboard/login/", {"username": "maya", "password": "nope"})
    assert response.status_code == 200
    assert 'value="maya"' in response.text
    assert "Please enter a correct username and password" in response.text


def test_signed_in_person_without_a_role_gets_403(client, db):
    client.force_login(UserFactory())
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "You have no role on this site." in response.text


def test_dashboard_pages_are_never_cached(client, db):
    user = UserFactory()
    role_assign(user=user, role=Role.CONTRIBUTOR)
    client.force_login(user)
    response = client.get("/dashboard/")
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
