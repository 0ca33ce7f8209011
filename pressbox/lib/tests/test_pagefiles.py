"""Cached pages as files for nginx (pressbox/lib/pagefiles.py, issue 7).

tests/nginx/ puts a real nginx in front; here, what lands on disk and when it goes.
"""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from django_tasks_db.models import DBTaskResult

from pressbox.comments.factories import CommentFactory
from pressbox.comments.models import Comment
from pressbox.lib import pagecache, pagefiles
from pressbox.lib.compression import decompress
from pressbox.lib.env import ConfigError
from pressbox.posts.factories import PostFactory
from pressbox.posts.models import Post
from pressbox.tasks import page_files_expire
from pressbox.urls import urlpatterns as site_urls

URL = "/2024/05/knees/"


@pytest.fixture
def pages(settings, tmp_path):
    settings.PRESSBOX_PAGE_CACHE_DIR = pagefiles.configured(
        "PRESSBOX_PAGE_CACHE_DIR", str(tmp_path / "pages"), data_dir=tmp_path / "data"
    )
    return settings.PRESSBOX_PAGE_CACHE_DIR


@pytest.fixture
def post(site_settings, pages):
    return PostFactory(
        title="Stronger Knees", slug="knees", published_at=datetime(2024, 5, 14, tzinfo=UTC)
    )


def files(root: Path) -> set[str]:
    """Every page file, relative to the directory (Pressbox's own folder left out)."""
    found = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != pagefiles.OWN]
        found |= {str((Path(folder) / name).relative_to(root)) for name in names}
    return found


def test_a_cached_page_is_written_with_its_compressed_copies(client, post, pages):
    response = client.get(URL)
    assert response["X-Cache"] == "MISS"
    folder = pages / "2024" / "05" / "knees"
    assert (folder / "index.html").read_bytes() == response.content
    assert decompress((folder / "index.html.gz").read_bytes(), "gzip") == response.content
    assert decompress((folder / "index.html.br").read_bytes(), "br") == response.content
    assert files(pages) == {f"2024/05/knees/index.html{s}" for s in ("", ".gz", ".br")}
    for name in ("index.html", "index.html.gz", "index.html.br"):
        assert (folder / name).stat().st_mode & 0o777 == 0o644  # nginx's user reads them
    times = {(folder / name).stat().st_mtime for name in os.listdir(folder)}
    assert len(times) == 1  # nginx's ETag and Last-Modified agree across encodings


def test_the_home_page_is_index_html_at_the_top(client, post, pages):
    client.get("/")
    assert (pages / "index.html").read_bytes() == client.get("/").content


@pytest.mark.parametrize(
    "url",
    ["/?s=knees", "/feed/", "/2024/05/nothing-here/", "/2024/05/knees", "/dashboard/"],
)
def test_only_html_pages_without_a_query_string_become_files(client, post, pages, url):
    client.get(url)
    assert files(pages) == set()


def test_signed_in_users_and_held_comment_links_write_no_file(client, post, pages, author):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Held for now")
    query = {"unapproved": comment.pk, "moderation-hash": comment.moderation_hash()}
    assert "Held for now" in client.get(URL, query_params=query).text
    client.force_login(author)
    client.get(URL)
    assert files(pages) == set()


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("/", ""),
        ("/2024/05/knees/", "2024/05/knees"),
        ("/category/fitness/page/2/", "category/fitness/page/2"),
        ("/tag/v1.2_x~y-z/", "tag/v1.2_x~y-z"),
        ("/2024/05/knees", None),  # no trailing slash: nginx would look elsewhere
        ("/a/../../etc/", None),
        ("/a/./b/", None),
        ("/.pressbox/", None),
        ("/a//b/", None),
        ("/caf%C3%A9/", None),  # percent-escapes: nginx decodes them first
        ("/café/", None),
        ("/a b/", None),
        ("/a\\b/", None),
        ("/a;b/", None),
        ("/" + "x" * 201 + "/", None),
        ("/" + "x/" * 21, None),
        ("/\x00/", None),
        ("relative/", None),
    ],
)
def test_only_plain_paths_map_to_a_folder(url, folder):
    assert pagefiles.relative_dir(url) == folder


def test_an_edit_deletes_the_files_and_the_next_visit_writes_the_new_version(client, post, pages):
    client.get(URL)
    client.get("/")
    assert len(files(pages)) == 6
    post.title = "Even Stronger Knees"
    post.save()
    assert files(pages) == set()  # before the save returns
    response = client.get(URL)
    assert "Even Stronger Knees" in (pages / "2024/05/knees/index.html").read_text()
    assert response["X-Cache"] == "MISS"


def test_approving_a_comment_deletes_the_files(client, post, pages):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Now approved")
    client.get(URL)
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert files(pages) == set()
    client.get(URL)
    assert "Now approved" in (pages / "2024/05/knees/index.html").read_text()


def racing_view(request):
    """Renders the old page, and a change lands before the page is stored."""
    html = f"<!doctype html><title>{Post.objects.get().title}</title>" + "x" * 500
    Post.objects.update(title="Renamed Meanwhile")
    pagecache.bump()
    return HttpResponse(html)


