"""Accounts in the dashboard: an invitation from the administrator to the contributor's
first login, and how the settings page looks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "a-long-passphrase-9"
CHOSEN = "kettlebell-swing-77"


@pytest.fixture
def admin(transactional_db, settings, live_server):
    from pressbox.accounts.models import User

    settings.SITE_URL = live_server.url  # the emailed link must lead to this test server
    return User.objects.create_superuser("boss", "boss@example.com", ADMIN_PASSWORD)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/dashboard/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def test_an_administrator_invites_a_contributor_who_joins(
    context_factory, live_server, admin, artifacts
):
    from pressbox.accounts.tests.people import sent_emails

    page = context_factory().new_page()
    log_in(page, live_server, "boss", ADMIN_PASSWORD)
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email").fill("ana.lima@example.com")
    page.get_by_label("Name").fill("Ana Lima")
    page.get_by_role("radio", name=re.compile("^Contributor")).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to ana.lima@example.com.")
    page.screenshot(path=artifacts / "dashboard-users-1280.png", full_page=True)

    (message,) = sent_emails()
    link = re.search(r"http://\S+", message.body).group(0)
    newcomer = context_factory().new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Welcome — choose a password")
    newcomer.get_by_label(re.compile(r"^New password \*")).fill(CHOSEN)
    newcomer.get_by_label("New password confirmation").fill(CHOSEN)
    newcomer.keyboard.press("Enter")
    expect(newcomer.get_by_role("status")).to_contain_text("Log in as ana-lima")
    log_in(newcomer, live_server, "ana-lima", CHOSEN)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Hello, Ana Lima")
    expect(newcomer.get_by_text("You are contributor on this site.")).to_be_visible()
    nav = newcomer.get_by_role("navigation", name="Dashboard")
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)


def test_the_settings_page_fits_and_works_by_keyboard(
    context_factory, live_server, admin, artifacts
):
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server, "boss", ADMIN_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/settings/")
    page.screenshot(path=artifacts / "dashboard-settings-1280.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for legend in ["General", "Comments", "Avatars"]:
        expect(page.get_by_role("group", name=legend, exact=True)).to_be_visible()

    page.get_by_label("Title").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("Lift and Rest")
    page.get_by_role("radio", name=re.compile("^Day and name")).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save the settings").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title(re.compile("Lift and Rest"))


def test_a_writer_previews_their_bio_and_sees_it_in_the_author_box(
    context_factory, live_server, admin, artifacts
):
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server, "boss", ADMIN_PASSWORD)
    page.get_by_role("link", name="Your profile").click()
    page.get_by_label("Display name").fill("Maya Strong")
    page.get_by_label("Bio").fill("Coach. I *love* deadlifts.")
    page.get_by_role("button", name="Preview the bio").click()
    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview.locator("em")).to_have_text("love")
    expect(page.get_by_label("Display name")).to_have_value("Maya Strong")
    page.screenshot(path=artifacts / "dashboard-profile-1280.png", full_page=True)
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    page.goto(f"{live_server.url}/author/boss/")
    expect(page.locator(".author-bio em")).to_have_text("love")
