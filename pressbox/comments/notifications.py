"""Who is told of a comment, by email through the durable task queue.

- Each co-author of the post hears of a new comment (unless the owner turned author
  emails off, or the author did), with signed one-click "Approve" and "Mark as spam"
  links, since every co-author may moderate their post's comments.
- A commenter who ticked "Notify me of replies" first gets one confirmation email
  (double opt-in, at most one a day); once confirmed, they hear of each visible reply
  to their comment until they unsubscribe.

The hooks (`comment_posted`, `comment_approved`) run inside the web request, so they
only enqueue a task: deciding who to tell, rendering and sending happen in the worker.
Posting a comment is thus one extra insert, whatever the SMTP server is doing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django_tasks import task

from pressbox.accounts.models import User
from pressbox.comments import tokens
from pressbox.comments.models import Comment, ReplySubscriber
from pressbox.lib.mail import queue_email
from pressbox.posts.models import PostAuthor, SiteSettings

CONFIRMATION_INTERVAL = timedelta(hours=24)
VISIBLE_OR_HELD = {Comment.Status.APPROVED, Comment.Status.PENDING}


def comment_posted(comment: Comment) -> None:
    """A comment was just stored (any status)."""
    notify_comment_posted.enqueue(comment.pk, comment.status)


def comment_approved(comment: Comment) -> None:
    """A held comment was just approved by a moderator, so it is now visible."""
    notify_comment_approved.enqueue(comment.pk)


@task()
def notify_comment_posted(comment_id: int, status: str) -> int:
    """Queue the emails a new comment calls for; `status` is the one it was posted with.

    A reply held on posting is announced by `notify_comment_approved` instead, so a
    comment approved before this task runs is not announced twice.
    """
    comment = find(comment_id)
    if comment is None:
        return 0
    queued = tell_authors(comment) + ask_to_confirm(comment)
    if status == Comment.Status.APPROVED:
        queued += tell_parent_author(comment)
    return queued


@task()
def notify_comment_approved(comment_id: int) -> int:
    comment = find(comment_id)
    return tell_parent_author(comment) if comment else 0


def find(comment_id: int) -> Comment | None:
    return Comment.objects.select_related("post", "parent").filter(pk=comment_id).first()


def tell_authors(comment: Comment) -> int:
    """Email each co-author who wants to hear of comments, except the commenter."""
    site = SiteSettings.load()
    if not site.notify_authors or comment.status not in VISIBLE_OR_HELD:
        return 0
    authors = [
        link.author
        for link in PostAuthor.objects.filter(post=comment.post).select_related("author__profile")
        if wants_comment_emails(link.author, comment)
    ]
    for author in authors:
        email_author(author, comment, site=site)
    return len(authors)


def wants_comment_emails(author: User, comment: Comment) -> bool:
    profile = getattr(author, "profile", None)
    return (
        author.is_active
        and bool(author.email)
        and (profile is None or profile.notify_comments)
        and author.pk != comment.user_id
        and author.email.lower() != comment.author_email.lower()
    )


def email_author(author: User, comment: Comment, *, site: SiteSettings) -> None:
    held = comment.status == Comment.Status.PENDING
    context = {
        "site": site,
        "post": comment.post,
        "comment": comment,
        "held": held,
        "comment_url": comment_url(comment),
        "approve_url": (
            tokens.moderation_url(comment, action="approve", user_id=author.pk) if held else ""
        ),
        "spam_url": tokens.moderation_url(comment, action="spam", user_id=author.pk),
        "link_days": tokens.MAX_AGE.days,
    }
    title = one_line(comment.post.title)
    if held:
        subject = f"[{site.title}] A comment on “{title}” is awaiting your approval"
    else:
        subject = f"[{site.title}] New comment on “{title}”"
    queue_email(
        to=[author.email],
        subject=subject,
        text=render_to_string("comments/email/new_comment.txt", context),
        headers={"Reply-To": comment.author_email},
        unsubscribe_url=tokens.unsubscribe_url("author", pk=author.pk, email=author.email),
        kind="new-comment",
    )


def ask_to_confirm(comment: Comment) -> int:
    """Double opt-in: one confirmation email to an address not yet confirmed, at most
    one a day, so the box cannot be used to flood someone else's inbox."""
    if not comment.notify_replies or comment.status not in VISIBLE_OR_HELD:
        return 0
    subscriber, _ = ReplySubscriber.objects.get_or_create(email=comment.author_email.lower())
    if subscriber.is_active:
        return 0
    now = timezone.now()
    not_recently = Q(confirmation_sent_at__isnull=True) | Q(
        confirmation_sent_at__lt=now - CONFIRMATION_INTERVAL
    )
    # One conditional update, so two comments posted at once send one email.
    claimed = ReplySubscriber.objects.filter(not_recently, pk=subscriber.pk).update(
        confirmation_sent_at=now
    )
    if not claimed:
        return 0
    site = SiteSettings.load()
    context = {
        "site": site,
        "post": comment.post,
        "confirm_url": tokens.confirmation_url(subscriber.pk, subscriber.email),
        "link_days": tokens.MAX_AGE.days,
    }
    queue_email(
        to=[subscriber.email],
        subject=f"[{site.title}] Please confirm: replies to your comment by email",
        text=render_to_string("comments/email/confirm_subscription.txt", context),
        unsubscribe_url=tokens.unsubscribe_url("reply", pk=subscriber.pk, email=subscriber.email),
        kind="confirm-subscription",
    )
    return 1


def tell_parent_author(reply: Comment) -> int:
    """Email the author of the comment replied to, if they confirmed they want it."""
    parent = reply.parent
    if (
        parent is None
        or reply.status != Comment.Status.APPROVED
        or parent.status != Comment.Status.APPROVED
        or not parent.notify_replies
        or parent.author_email.lower() == reply.author_email.lower()
    ):
        return 0
    subscriber = ReplySubscriber.objects.filter(email=parent.author_email.lower()).first()
    if subscriber is None or not subscriber.is_active:
        return 0
    site = SiteSettings.load()
    context = {"site": site, "post": reply.post, "reply": reply, "reply_url": comment_url(reply)}
    queue_email(
        to=[subscriber.email],
        subject=f"[{site.title}] {one_line(reply.author_name)} replied to your comment",
        text=render_to_string("comments/email/new_reply.txt", context),
        unsubscribe_url=tokens.unsubscribe_url("reply", pk=subscriber.pk, email=subscriber.email),
        kind="reply",
    )
    return 1


def comment_url(comment: Comment) -> str:
    """The comment's absolute permalink; a held one's carries its moderation hash,
    without which no one sees it."""
    path, anchor = comment.get_absolute_url().split("#", 1)
    if comment.status == Comment.Status.PENDING:
        query = {"unapproved": str(comment.pk), "moderation-hash": comment.moderation_hash()}
        path += "?" + urlencode(query)
    return f"{settings.SITE_URL}{path}#{anchor}"


def one_line(text: str) -> str:
    """Text fit for a header: newlines would make Django refuse the email."""
    return " ".join(text.split())
