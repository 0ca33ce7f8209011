from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "pressbox.media"
    label = "media"
    verbose_name = "Media library"

    def ready(self) -> None:
        from pressbox.lib.markup import POST_HTML_STEPS
        from pressbox.media.rendering import responsive_images

        if responsive_images not in POST_HTML_STEPS:
            POST_HTML_STEPS.append(responsive_images)
