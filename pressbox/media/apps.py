from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "pressbox.media"
    label = "media"
    verbose_name = "Media library"
