"""System checks for a production deployment (`manage.py check --deploy`)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Several worker processes need one cache: without Redis each keeps its own."""
    default = str(settings.CACHES["default"]["BACKEND"])
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


@register(Tags.security, deploy=True)
def proxy_headers(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """TRUSTED_PROXIES must say how many proxies are in front, or the limits fail.

    From the settings: a TLS proxy in front (BEHIND_TLS_PROXY) that is not
    trusted for the client's address. From what running portals saw
    (steunpunt.ratelimit.ProxyHeadersMiddleware notes it in the shared
    cache): headers of a proxy that is not trusted, requests past the proxy,
    or fewer proxies than TRUSTED_PROXIES says.
    """
    from steunpunt.ratelimit import noted_proxy_problems

    warnings: list[CheckMessage] = []
    if settings.SECURE_PROXY_SSL_HEADER and not settings.TRUSTED_PROXIES:
        warnings.append(
            Warning(
                "BEHIND_TLS_PROXY is on, but TRUSTED_PROXIES is 0.",
                hint=(
                    "Behind a proxy every visitor has the proxy's address: the whole site "
                    "shares one rate limit, and one person's wrong codes lock out every asker. "
                    "Set TRUSTED_PROXIES=1 for deploy/nginx.conf or deploy/Caddyfile (one more "
                    "for each proxy or load balancer in front of it)."
                ),
                id="steunpunt.W002",
            )
        )
    for problem in noted_proxy_problems():
        warnings.append(
            Warning(
                f"A running portal noticed: {problem}",
                hint="See README, Running in production: the proxy in front.",
                id="steunpunt.W003",
            )
        )
    return warnings


@register()
def theme_contrast(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """A steunpunt's own colours (STEUNPUNT_COLOR_*) must keep WCAG AA contrast.

    Checked on every start, not only with --deploy: a region that picks a pale
    colour finds out before a visitor does (steunpunt/theme.py, PAIRS).
    """
    from django.core.checks import Error

    from steunpunt.theme import problems

    return [
        Error(
            problem,
            hint=(
                "Pick a darker or lighter colour in the environment (STEUNPUNT_COLOR_*): text "
                "needs 4.5:1 against its background, the edges of controls and the focus 3:1."
            ),
            id="steunpunt.E010",
        )
        for problem in problems()
    ]
