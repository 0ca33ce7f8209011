"""`pressbox import_markdown DIR`: a content folder becomes posts, pages and authors."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from PIL import Image

from pressbox.accounts.factories import UserFactory
from pressbox.accounts.models import User
from pressbox.posts.models import Category, Page, Post, PostAuthor, Tag

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(django_settings.BASE_DIR).parent.parent / "shared" / "content" / "seed-site"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def site_dir(tmp_path):
    """A writable copy of data/site: 2 authors, 3 posts, 1 page."""
    return shutil.copytree(DATA / "site", tmp_path / "site")


def run(folder, stdout=None) -> str:
    out = stdout or io.StringIO()
    call_command("import_markdown", str(folder), stdout=out)
    return out.getvalue()


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.skipif(not SEED.is_dir(), reason=f"the seed content folder is not at {SEED}")
def test_seed_post_reads_like_the_seed_page(client):
    run(SEED)
    response = client.get("/2018/03/benefits-of-acupuncture-on-your-back/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "Benefits of Acupuncture on your Back</h1>" in page
    assert "Posted on" in page
    assert re.search(r'<time[^>]*datetime="2018-03-14T10:00:00\+00:00"', page)
    assert re.search(r'<a [^>]*href="/category/social/"[^>]*>Social</a>', page)
    assert "I didn’t warm up or stretch – a good reason" in page
    benefits = re.search(r"Other Benefits:</p>\s*<ul>(.*?)</ul>", page, re.S)
    assert benefits and benefits.group(1).count("<li>") == 6
    assert re.search(r"By: <a [^>]*>Umer’s Fitness</a>", page)  # typography as on the seed
    assert "I am an avid gym enthusiast" in page
    assert "Leave a Reply" in page


def test_first_import_reports_what_it_imported(site_dir):
    output = run(site_dir)
    assert "Imported 3 posts (3 new, 0 updated), 2 authors, 1 page." in output
    assert Post.objects.count() == 3 and Page.objects.count() == 1


def test_importing_the_same_folder_again_updates_instead_of_duplicating(site_dir):
    run(site_dir)
    output = run(site_dir)
    assert "Imported 3 posts (0 new, 3 updated), 2 authors, 1 page." in output
    assert (Post.objects.count(), Page.objects.count(), User.objects.count()) == (3, 1, 2)
    assert (Category.objects.count(), Tag.objects.count(), PostAuthor.objects.count()) == (
        3,
        2,
        4,
    )


def test_an_edited_file_updates_the_post_it_came_from(client, site_dir):
    run(site_dir)
    path = site_dir / "posts" / "first-steps.md"
    path.write_text(path.read_text().replace("title: First Steps", "title: Very First Steps"))
    run(site_dir)
    assert "Very First Steps</h1>" in client.get("/2020/06/first-steps/").content.decode()
    assert Post.objects.filter(slug="first-steps").count() == 1


def test_co_authors_show_in_file_order_with_bios_and_avatars(client, site_dir):
    run(site_dir)
    page = client.get("/2020/06/first-steps/").content.decode()
    byline = page[page.index('class="byline"') :]
    assert byline.index("Ben Adeyemi") < byline.index("Ana Ruiz")
    assert "Ana lifts in the <em>morning</em> and writes at night." in page
    assert "Ben’s bio, short and to the point." in page
    assert re.search(r'<img class="avatar[^"]*" src="/media/avatars/ana-[0-9a-f]{12}\.png"', page)


def test_avatar_is_copied_once_and_replaced_when_the_image_changes(
    site_dir, settings, django_capture_on_commit_callbacks
):
    avatars = Path(settings.MEDIA_ROOT) / "avatars"
    with django_capture_on_commit_callbacks(execute=True):
        run(site_dir)
        run(site_dir)
    first = User.objects.get(username="ana").profile.avatar.name
    assert [p.name for p in avatars.iterdir()] == [Path(first).name]

    Image.new("RGB", (16, 16), (0, 90, 200)).save(site_dir / "images" / "ana.png")
    with django_capture_on_commit_callbacks(execute=True):
        run(site_dir)
    second = User.objects.get(username="ana").profile.avatar.name
    assert second != first
    assert [p.name for p in avatars.iterdir()] == [Path(second).name]


def test_published_post_dated_in_the_future_is_scheduled_and_not_yet_shown(client, site_dir):
    write(site_dir, "posts/soon.md", "---\ntitle: Soon\ndate: 2999-01-01\n---\nLater.\n")
    run(site_dir)
    assert Post.objects.get(slug="soon").status == Post.Status.SCHEDULED
    assert client.get("/2999/01/soon/").status_code == 404


def test_updated_date_comes_from_front_matter_or_else_from_the_date(site_dir):
    run(site_dir)
    first, closed = Post.objects.get(slug="first-steps"), Post.objects.get(slug="closed")
    assert first.published_at == datetime(2020, 6, 1, 9, tzinfo=UTC)
    assert first.updated_at == datetime(2020, 6, 15, 9, tzinfo=UTC)
    assert closed.updated_at == closed.published_at == datetime(2020, 7, 1, 8, tzinfo=UTC)


def test_a_category_path_builds_a_tree_whose_parent_lists_the_post(client, site_dir):
    run(site_dir)
    assert Category.objects.get(slug="strength").parent == Category.objects.get(slug="training")
    assert "First Steps" in client.get("/category/training/strength/").content.decode()
    assert "First Steps" in client.get("/category/training/").content.decode()


def test_a_draft_is_imported_but_not_published(client, site_dir):
    run(site_dir)
    draft = Post.objects.get(slug="a-draft")  # slug from the file name, date prefix dropped
    assert draft.status == Post.Status.DRAFT
    assert client.get("/2019/05/a-draft/").status_code == 404


def test_closed_comments_show_no_reply_form(client, site_dir):
    run(site_dir)
    page = client.get("/2020/07/closed/").content.decode()
    assert "Comments are closed." in page
    assert "Leave a Reply" not in page


def test_a_page_is_served_at_its_slug_and_listed_in_the_menu(client, site_dir):
    run(site_dir)
    assert "We write about lifting." in client.get("/about/").content.decode()
    assert re.search(r'<a href="/about/"[^>]*>About Us</a>', client.get("/").content.decode())


def test_a_post_may_name_an_author_who_already_has_an_account(site_dir):
    UserFactory(username="editor")
    write(site_dir, "posts/by-editor.md", "---\ntitle: By Editor\nauthors: [editor]\n---\nHi.\n")
    run(site_dir)
    assert Post.objects.get(slug="by-editor").authors.get().username == "editor"


BAD_INPUT = {
    "invalid YAML": (
        "posts/broken.md",
        "---\ntitle: [unclosed\n---\nBody.\n",
        r"^posts/broken\.md: the front matter is not valid YAML at line \d+",
    ),
    "no front matter": (
        "posts/plain.md",
        "Just text.\n",
        r"^posts/plain\.md does not start with YAML front matter",
    ),
    "missing title": (
        "posts/untitled.md",
        "---\ndate: 2020-01-01\n---\nBody.\n",
        r"^posts/untitled\.md has no title\.$",
    ),
    "unknown author": (
        "posts/ghost.md",
        "---\ntitle: Ghost\nauthors: [ana, ghost]\n---\nBoo.\n",
        r"^posts/ghost\.md names the author 'ghost', who has no authors/ghost\.md file "
        r"and no account on this site\.$",
    ),
    "bad date": (
        "posts/baddate.md",
        "---\ntitle: Bad date\ndate: 2018-13-45\n---\nBody.\n",
        r"^posts/baddate\.md: date '2018-13-45' is not a date such as 2018-03-14",
    ),
    "bad status": (
        "posts/pending.md",
        "---\ntitle: Pending\nstatus: pending\n---\nBody.\n",
        r"^posts/pending\.md: status must be draft or published, not 'pending'\.$",
    ),
    "avatar that is not an image": (
        "images/ana.png",
        "not a picture",
        r"^authors/ana\.md: avatar 'images/ana\.png' is not an image Pillow can read\.$",
    ),
    "two posts with one slug": (
        "posts/again.md",
        "---\ntitle: Again\nslug: first-steps\n---\nBody.\n",
        r"^posts/again\.md and posts/first-steps\.md have the same slug, 'first-steps'\.$",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_a_bad_file_stops_the_import_with_one_sentence_and_imports_nothing(site_dir, case):
    name, text, message = case
    write(site_dir, name, text)
    with pytest.raises(CommandError, match=message) as error:
        run(site_dir)
    assert "\n" not in str(error.value)
    assert (Post.objects.count(), Page.objects.count(), User.objects.count()) == (0, 0, 0)


def test_a_missing_folder_is_reported(tmp_path):
    with pytest.raises(CommandError, match=r"^There is no folder at .*/missing\.$"):
        run(tmp_path / "missing")


def test_a_folder_without_posts_is_not_a_content_folder(tmp_path):
    with pytest.raises(CommandError, match=r"has no posts/ folder, so it is not a content"):
        run(tmp_path)


def test_progress_is_one_plain_line_per_file_when_not_on_a_terminal(site_dir):
    lines = run(site_dir).splitlines()
    assert lines[:3] == [
        "1/6 authors/ana.md",
        "2/6 authors/ben.md",
        "3/6 posts/2019-05-01-a-draft.md",
    ]
    assert lines[-2] == "6/6 pages/about.md"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_redrawn_in_place_on_a_terminal(site_dir):
    output = run(site_dir, stdout=Terminal())
    assert "\r[#####" in output
    assert "\r[" + "#" * 30 + "] 6/6\n" in output
    assert "authors/ana.md" not in output


def test_the_command_line_exits_non_zero_with_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env["PRESSBOX_DATA_DIR"] = str(tmp_path / "data")
    pressbox = str(Path(sys.executable).parent / "pressbox")
    result = subprocess.run(
        [pressbox, "import_markdown", str(tmp_path / "nowhere")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == f"CommandError: There is no folder at {tmp_path / 'nowhere'}."


def test_a_failure_partway_through_leaves_the_database_as_it_was(site_dir, monkeypatch):
    from pressbox.importers.markdown import load

    def fail(data):
        raise load.ContentError(f"{data.source} broke.")

    monkeypatch.setattr(load, "page_load", fail)  # pages are written last
    with pytest.raises(CommandError, match=r"^pages/about\.md broke\.$"):
        run(site_dir)
    assert (Post.objects.count(), User.objects.count(), Category.objects.count()) == (0, 0, 0)
