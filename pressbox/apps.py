from django.apps import AppConfig


class PressboxConfig(AppConfig):
    """The project package as an app: project-wide commands (`serve`), no models."""

    name = "pressbox"
    label = "pressbox"
    verbose_name = "Pressbox"

    def ready(self) -> None:
        from pressbox.lib import pagecache

        pagecache.connect()
