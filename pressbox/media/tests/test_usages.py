"""Media.usages(): the posts and pages that show an image."""

from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import PageFactory, PostFactory
from pressbox.posts.models import Post


def test_posts_and_pages_whose_body_shows_the_image_are_listed(db):
    media = MediaFactory()
    post = PostFactory(title="Leg day", body=f"![Rack]({media.url})", status=Post.Status.DRAFT)
    page = PageFactory(title="Gym", body=f'<img src="{media.url}" alt="Rack">')
    PostFactory(title="Unrelated")

    assert media.usages() == [post, page]


def test_a_variant_address_counts_as_a_use(db):
    media = MediaFactory()
    stem = media.file.name.rsplit(".", 1)[0]
    post = PostFactory(body=f"![Rack](/media/{stem}-640w.webp)")
    assert media.usages() == [post]


def test_another_upload_of_the_same_name_is_not_mistaken_for_this_one(db):
    media = MediaFactory()
    stem = media.file.name.rsplit(".", 1)[0]
    PostFactory(body=f"![Other](/media/{stem}_AbC123x.jpg)")
    assert media.usages() == []


def test_featured_image_of_a_post_counts_as_a_use(db):
    media = MediaFactory()
    post = PostFactory(featured_image=media, body="No inline images.")
    assert media.usages() == [post]
