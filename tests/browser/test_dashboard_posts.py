"""Writing in the dashboard: publish, schedule, review, revisions, autosave, preview."""

from __future__ import annotations

import base64
import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "squat-rack-42-deep"


@pytest.fixture
def people(transactional_db, settings):
    """umer (author), cara (contributor) and eddie (editor), who sign in with PASSWORD."""
    from pressbox.accounts.factories import AuthorProfileFactory
    from pressbox.accounts.roles import role_assign

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    found = {}
    for username, name, role in [
        ("umer", "Umer Khan", "author"),
        ("cara", "Cara Diaz", "contributor"),
        ("eddie", "Eddie Fox", "editor"),
    ]:
        user = AuthorProfileFactory(user__username=username, display_name=name).user
        user.set_password(PASSWORD)
        user.save()
        role_assign(user=user, role=role)
        found[username] = user
    return found


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/dashboard/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Dashboard")).to_be_visible()


def new_post(page, title, body):
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="New post").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Body", exact=True).fill(body)


def saved_message(page):
    return page.locator(".messages")


def autosaved(page):
    """Wait until the server holds what the editor shows, so nothing is in flight."""
    expect(page.locator("#post-form")).to_have_attribute(
        "data-autosave-state", "saved", timeout=8000
    )


DROP = """([textarea, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], "hinge.png", {type: "image/png"}));
  for (const type of ["dragenter", "dragover", "drop"]) {
    const init = {bubbles: true, cancelable: true, dataTransfer: data};
    textarea.dispatchEvent(new DragEvent(type, init));
  }
}"""


