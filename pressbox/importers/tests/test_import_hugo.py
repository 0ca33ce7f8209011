"""`pressbox import_markdown DIR` on a Hugo site, read as it is."""

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
def hugo(tmp_path):
    """data/hugo: 3 published posts (one a page bundle, one in content/post/), 1 draft,
    1 page, a section list and a bundle resource that are not posts."""
    return shutil.copytree(DATA / "hugo", tmp_path / "hugo")


def run(folder) -> str:
    out = io.StringIO()
    call_command("import_markdown", str(folder), stdout=out)
    return out.getvalue()


def test_a_hugo_site_imports_its_posts_pages_and_authors(hugo):
    output = run(hugo)
    assert output.splitlines()[-1] == (
        "Imported 4 posts (4 new, 0 updated), 2 authors, 1 page, 4 redirects."
    )
    assert set(Post.objects.values_list("slug", flat=True)) == {
        "first-light",
        "rest-days",  # the bundle's folder names it
        "unfinished",
        "legacy-notes",
    }
    assert Page.objects.get().menu_order == 2  # Hugo's weight


def test_toml_and_yaml_dates_and_lastmod_are_read_in_their_zones(hugo):
    run(hugo)
    first = Post.objects.get(slug="first-light")
    assert first.published_at == datetime(2021, 4, 3, 7, tzinfo=UTC)
    assert first.updated_at == datetime(2021, 4, 10, 12, tzinfo=UTC)
    assert Post.objects.get(slug="rest-days").published_at == datetime(2021, 5, 10, 16, tzinfo=UTC)


def test_a_draft_is_imported_but_not_shown(client, hugo):
    run(hugo)
    assert Post.objects.get(slug="unfinished").status == Post.Status.DRAFT
    assert client.get("/2021/06/unfinished/").status_code == 404


def test_taxonomies_authors_and_description_are_kept(client, hugo):
    run(hugo)
    first = Post.objects.get(slug="first-light")
    assert set(first.categories.values_list("name", flat=True)) == {"Running", "Easy runs"}
    assert set(first.tags.values_list("name", flat=True)) == {"dawn", "canal"}
    assert first.seo_description == "Why an easy run before sunrise sets up the whole day."
    legacy = Post.objects.get(slug="legacy-notes")
    assert [a.username for a in legacy.authors.order_by("post_authorships__position")] == [
        "kim",
        "jane-doe",
    ]
    assert User.objects.get(username="jane-doe").display_name == "Jane Doe"
    page = client.get("/2021/04/first-light/").content.decode()
    assert "Jane Doe" in page


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/old/first-light/", "/2021/04/first-light/"),  # aliases
        ("/blog/2021/first-light-on-the-canal-path/", "/2021/04/first-light/"),  # permalinks
        ("/blog/2021/rest-days-are-training-days/", "/2021/05/rest-days/"),
        ("/legacy-page.html", "/2020/11/legacy-notes/"),  # url
    ],
)
def test_old_addresses_answer_301_to_the_post(client, hugo, old, new):
    run(hugo)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_the_figure_shortcode_is_an_image_with_its_caption_and_others_stay_text(client, hugo):
    run(hugo)
    page = client.get("/2021/04/first-light/").content.decode()
    assert select_one(page, "img", alt="A misty towpath", src="/images/towpath.jpg").inside(
        "figure"
    )
    assert select_one(page, "figcaption").text == "The canal at 6:40"
    assert "distance_km" in select_one(page, "code", class_="language-yaml").text
    assert "{{&lt; youtube dQw4w9WgXcQ &gt;}}" in page
    assert "haven’t" in page  # typography as for our own folders


def test_importing_the_site_again_updates_and_never_duplicates(hugo):
    run(hugo)
    path = hugo / "content" / "posts" / "first-light.md"
    path.write_text(path.read_text().replace("slowest run", "easiest run"))
    output = run(hugo)
    assert "Imported 4 posts (0 new, 4 updated)" in output
    assert "the easiest run of my week" in Post.objects.get(slug="first-light").body_html
    counts = (Post, Page, User, Category, Tag, PostAuthor, Redirect)
    assert [model.objects.count() for model in counts] == [4, 1, 2, 3, 3, 4, 4]


def test_bad_toml_front_matter_is_one_sentence_naming_the_file(hugo):
    (hugo / "content" / "posts" / "broken.md").write_text('+++\ntitle = "Unclosed\n+++\nBody\n')
    with pytest.raises(CommandError) as error:
        run(hugo)
    assert str(error.value).startswith(
        "content/posts/broken.md: the front matter is not valid TOML at line 2"
    )
    assert "\n" not in str(error.value)
    assert Post.objects.count() == 0


def test_a_draft_flag_that_is_not_true_or_false_is_refused(hugo):
    (hugo / "content" / "posts" / "odd.md").write_text("---\ntitle: Odd\ndraft: maybe\n---\n")
    with pytest.raises(CommandError, match=r"^content/posts/odd\.md: draft must be true or false"):
        run(hugo)
