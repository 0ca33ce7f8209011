"""Many comments at once for paging tests: bulk_create, with the derived fields set."""

from datetime import UTC, datetime, timedelta

from pressbox.comments.models import Comment

T0 = datetime(2024, 5, 15, tzinfo=UTC)


def bulk_threads(post, threads, replies=0, *, start=0):
    """`threads` top-level comments a minute apart, each followed by `replies` replies
    to it; returns the top-level comments, oldest first."""

    def comment(n, **extra):
        return Comment(
            post=post,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.net",
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>\n",
            status=Comment.Status.APPROVED,
            created_at=T0 + timedelta(minutes=n),
            avatar_key=f"{n:032x}",
            **extra,
        )

    heads = Comment.objects.bulk_create(
        [comment(start + i * (replies + 1)) for i in range(threads)]
    )
    Comment.objects.bulk_create(
        [
            comment(start + i * (replies + 1) + r + 1, parent=head, root=head)
            for i, head in enumerate(heads)
            for r in range(replies)
        ]
    )
    return heads
