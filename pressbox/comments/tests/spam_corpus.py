"""Our labelled comment corpus (data/corpus.jsonl) and helpers to teach it to the
classifier. Not a test module: imported by the spam tests."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

from pressbox.comments.models import Comment
from pressbox.comments.spam import bayes

CORPUS = Path(__file__).parent / "data" / "corpus.jsonl"


def rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]


def comment(post, row: dict, **fields) -> Comment:
    """An unsaved comment on `post` written as `row`, approved if good, spam if not."""
    spam = row["label"] == "spam"
    return Comment(
        post=post,
        author_name=row["name"],
        author_email=row["email"],
        author_url=row["url"],
        body=row["body"],
        status=Comment.Status.SPAM if spam else Comment.Status.APPROVED,
        created_at=timezone.now(),
        **fields,
    )


def teach(post, some_rows: list[dict]) -> list[Comment]:
    """Store the rows as comments and have the classifier learn them."""
    stored = Comment.objects.bulk_create(comment(post, row) for row in some_rows)
    bayes.train_many(stored)
    return stored


def teach_split(post, held_out_every: int = 5) -> list[dict]:
    """Learn every row but each `held_out_every`-th; return those held out."""
    every = rows()
    teach(post, [r for i, r in enumerate(every) if i % held_out_every])
    return [r for i, r in enumerate(every) if not i % held_out_every]