def test_a_writer_publishes_a_post_with_images_that_readers_then_see(
    page, live_server, people, artifacts
):
    from pressbox.media.models import Media
    from pressbox.media.tests.helpers import image_bytes
    from pressbox.posts.models import Post

    log_in(page, live_server, "umer")
    page.goto(f"{live_server.url}/dashboard/media/upload/")
    page.get_by_label("Image").set_input_files(
        {"name": "rack.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(1200, 800))}
    )
    page.get_by_label("Alt text").fill("A barbell on a rack")
    page.get_by_role("button", name="Upload").click()
    featured = Media.objects.get(alt_text="A barbell on a rack")

    new_post(page, "Hip hinge basics", "Push your hips *back*.\n\n- Soft knees\n- Long spine\n")
    body = page.get_by_label("Body", exact=True)
    body.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    png = base64.b64encode(image_bytes("PNG", size=(640, 480))).decode()
    page.evaluate(DROP, [body.element_handle(), png])
    dialog = page.get_by_role("dialog", name="Describe the image")
    dialog.get_by_label("Alt text").fill("Hips back, spine long")
    dialog.get_by_role("button", name="Upload").click()
    expect(body).to_have_value(re.compile(r"!\[Hips back, spine long\]\(/media/.+\)"))
    page.get_by_label("Featured image").select_option(str(featured.pk))
    page.get_by_label("Tags").fill("mobility, hinge")
    page.get_by_label("SEO description").fill("How to hinge at the hips.")
    expect(page.locator("#seo-count")).to_have_text("25 of 160 characters")
    page.get_by_role("button", name="Publish now").click()

    expect(saved_message(page)).to_contain_text("Published.")
    post = Post.objects.get(title="Hip hinge basics")
    assert post.is_published() and post.seo_description == "How to hinge at the hips."
    assert post.featured_image == featured
    page.get_by_role("link", name="View post").click()
    expect(page.locator("h1.entry-title")).to_have_text("Hip hinge basics")
    expect(page.locator(".entry-content em")).to_have_text("back")
    image = page.get_by_role("img", name="Hips back, spine long")
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("naturalWidth", 640)  # the file itself is served
    expect(page.locator(".byline")).to_contain_text("Umer Khan")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Hip hinge basics", exact=True)).to_be_visible()


def test_a_post_scheduled_seconds_ahead_appears_on_the_home_page_at_its_time(
    page, live_server, people
):
    from django.utils import timezone

    log_in(page, live_server, "umer")
    new_post(page, "Rest day rules", "Walk, *stretch*, sleep.")
    when = timezone.localtime() + timedelta(seconds=4)
    page.get_by_label("Publish on").fill(when.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Schedule").click()
    expect(saved_message(page)).to_contain_text("Scheduled: the post will appear on")

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Rest day rules", exact=True)).to_have_count(0)
    time.sleep(max(0, (when - timezone.localtime()).total_seconds()) + 0.5)
    page.reload()
    expect(page.get_by_role("link", name="Rest day rules", exact=True)).to_be_visible()


def test_a_writer_restores_an_earlier_revision(page, live_server, people, artifacts):
    from pressbox.posts.models import Post
    from pressbox.posts.services import Action, PostData, post_save

    post = Post()
    for body in ("Three sets of five.", "Five sets of three."):
        data = PostData(title="Squat plan", body=body)
        post_save(post=post, data=data, by=people["umer"], action=Action.SAVE)

    log_in(page, live_server, "umer")
    page.goto(f"{live_server.url}/dashboard/posts/{post.pk}/edit/")
    page.get_by_role("link", name=re.compile("^Revisions")).click()
    page.get_by_role("button", name="Compare the two chosen").click()
    compare = page.locator("#compare")
    expect(compare.locator(".diff-removed")).to_contain_text("Three sets of five.")
    expect(compare.locator(".diff-added")).to_contain_text("Five sets of three.")
    page.screenshot(path=artifacts / "dashboard-revisions-1280.png", full_page=True)
    page.get_by_role("button", name=re.compile("^Restore the version of")).click()

    expect(saved_message(page)).to_contain_text("Restored the version of")
    expect(page.get_by_label("Body", exact=True)).to_have_value("Three sets of five.")
    post.refresh_from_db()
    assert post.body == "Three sets of five."
    assert list(post.revisions.values_list("kind", flat=True)) == ["restore", "save", "save"]


def test_a_contributor_submits_for_review_and_an_editor_publishes(
    context_factory, live_server, people
):
    from pressbox.posts.models import Post

    contributor = context_factory().new_page()
    log_in(contributor, live_server, "cara")
    new_post(contributor, "My first squat", "It was *heavy*.")
    expect(contributor.get_by_role("button", name="Publish now")).to_have_count(0)
    contributor.get_by_role("button", name="Submit for review").click()
    expect(saved_message(contributor)).to_contain_text("Submitted for review")
    assert Post.objects.get(title="My first squat").status == "pending"

    editor = context_factory().new_page()
    log_in(editor, live_server, "eddie")
    editor.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Posts").click()
    editor.get_by_role("link", name=re.compile(r"^Pending review \(1\)")).click()
    editor.get_by_role("link", name="My first squat").click()
    editor.get_by_role("button", name="Publish now").click()
    expect(saved_message(editor)).to_contain_text("Published.")

    post = Post.objects.get(title="My first squat")
    contributor.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(contributor.locator(".byline")).to_contain_text("Cara Diaz")


def test_autosave_says_when_it_saved_and_when_the_session_expired(
    context_factory, live_server, people
):
    from pressbox.posts.models import Post, PostRevision

    context = context_factory()
    page = context.new_page()
    log_in(page, live_server, "umer")
    new_post(page, "Grip work", "Dead hangs.")
    status = page.get_by_role("status").filter(has_text="Saved at")
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=8000)
    post = Post.objects.get(title="Grip work")
    expect(page).to_have_url(f"{live_server.url}/dashboard/posts/{post.pk}/edit/")

    page.get_by_label("Body", exact=True).fill("Dead hangs, then farmer's walks.")
    deadline = time.time() + 8
    while not PostRevision.objects.filter(post=post, kind="autosave").exists():
        assert time.time() < deadline, "no autosave revision within 8 s"
        time.sleep(0.2)
    revision = PostRevision.objects.get(post=post, kind="autosave")
    assert revision.body == "Dead hangs, then farmer's walks."
    assert Post.objects.get(pk=post.pk).body == "Dead hangs."

    context.clear_cookies()
    page.get_by_label("Body", exact=True).fill("Dead hangs, farmer's walks, towel pull-ups.")
    expect(page.locator("#autosave-status")).to_contain_text(
        "Your session has expired — log in in another tab; your text is kept here.",
        timeout=8000,
    )
    other_tab = context.new_page()
    log_in(other_tab, live_server, "umer")
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"^Saved at \d\d:\d\d$"), timeout=8000
    )
    revision.refresh_from_db()
    assert revision.body == "Dead hangs, farmer's walks, towel pull-ups."


