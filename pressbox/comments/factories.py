import factory
from django.utils import timezone

from pressbox.comments.models import Comment
from pressbox.posts.factories import PostFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.net")
    body = "Great post -- thanks!"
    status = Comment.Status.APPROVED
    created_at = factory.LazyFunction(timezone.now)
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (test)"
