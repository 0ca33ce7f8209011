"""/dashboard/users/: everyone, with role, posts and last login; administrators only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressbox.accounts.roles import Role
from pressbox.accounts.tests.people import person
from pressbox.posts.factories import PostFactory


def test_the_list_shows_role_posts_and_last_login(client, db):
    admin = person(Role.ADMINISTRATOR, username="boss")
    maya = person(Role.EDITOR, username="maya", display_name="Maya Strong")
    maya.last_login = timezone.now() - timedelta(days=2)
    maya.save()
    PostFactory.create_batch(3, authors=[maya])
    client.force_login(admin)
    response = client.get("/dashboard/users/")
    assert response.status_code == 200
    row = response.text.split('<span class="user-name">Maya Strong')[1].split("</tr>")[0]
    assert '<option value="editor" selected>Editor</option>' in row
    assert "<td>3</td>" in row
    assert "2\xa0days ago" in row
    assert '<a href="/dashboard/users/" aria-current="page">Users</a>' in response.text


def test_the_list_costs_the_same_queries_for_many_people(client, db):
    client.force_login(person(Role.ADMINISTRATOR))

    def queries():
        client.get("/dashboard/users/")
        with CaptureQueriesContext(connection) as context:
            assert client.get("/dashboard/users/").status_code == 200
        return len(context.captured_queries)

    few = queries()
    for role in [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR] * 5:
        PostFactory(authors=[person(role)])
    assert queries() == few


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_get_403_and_no_users_menu(client, db, role):
    client.force_login(person(role))
    assert client.get("/dashboard/users/").status_code == 403
    assert 'href="/dashboard/users/"' not in client.get("/dashboard/").text


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    assert client.get("/dashboard/users/")["Location"] == "/dashboard/login/?next=/dashboard/users/"
