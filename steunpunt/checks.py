"""System checks for a production deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Several worker processes need one cache: without Redis each keeps its own."""
    default = settings.CACHES["default"]["BACKEND"]
    if default.endswith("LocMemCache"):
        return [
            Warning(
                "REDIS_URL is not set: every process has a cache of its own.",
                hint=(
                    "With more than one worker process (bin/serve starts one per CPU), rate "
                    "limits, read counts and the page cache's invalidation only hold within one "
                    "process. Set REDIS_URL, or WEB_CONCURRENCY=1."
                ),
                id="steunpunt.W001",
            )
        ]
    return []
