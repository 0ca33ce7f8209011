from datetime import timedelta

import factory
from django.utils import timezone

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.posts.models import Category, Page, Post, PostAuthor, Tag


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    """A published post by one author; pass `authors=[...]` for co-authors in order."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Training log {n}")
    slug = factory.Sequence(lambda n: f"training-log-{n}")
    body = "Warm up first. It's the part everyone skips -- don't.\n\n- Squats\n- Rows\n"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        people = extracted if extracted is not None else [AuthorProfileFactory().user]
        for position, person in enumerate(people):
            PostAuthor.objects.create(post=self, author=person, position=position)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "About this blog."
    status = Page.Status.PUBLISHED
