import pytest
from pressbox.posts.factories import PostFactory, CategoryFactory, TagFactory
from pressbox.comments.factories import CommentFactory

@pytest.mark.django_db
def test_probe(client):
    p = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    c = CommentFactory(post=p, author_url="https://x.example")
    CommentFactory(post=p, parent=c)
    r = client.get(p.get_absolute_url())
    print(p.get_absolute_url(), r.status_code)
    print(r.content.decode())
    r = client.get("/nope/")
    print(r.status_code, r.content.decode()[:3000])
