from django.apps import AppConfig


class InformerenConfig(AppConfig):
    name = "informeren"
    verbose_name = "Informeren"

    def ready(self) -> None:
        from informeren.pagecache import connect_invalidation

        connect_invalidation()
