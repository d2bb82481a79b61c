"""Rate limits per client without storing who the client is.

The client's address is hashed with a salt that changes every day (derived
from the secret key) and the counter lives only in the cache, only for its
window. Nothing of it reaches the database or a log.
"""

import contextlib
import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUSTED_PROXIES and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(settings.TRUSTED_PROXIES, len(hops))]
    return address


def _key(scope: str, request: HttpRequest, window: int, extra: str = "") -> str:
    """The counter of this client in the current window (fixed windows of ``window`` seconds)."""
    salt = f"{settings.SECRET_KEY}:{timezone.localdate().isoformat()}".encode()
    digest = hmac.new(salt, f"{client_address(request)}|{extra}".encode(), hashlib.sha256)
    return f"ratelimit:{scope}:{int(time.time()) // window}:{digest.hexdigest()[:32]}"


def is_limited(
    scope: str, request: HttpRequest, *, limit: int, window: int, extra: str = ""
) -> bool:
    return cache.get(_key(scope, request, window, extra), 0) >= limit


def hit(scope: str, request: HttpRequest, *, window: int, extra: str = "") -> None:
    """Count one try. The counter lives twice its window, so it cannot expire
    while its window is open: Django's own add and incr are enough."""
    key = _key(scope, request, window, extra)
    cache.add(key, 0, 2 * window)
    with contextlib.suppress(ValueError):  # evicted meanwhile: this try goes uncounted
        cache.incr(key)


def reset(scope: str, request: HttpRequest, *, window: int, extra: str = "") -> None:
    cache.delete(_key(scope, request, window, extra))
