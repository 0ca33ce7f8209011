"""Importers: bring a blog's content in from elsewhere, idempotently.

`markdown_import` reads a content folder (DESIGN.md, "Content folder") and writes it in
one transaction, so a bad file imports nothing. `demo_load` builds the demo site that
`make run` serves: the folder in `importers/demo/`, loaded the same way, plus comments,
which are not part of the folder format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from pressbox.accounts.models import User
from pressbox.comments.models import Comment
from pressbox.importers.markdown.load import ImportSummary, Progress, folder_load
from pressbox.importers.markdown.parse import ContentError, read_folder
from pressbox.importers.wordpress.catalog import catalog_read
from pressbox.importers.wordpress.load import Progress as WxrProgress
from pressbox.importers.wordpress.load import WxrLoader
from pressbox.importers.wordpress.summary import WxrSummary
from pressbox.posts.models import Post, SiteSettings

__all__ = ["ContentError", "DemoSummary", "ImportSummary", "demo_load", "markdown_import"]

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_TITLE = "Iron & Oats"
DEMO_TAGLINE = "Lift heavy, eat well, and rest like you mean it."


def markdown_import(*, source: Path, progress: Progress | None = None) -> ImportSummary:
    """Import the content folder at `source`; raises ContentError and writes nothing
    when any file in it is wrong."""
    folder = read_folder(Path(source))
    with transaction.atomic():
        summary = folder_load(folder, progress=progress)
    return summary


@dataclass(frozen=True)
class DemoComment:
    key: str
    post: str  # the post's slug
    reply_to: str | None
    name: str
    email: str
    hours_later: int
    body: str
    username: str | None = None  # a reply by one of the post's authors


DEMO_COMMENTS = [
    DemoComment(
        "1", "two-coaches-one-squat", None, "Priya N.", "priya@example.net", 5,
        "The tripod-foot cue fixed my knees caving in. Three sessions and it already "
        "feels like a different lift.",
    ),
    DemoComment(
        "2", "two-coaches-one-squat", "1", "Maya Okafor", "maya@example.org", 7,
        "That's the one we see click fastest. Keep the weight modest for a few weeks "
        "while it becomes automatic.",
        username="maya",
    ),
    DemoComment(
        "3", "two-coaches-one-squat", "2", "Priya N.", "priya@example.net", 9,
        "Will do -- holding at 60 kg until the end of the month.",
    ),
    DemoComment(
        "4", "two-coaches-one-squat", None, "Dev Brennan", "dev.b@example.net", 26,
        "Box squats or pause squats for someone coming back from a knee niggle?",
    ),
    DemoComment(
        "5", "two-coaches-one-squat", "4", "Tomás Lindqvist", "tomas@example.org", 30,
        "Pause squats, to a height that doesn't hurt. The box takes away the part "
        "you're trying to rebuild.",
        username="tomas",
    ),
    DemoComment(
        "6", "overnight-oats-three-ways", None, "Jo Keller", "jo.k@example.net", 12,
        "Made the peanut butter version for the whole week. My 6 a.m. self is grateful.",
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    content: ImportSummary
    comments_created: int

    def __str__(self) -> str:
        return (
            f"Demo site loaded. {self.content} "
            f"{len(DEMO_COMMENTS)} comments ({self.comments_created} new)."
        )


def demo_load(*, if_empty: bool = False) -> DemoSummary | None:
    """Load the demo site (again: it updates, never duplicates); None when `if_empty`
    and the blog already has posts."""
    if if_empty and Post.objects.exists():
        return None
    with transaction.atomic():
        content = markdown_import(source=DEMO_DIR)
        comments = sum(_demo_comment_save(c) for c in DEMO_COMMENTS)
        site = SiteSettings.load()
        site.title, site.tagline = DEMO_TITLE, DEMO_TAGLINE
        site.save()
    return DemoSummary(content=content, comments_created=comments)


def _demo_comment_save(data: DemoComment) -> bool:
    """Create or update one approved comment; True when it is new."""
    post = Post.objects.get(import_ref=f"markdown:{data.post}")
    parent = Comment.objects.get(import_ref=f"demo:{data.reply_to}") if data.reply_to else None
    user = User.objects.get(username=data.username) if data.username else None
    assert post.published_at is not None
    _, created = Comment.objects.update_or_create(
        import_ref=f"demo:{data.key}",
        defaults={
            "post": post,
            "parent": parent,
            "user": user,
            "author_name": data.name,
            "author_email": data.email,
            "body": data.body,
            "status": Comment.Status.APPROVED,
            "created_at": post.published_at + timedelta(hours=data.hours_later),
        },
    )
    return created


def wxr_import(
    *, source: Path, uploads: Path | None = None, progress: WxrProgress | None = None
) -> WxrSummary:
    """Import a WordPress export (WXR) and, from `uploads` (a copy of the old site's
    wp-content/uploads), its images. The file is read whole before anything is
    written, and written in one transaction: a broken file raises WxrError and
    imports nothing (media files already copied are removed again)."""
    catalog = catalog_read(Path(source))
    loader = WxrLoader(catalog, source=Path(source), uploads=uploads, progress=progress)
    try:
        with transaction.atomic():
            return loader.load()
    except BaseException:
        for name in loader.created_files:
            default_storage.delete(name)
        raise