def test_text_kept_in_the_browser_is_offered_back_after_a_failed_autosave(
    page, live_server, people
):
    from pressbox.posts.models import Post
    from pressbox.posts.services import Action, PostData, post_save

    post = post_save(
        post=Post(), data=PostData(title="Mobility", body="Saved."), by=people["umer"],
        action=Action.SAVE,
    )  # fmt: skip
    log_in(page, live_server, "umer")
    page.route("**/autosave/", lambda route: route.abort())  # the network is gone
    page.goto(f"{live_server.url}/dashboard/posts/{post.pk}/edit/")
    page.get_by_label("Body", exact=True).fill("Typed while offline.")
    expect(page.locator("#autosave-status")).to_contain_text("no connection", timeout=8000)

    page.unroute("**/autosave/")
    page.route("**/autosave/", lambda route: route.abort())
    page.reload()
    expect(page.get_by_label("Body", exact=True)).to_have_value("Saved.")
    page.get_by_role("button", name="Restore the autosaved version").click()
    expect(page.get_by_label("Body", exact=True)).to_have_value("Typed while offline.")


def test_the_live_preview_follows_the_text(page, live_server, people, artifacts):
    from pressbox.posts.factories import CategoryFactory

    CategoryFactory(name="Training", slug="training")
    CategoryFactory(name="Mobility", slug="mobility", parent=CategoryFactory(name="Health"))
    log_in(page, live_server, "umer")
    new_post(page, "Box squats", "Sit *back* to the box.\n\n- Pause\n- Drive up\n")
    page.get_by_label("Mobility").check()
    page.get_by_role("button", name="Show live preview").click()
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator("h1.entry-title")).to_have_text("Box squats")
    expect(frame.locator(".entry-content em")).to_have_text("back")
    expect(frame.locator(".posted-in")).to_contain_text("Mobility")

    page.get_by_label("Body", exact=True).fill("Sit *back* to the box, then **drive**.")
    expect(frame.locator(".entry-content strong")).to_have_text("drive")
    page.screenshot(path=artifacts / "dashboard-editor-preview-1280.png", full_page=True)
    autosaved(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_and_the_list_look_right(
    context_factory, live_server, people, artifacts, scheme
):
    from pressbox.posts.factories import CategoryFactory, PostFactory
    from pressbox.posts.models import Post

    CategoryFactory(name="Training", slug="training")
    CategoryFactory(name="Mobility", slug="mobility", parent=CategoryFactory(name="Health"))
    for n, status in enumerate(["published", "draft", "pending", "published"]):
        PostFactory(title=f"Session {n}", status=status, authors=[people["umer"]])
    page = context_factory(color_scheme=scheme).new_page()
    log_in(page, live_server, "umer")
    page.goto(f"{live_server.url}/dashboard/posts/")
    page.screenshot(path=artifacts / f"dashboard-posts-{scheme}-1280.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    page.goto(f"{live_server.url}/dashboard/posts/{Post.objects.get(title='Session 1').pk}/edit/")
    page.get_by_label("SEO description").fill("What to do on a session day.")
    page.screenshot(path=artifacts / f"dashboard-editor-{scheme}-1280.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text("The post is not saved yet.")
    page.screenshot(path=artifacts / f"dashboard-editor-error-{scheme}-1280.png", full_page=True)
    autosaved(page)


def test_two_people_saving_the_same_post_are_told_of_the_conflict(
    page, live_server, people, artifacts
):
    from pressbox.posts.models import Post
    from pressbox.posts.services import Action, PostData, post_save

    post = post_save(
        post=Post(), data=PostData(title="Warm-up", body="Jog.\nStretch."), by=people["umer"],
        action=Action.SAVE,
    )  # fmt: skip
    log_in(page, live_server, "umer")
    page.goto(f"{live_server.url}/dashboard/posts/{post.pk}/edit/")
    page.get_by_label("Body", exact=True).fill("Jog.\nStretch.\nSkip rope.")
    data = PostData(title="Warm-up", body="Jog.\nMobility drills.")
    post_save(post=post, data=data, by=people["eddie"], action=Action.SAVE)
    page.get_by_role("button", name="Save draft").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Eddie Fox saved this post while you were editing")
    expect(alert.locator(".diff-removed")).to_contain_text("Mobility drills.")
    expect(page.get_by_label("Body", exact=True)).to_have_value("Jog.\nStretch.\nSkip rope.")
    page.screenshot(path=artifacts / "dashboard-editor-conflict-1280.png", full_page=True)
    assert Post.objects.get(pk=post.pk).body == "Jog.\nMobility drills."

    page.get_by_role("button", name="Save mine anyway").click()
    expect(saved_message(page)).to_contain_text("Draft saved.")
    assert Post.objects.get(pk=post.pk).body == "Jog.\nStretch.\nSkip rope."
