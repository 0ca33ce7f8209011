from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "pressbox.posts"
    label = "posts"
    verbose_name = "Posts"
