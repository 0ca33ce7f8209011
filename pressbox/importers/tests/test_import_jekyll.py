"""`pressbox import_markdown DIR` on a Jekyll site, read as it is."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pressbox.accounts.models import User
from pressbox.lib.tests.html import select_one
from pressbox.posts.models import Category, Page, Post, PostAuthor, Redirect, Tag

DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def jekyll(tmp_path):
    """data/jekyll: 2 published posts, 1 unpublished, 1 in _drafts/, an About page, and
    an index.md and a README.md that are not pages."""
    return shutil.copytree(DATA / "jekyll", tmp_path / "jekyll")


def run(folder) -> str:
    out = io.StringIO()
    call_command("import_markdown", str(folder), stdout=out)
    return out.getvalue()


def test_a_jekyll_site_imports_its_posts_drafts_pages_and_authors(jekyll):
    output = run(jekyll)
    assert output.splitlines()[-1] == (
        "Imported 4 posts (4 new, 0 updated), 2 authors, 1 page, 3 redirects."
    )
    statuses = dict(Post.objects.values_list("slug", "status"))
    assert statuses == {
        "welcome-to-the-gym": "published",
        "deadlift-day": "published",
        "cold-showers": "draft",  # published: false
        "protein-myths": "draft",  # _drafts/
    }
    assert list(Page.objects.values_list("slug", "title")) == [("about", "About")]


def test_dates_come_from_front_matter_with_their_offset_or_from_the_file_name(jekyll):
    run(jekyll)
    welcome = Post.objects.get(slug="welcome-to-the-gym")
    assert welcome.published_at == datetime(2019, 8, 15, 16, 30, tzinfo=UTC)
    cold = Post.objects.get(slug="cold-showers")
    assert cold.published_at == datetime(2019, 9, 1, tzinfo=UTC)


def test_space_separated_categories_and_tags_and_excerpt_are_read(jekyll):
    run(jekyll)
    welcome = Post.objects.get(slug="welcome-to-the-gym")
    assert set(welcome.categories.values_list("slug", flat=True)) == {"training", "notes"}
    assert welcome.excerpt == "Where to start when every machine looks the same."
    deadlift = Post.objects.get(slug="deadlift-day")
    assert set(deadlift.tags.values_list("name", flat=True)) == {"deadlift", "strength"}


def test_authors_come_from_the_data_file_or_from_the_name_given(client, jekyll):
    run(jekyll)
    ana = User.objects.get(username="ana")
    assert (ana.email, ana.display_name, ana.profile.website) == (
        "ana@example.org",
        "Ana Ruiz",
        "https://ana.example",
    )
    ben = Post.objects.get(slug="deadlift-day").authors.get()
    assert (ben.username, ben.display_name) == ("ben-okoro", "Ben Okoro")
    assert not ben.has_usable_password()
    assert "Ana Ruiz" in client.get("/2019/08/welcome-to-the-gym/").content.decode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/training/notes/2019/08/15/welcome-to-the-gym/", "/2019/08/welcome-to-the-gym/"),
        ("/welcome.html", "/2019/08/welcome-to-the-gym/"),  # redirect_from
        ("/lifts/deadlift/", "/2019/10/deadlift-day/"),  # permalink
    ],
)
def test_old_addresses_answer_301_to_the_post(client, jekyll, old, new):
    run(jekyll)
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_highlight_blocks_become_code_and_other_liquid_tags_stay_text(client, jekyll):
    run(jekyll)
    page = client.get("/2019/08/welcome-to-the-gym/").content.decode()
    assert '"3 x 8"' in select_one(page, "code", class_="language-python").text
    assert "{% include signup.html %}" in page


def test_importing_the_site_again_updates_and_never_duplicates(jekyll):
    run(jekyll)
    path = jekyll / "_posts" / "2019-10-02-deadlift-day.md"
    path.write_text(path.read_text().replace("Then do it again.", "Then rest."))
    output = run(jekyll)
    assert "Imported 4 posts (0 new, 4 updated)" in output
    assert "Then rest." in Post.objects.get(slug="deadlift-day").body_html
    counts = (Post, Page, User, Category, Tag, PostAuthor, Redirect)
    assert [model.objects.count() for model in counts] == [4, 1, 2, 3, 4, 2, 3]


def test_bad_yaml_front_matter_is_one_sentence_naming_the_file(jekyll):
    (jekyll / "_posts" / "2020-01-01-broken.md").write_text("---\ntitle: [oops\n---\nBody\n")
    with pytest.raises(CommandError) as error:
        run(jekyll)
    message = str(error.value)
    assert message.startswith("_posts/2020-01-01-broken.md: the front matter is not valid YAML")
    assert "\n" not in message
    assert Post.objects.count() == 0


def test_a_bad_email_in_the_authors_data_file_is_refused(jekyll):
    (jekyll / "_data" / "authors.yml").write_text("ana:\n  email: not-an-address\n")
    with pytest.raises(CommandError, match=r"^_data/authors\.yml: email 'not-an-address' of "):
        run(jekyll)
