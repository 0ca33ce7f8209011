from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "pressbox.comments"
    label = "comments"
    verbose_name = "Comments"
