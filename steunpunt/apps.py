from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    # Permissions are created by migrate's own post_migrate hook, app by app.
    # Sync the role groups once, after the last app with models has had its
    # turn. post_migrate also follows every flush. Each app fills its own
    # reference data in its own AppConfig (informeren/apps.py).
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from steunpunt.roles import sync_roles

    sync_roles()


class SteunpuntConfig(AppConfig):
    name = "steunpunt"
    verbose_name = "Steunpunt"

    def ready(self) -> None:
        from steunpunt import checks  # noqa: F401 - registers the deploy checks

        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="steunpunt.sync_roles")
