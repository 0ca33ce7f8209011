from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "pressbox.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from django.core import checks

        from pressbox.comments import spam

        checks.register(spam.check_setting)
