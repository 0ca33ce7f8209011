from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pressbox.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from pressbox.search import index

        index.connect()
