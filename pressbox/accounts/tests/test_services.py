"""Account services: invitations, roles and deactivation, with the site's rules."""

import pytest
from django_tasks_db.models import DBTaskResult

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role, role_of
from pressbox.accounts.services import (
    AccountRuleError,
    invitation_send,
    unique_username,
    user_invite,
    user_role_change,
    user_set_active,
)
from pressbox.accounts.tests.people import person, sent_emails


@pytest.mark.parametrize(
    ("email", "username"),
    [
        ("maya.k@example.com", "maya-k"),
        ("Tomas+blog@example.com", "tomas-blog"),
        ("ÅSA@example.com", "asa"),
        ("@example.com", "writer"),
    ],
)
def test_the_username_comes_from_the_local_part(db, email, username):
    assert unique_username(email) == username


def test_the_username_gets_a_number_when_taken_in_any_case(db):
    User.objects.create(username="Maya")
    User.objects.create(username="maya-2")
    assert unique_username("maya@example.com") == "maya-3"


def test_user_invite_creates_the_account_profile_role_and_queued_email(db):
    user = user_invite(email="ana@example.com", name="Ana Lima", role=Role.AUTHOR, by=None)
    assert (user.username, user.email, user.profile.display_name) == (
        "ana",
        "ana@example.com",
        "Ana Lima",
    )
    assert (role_of(user), user.has_usable_password(), user.is_active) == (Role.AUTHOR, False, True)
    assert DBTaskResult.objects.get().task_path == "pressbox.lib.mail.send_email"
    (message,) = sent_emails()
    assert "You are invited to write for Pressbox" in message.body
    assert "/dashboard/invitation/" in message.body


def test_user_invite_refuses_an_address_that_already_has_an_account(db):
    person(Role.AUTHOR, username="maya")
    with pytest.raises(AccountRuleError, match="already has an account"):
        user_invite(email="MAYA@example.com", name="Maya", role=Role.AUTHOR, by=None)
    assert User.objects.filter(email__iexact="maya@example.com").count() == 1
    assert DBTaskResult.objects.count() == 0


def test_an_invitation_is_not_resent_once_a_password_is_chosen(db):
    maya = person(Role.AUTHOR, display_name="Maya Strong")
    with pytest.raises(AccountRuleError, match="Maya Strong has already chosen a password"):
        invitation_send(user=maya, by=None)
    assert DBTaskResult.objects.count() == 0


def test_the_last_administrator_can_be_neither_demoted_nor_deactivated(db):
    admin = person(Role.ADMINISTRATOR)
    other = person(Role.EDITOR)
    with pytest.raises(AccountRuleError, match="the only administrator"):
        user_role_change(user=admin, role=Role.EDITOR, by=admin)
    with pytest.raises(AccountRuleError, match="the only administrator"):
        user_set_active(user=admin, active=False, by=other)
    admin = User.objects.get(pk=admin.pk)
    assert (role_of(admin), admin.is_active) == (Role.ADMINISTRATOR, True)


def test_an_inactive_administrator_does_not_count(db):
    admin = person(Role.ADMINISTRATOR)
    dormant = person(Role.ADMINISTRATOR)
    User.objects.filter(pk=dormant.pk).update(is_active=False)
    with pytest.raises(AccountRuleError):
        user_role_change(user=admin, role=Role.AUTHOR, by=admin)


def test_two_administrators_may_each_lose_the_role_until_one_is_left(db):
    first, second = person(Role.ADMINISTRATOR), person(Role.ADMINISTRATOR)
    user_role_change(user=first, role=Role.AUTHOR, by=second)
    with pytest.raises(AccountRuleError):
        user_role_change(user=second, role=Role.AUTHOR, by=second)
    assert role_of(User.objects.get(pk=second.pk)) == Role.ADMINISTRATOR


def test_nobody_deactivates_themselves(db):
    admin = person(Role.ADMINISTRATOR)
    person(Role.ADMINISTRATOR)
    with pytest.raises(AccountRuleError, match="your own account"):
        user_set_active(user=admin, active=False, by=admin)
