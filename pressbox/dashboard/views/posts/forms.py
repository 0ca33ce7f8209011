"""The editor's forms. They validate what a writer typed and turn it into PostData;
pressbox.posts.services decides what happens to the post."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import validate_unicode_slug
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from pressbox.accounts.models import User
from pressbox.accounts.roles import Role
from pressbox.media.models import Media
from pressbox.posts.models import Category, Post
from pressbox.posts.services import Action, PostData

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
RECENT_IMAGES = 30


def writers() -> QuerySet[User]:
    """Everyone who holds a role, so may be named as a co-author."""
    roles = [role.label for role in Role]
    return (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name__in=roles), is_active=True)
        .distinct()
        .select_related("profile")
        .order_by("username")
    )


def split_list(value: str) -> list[str]:
    """Split `a, b,, c` into names: first spelling kept, case-insensitively unique."""
    seen: dict[str, str] = {}
    for item in (part.strip() for part in value.split(",")):
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


def slug_follows_title(post: Post) -> bool:
    """A never-published post whose slug was derived from its title keeps following it."""
    base = slugify(post.title)[:180] or "untitled"
    return post.published_at is None and bool(re.fullmatch(rf"{re.escape(base)}(-\d+)?", post.slug))


class TextField(forms.CharField):
    """Text from a textarea, with the browser's CRLF line ends made plain newlines."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n").replace("\r", "\n")


class PostForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Give the post a title."})
    body = TextField(
        required=False,
        label="Body",
        help_text="Markdown: **bold**, _italic_, [link](https://…), - lists, ## headings.",
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
    )
    slug = forms.CharField(
        required=False,
        max_length=200,
        label="Slug",
        help_text="The last part of the address. Leave empty to make it from the title.",
        validators=[validate_unicode_slug],
        error_messages={
            "invalid": "Use only letters, numbers, hyphens and underscores in the slug."
        },
    )
    excerpt = TextField(
        required=False,
        help_text="Shown in lists and feeds; the start of the post when empty.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seo_description = TextField(
        required=False,
        max_length=160,
        label="SEO description",
        help_text="What search engines show under the title, 160 characters at most.",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 160}),
    )
    authors = forms.CharField(
        required=False,
        label="Authors, in byline order",
        help_text="Usernames separated by commas; the first is named first.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "author-choices"}),
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_category = forms.CharField(required=False, max_length=200, label="New category")
    new_category_parent = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        required=False,
        label="Parent category",
        empty_label="None (top level)",
    )
    tags = forms.CharField(
        required=False,
        help_text="Separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "tag-choices"}),
    )
    featured_image = forms.ModelChoiceField(
        queryset=Media.objects.all(),
        required=False,
        label="Featured image",
        empty_label="No featured image",
    )
    comments_open = forms.BooleanField(required=False, label="Allow comments")
    sticky = forms.BooleanField(required=False, label="Stick to the top of the home page")
    # Imported posts keep the HTML they came with; the editor keeps their format.
    body_format = forms.ChoiceField(
        choices=Post.Format.choices, required=False, widget=forms.HiddenInput
    )
    published_at = forms.DateTimeField(
        required=False,
        label="Publish on",
        input_formats=[
            DATETIME_LOCAL,
            f"{DATETIME_LOCAL}:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    override_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, post: Post, user: User, action: str | None = None, **kwargs: Any
    ) -> None:
        self.post, self.user, self.action = post, user, action
        super().__init__(*args, **kwargs)
        if not user.has_perm("posts.add_category"):
            del self.fields["new_category"], self.fields["new_category_parent"]
        images = self.fields["featured_image"]
        assert isinstance(images, forms.ModelChoiceField)
        recent = list(Media.objects.all()[:RECENT_IMAGES])
        current = post.featured_image if post.featured_image_id else None
        if current is not None and current not in recent:
            recent.insert(0, current)
        images.widget.choices = [("", "No featured image")] + [
            (m.pk, f"{m.title or m.file.name.rsplit('/', 1)[-1]} — {m.alt_text}") for m in recent
        ]
        zone = timezone.get_current_timezone_name()
        when = self.fields["published_at"]
        if post.status in Post.LIVE:
            when.label = "Published on"
            when.help_text = f"Change it to back-date or move the post ({zone} time)."
        else:
            when.label = "Publish on"
            when.help_text = f"For Schedule: a date and time in the site’s time zone, {zone}."

    @classmethod
    def initial_for(cls, post: Post) -> dict[str, Any]:
        """The form's starting values for a saved post (or defaults for a new one)."""
        if post.pk is None:
            return {"comments_open": True, "version": 0}
        return {
            "title": post.title,
            "body": post.body,
            "slug": "" if slug_follows_title(post) else post.slug,
            "excerpt": post.excerpt,
            "seo_description": post.seo_description,
            "authors": ", ".join(pa.author.username for pa in post.post_authors.all()),
            "categories": [c.pk for c in post.categories.all()],
            "tags": ", ".join(tag.name for tag in post.tags.all()),
            "featured_image": post.featured_image_id,
            "comments_open": post.comments_open,
            "sticky": post.sticky,
            "body_format": post.body_format,
            "published_at": post.published_at if post.status in Post.LIVE else None,
            "version": post.version,
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip()
        if slug and Post.objects.filter(slug=slug).exclude(pk=self.post.pk).exists():
            raise forms.ValidationError(
                "Another post already has this slug: choose a different one, or leave it "
                "empty to make one from the title."
            )
        return slug

    def clean_authors(self) -> list[User]:
        names = split_list(self.cleaned_data["authors"])
        known = {person.username.casefold(): person for person in writers()} if names else {}
        missing = [name for name in names if name.casefold() not in known]
        if missing:
            raise forms.ValidationError(
                f"No writer on this site has the username {', '.join(missing)}."
            )
        people = [known[name.casefold()] for name in names]
        if people and self.user not in people and not self.user.has_perm("posts.edit_others_post"):
            raise forms.ValidationError(
                "Keep yourself among the authors, or you could no longer edit this post."
            )
        return people

    def clean_tags(self) -> list[str]:
        names = split_list(self.cleaned_data["tags"])
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError("A tag can be 200 characters at most.")
        if any(not slugify(name, allow_unicode=True) for name in names):
            raise forms.ValidationError("Each tag needs at least one letter or digit.")
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when = data.get("published_at")
        if self.action == Action.SCHEDULE:
            if when is None:
                self.add_error("published_at", "Choose the date and time to publish the post.")
            elif when <= timezone.now():
                self.add_error(
                    "published_at",
                    "That time has passed: choose a time in the future, or publish now.",
                )
        return data

    def post_data(self) -> PostData:
        """The validated input (call after is_valid())."""
        return self._data(self.cleaned_data)

    def preview_data(self) -> PostData:
        """Whatever parts of the input are valid, for a preview that never fails."""
        self.is_valid()
        return self._data(self.cleaned_data)

    def _data(self, data: dict[str, Any]) -> PostData:
        return PostData(
            title=data.get("title", ""),
            body=data.get("body", ""),
            slug=data.get("slug", ""),
            excerpt=data.get("excerpt", ""),
            seo_description=data.get("seo_description", ""),
            authors=data.get("authors", []),
            categories=list(data.get("categories", [])),
            new_category=data.get("new_category", ""),
            new_category_parent=data.get("new_category_parent"),
            tags=data.get("tags", []),
            featured_image=data.get("featured_image"),
            comments_open=data.get("comments_open", True),
            sticky=data.get("sticky", False),
            body_format=data.get("body_format") or Post.Format.MARKDOWN,
            published_at=data.get("published_at"),
        )


class AutosaveForm(forms.Form):
    """The text of the editor as it stands; lenient, since nothing is published from it."""

    title = forms.CharField(required=False, max_length=300)
    slug = forms.CharField(required=False, max_length=200)
    body = TextField(required=False)
    excerpt = TextField(required=False)
    seo_description = TextField(required=False, max_length=160)

    def post_data(self) -> PostData:
        return PostData(**self.cleaned_data)


def category_tree() -> list[tuple[Category, int]]:
    """Every category with its depth, each parent followed by its children."""
    categories = list(Category.objects.order_by("name"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    tree: list[tuple[Category, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for category in children.get(parent, []):
            if category.pk not in seen:
                seen.add(category.pk)
                tree.append((category, depth))
                walk(category.pk, depth + 1)

    walk(None, 0)
    tree.extend((c, 0) for c in categories if c.pk not in seen)  # orphans of a cycle
    return tree
