import factory

from pressbox.media.models import Media


class MediaFactory(factory.django.DjangoModelFactory):
    """A real 1200×800 JPEG in MEDIA_ROOT, as an upload would leave it (no variants yet)."""

    class Meta:
        model = Media

    file = factory.django.ImageField(
        filename="squat-rack.jpg", format="JPEG", width=1200, height=800
    )
    alt_text = factory.Sequence(lambda n: f"A loaded barbell on a squat rack, photo {n}")
    title = factory.Sequence(lambda n: f"Squat rack {n}")
    mime_type = "image/jpeg"
    size = 1000