urlpatterns = [path("racing/", racing_view), *site_urls]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_rendered_before_a_change_never_lands_after_it(client, post, pages):
    response = client.get("/racing/")
    assert "Stronger Knees" in response.text  # the reader got the page of that moment...
    assert files(pages) == set()  # ...but nginx will not serve it to anyone else
    assert "Renamed Meanwhile" in client.get("/racing/").text


def test_a_writer_that_lost_the_race_to_an_invalidation_writes_nothing(client, post, pages):
    generation = pagecache.current_generation()
    pagecache.bump()
    written = pagefiles.write(
        URL, generation=generation, version=client_version(), bodies={"": b"old"}
    )
    assert written is False and files(pages) == set()
    assert list((pages / pagefiles.OWN / "tmp").iterdir()) == []  # nothing left behind


def client_version():
    return pagecache.deploy_version()


def test_no_two_versions_of_a_page_share_a_modification_time(client, post, pages):
    with time_machine.travel(datetime(2025, 1, 1, 9, tzinfo=UTC), tick=False):
        times = []
        for title in ("One", "Two", "Three"):  # all within one second
            post.title = title
            post.save()
            client.get(URL)
            times.append((pages / "2024/05/knees/index.html").stat().st_mtime)
    assert times == sorted(set(times))  # nginx's ETag and Last-Modified change each time


def test_a_page_whose_file_is_missing_is_written_again_on_a_hit(client, post, pages):
    client.get(URL)
    for name in list((pages / "2024/05/knees").iterdir()):
        name.unlink()
    assert client.get(URL)["X-Cache"] == "HIT"
    assert files(pages) == {f"2024/05/knees/index.html{s}" for s in ("", ".gz", ".br")}


def test_a_new_deploy_empties_the_directory_when_its_first_worker_starts(client, post, pages):
    client.get(URL)
    pagefiles.claim(pagecache.deploy_version())  # the same deploy: kept
    assert files(pages)
    pagefiles.claim("another-deploy")
    assert files(pages) == set()


def test_a_directory_behind_the_cache_is_emptied_by_the_next_writer(client, post, pages):
    """A change made by a process without PRESSBOX_PAGE_CACHE_DIR: the generation moved
    but the files stayed; the next page written empties the directory first."""
    client.get(URL)
    client.get("/")
    with override_settings(PRESSBOX_PAGE_CACHE_DIR=None):
        post.title = "Changed Elsewhere"
        post.save()
    assert files(pages)  # stale, until:
    client.get("/2024/")
    assert files(pages) == {f"2024/index.html{s}" for s in ("", ".gz", ".br")}


def test_the_directory_cannot_be_the_data_dir_or_hold_other_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with pytest.raises(ConfigError, match="PRESSBOX_PAGE_CACHE_DIR.*data directory"):
        pagefiles.configured("PRESSBOX_PAGE_CACHE_DIR", str(data), data_dir=data)
    with pytest.raises(ConfigError, match="PRESSBOX_PAGE_CACHE_DIR.*data directory"):
        pagefiles.configured("PRESSBOX_PAGE_CACHE_DIR", str(tmp_path), data_dir=data)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="already holds other files"):
        pagefiles.configured("PRESSBOX_PAGE_CACHE_DIR", str(tmp_path / "other"), data_dir=data)
    assert pagefiles.configured("PRESSBOX_PAGE_CACHE_DIR", "", data_dir=data) is None


def test_a_bad_directory_stops_start_up_naming_the_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    (tmp_path / "a-file").write_text("not a directory")
    env.update(
        PRESSBOX_DATA_DIR=str(tmp_path / "data"),
        PRESSBOX_PAGE_CACHE_DIR=str(tmp_path / "a-file" / "pages"),
    )
    pressbox = Path(sys.executable).parent / "pressbox"
    result = subprocess.run(
        [str(pressbox), "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("pressbox: PRESSBOX_PAGE_CACHE_DIR is ")
    assert "cannot be created" in result.stderr and "Traceback" not in result.stderr


# Scheduled posts ----------------------------------------------------------------------


def test_a_scheduled_post_queues_a_task_that_deletes_the_files_at_its_time(client, post, pages):
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    due = start + timedelta(hours=2)
    with time_machine.travel(start, tick=False):
        PostFactory(title="Tomorrow's Squats", status=Post.Status.SCHEDULED, published_at=due)
        client.get("/")
        client.get("/")  # nginx would answer from the file from now on
        assert "Tomorrow" not in (pages / "index.html").read_text()
        queued = DBTaskResult.objects.get(task_path=page_files_expire.module_path)
        assert (queued.status, queued.run_after) == ("READY", due)
        client.get(URL)  # more pages: still one task
        assert DBTaskResult.objects.filter(task_path=page_files_expire.module_path).count() == 1
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        page_files_expire.call()  # as the worker of `pressbox serve` does at that time
        assert files(pages) == set()
        client.get("/")
        assert "Tomorrow" in (pages / "index.html").read_text()


def test_no_task_is_queued_without_page_files(client, site_settings):
    PostFactory(status=Post.Status.SCHEDULED, published_at=datetime(2099, 1, 1, tzinfo=UTC))
    client.get("/")
    assert not DBTaskResult.objects.filter(task_path=page_files_expire.module_path).exists()
