"""An administrator setting someone's password in the admin ends that person's sessions."""

from django.test import Client

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import person

NEW = "kettlebell-swing-77"
FORM = {"password1": NEW, "password2": NEW, "usable_password": "true"}


def signed_out_to(client, url):
    """Where the admin sends a visitor who is not signed in (via /admin/login/)."""
    return client.get(url, follow=True).redirect_chain[-1][0]


def test_a_password_set_by_an_administrator_logs_the_person_out_everywhere(admin_user_client, db):
    maya = person(Role.AUTHOR, username="maya")
    hers = Client()
    hers.force_login(maya)
    assert hers.get("/dashboard/").status_code == 200
    response = admin_user_client.post(f"/admin/accounts/user/{maya.pk}/password/", FORM)
    assert response.status_code == 302
    assert User.objects.get(pk=maya.pk).check_password(NEW)
    assert hers.get("/dashboard/")["Location"] == "/dashboard/login/?next=/dashboard/"
    assert admin_user_client.get("/admin/").status_code == 200  # the administrator stays


def test_an_administrator_changing_their_own_password_in_the_admin_stays_in(admin_user_client, db):
    admin = User.objects.get(username="admin")
    other_browser = Client()
    other_browser.force_login(admin)
    response = admin_user_client.post(f"/admin/accounts/user/{admin.pk}/password/", FORM)
    assert response.status_code == 302
    assert admin_user_client.get("/admin/").status_code == 200
    assert signed_out_to(other_browser, "/admin/") == "/dashboard/login/?next=/admin/"


def test_the_admin_login_page_is_the_dashboards(client, db):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response["Location"] == "/dashboard/login/?next=/admin/accounts/user/"
    assert signed_out_to(client, "/admin/") == "/dashboard/login/?next=/admin/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == (
        "/dashboard/login/?next=/admin/"
    )
