from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fill_reference_data(sender: AppConfig, **kwargs: object) -> None:
    # The themes and forms of support every deployment starts with, after each
    # migrate and each flush (informeren/reference.py; idempotent).
    from informeren.reference import ensure_reference_data

    ensure_reference_data()


class InformerenConfig(AppConfig):
    name = "informeren"
    verbose_name = "Informeren"

    def ready(self) -> None:
        post_migrate.connect(
            _fill_reference_data, sender=self, dispatch_uid="informeren.reference_data"
        )
