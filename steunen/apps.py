from django.apps import AppConfig


class SteunenConfig(AppConfig):
    name = "steunen"
    verbose_name = "Steunen"

    def ready(self) -> None:
        from steunen.inbox_cache import connect

        connect()
