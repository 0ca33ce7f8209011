"""Precision and recall of the spam classifier on our labelled corpus, by 5-fold
cross-validation, through the real code: comments are stored in a temporary SQLite
database, learnt with `bayes.train_many` and scored with `bayes.spam_probability`.

    .venv/bin/python bench/spam_corpus.py

"Spam" means a score at or above bayes.SPAM_THRESHOLD, as on the live site.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "pressbox" / "comments" / "tests" / "data" / "corpus.jsonl"
FOLDS = 5


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["PRESSBOX_DATA_DIR"] = tempfile.mkdtemp(prefix="pressbox-spam-bench-")
    os.environ.pop("PRESSBOX_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressbox.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    spam = sum(r["label"] == "spam" for r in rows)
    print(f"corpus: {len(rows)} comments ({spam} spam, {len(rows) - spam} good), {FOLDS} folds")
    totals = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    started = time.perf_counter()
    for fold in range(FOLDS):
        train = [r for i, r in enumerate(rows) if i % FOLDS != fold]
        test = [r for i, r in enumerate(rows) if i % FOLDS == fold]
        counts = run_fold(train, test)
        print(f"fold {fold + 1}: " + report(counts))
        for key in totals:
            totals[key] += counts[key]
    print(f"all folds: {report(totals)}")
    print(f"({time.perf_counter() - started:.1f} s)")


def run_fold(train: list[dict], test: list[dict]) -> dict[str, int]:
    from pressbox.comments.models import Comment, SpamFilterState, SpamToken
    from pressbox.comments.spam import bayes

    post = fresh_post()
    Comment.objects.all().delete()
    SpamToken.objects.all().delete()
    SpamFilterState.objects.all().delete()
    stored = Comment.objects.bulk_create(comment(post, row) for row in train)
    bayes.train_many(stored)
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for row in test:
        probability = bayes.spam_probability(comment(post, row)) or 0.0
        said_spam = probability >= bayes.SPAM_THRESHOLD
        is_spam = row["label"] == "spam"
        counts[("t" if said_spam == is_spam else "f") + ("p" if said_spam else "n")] += 1
    return counts


def fresh_post() -> Any:
    from pressbox.posts.models import Post

    return Post.objects.first() or Post.objects.create(title="Bench", status="published")


def comment(post: Any, row: dict) -> Any:
    from django.utils import timezone

    from pressbox.comments.models import Comment

    status = Comment.Status.SPAM if row["label"] == "spam" else Comment.Status.APPROVED
    return Comment(
        post=post,
        author_name=row["name"],
        author_email=row["email"],
        author_url=row["url"],
        body=row["body"],
        status=status,
        created_at=timezone.now(),
    )


def report(c: dict[str, int]) -> str:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    accuracy = (c["tp"] + c["tn"]) / sum(c.values())
    return (
        f"precision {precision:.3f}  recall {recall:.3f}  accuracy {accuracy:.3f}  "
        f"(spam caught {c['tp']}, missed {c['fn']}; good comments flagged {c['fp']})"
    )


if __name__ == "__main__":
    main()
