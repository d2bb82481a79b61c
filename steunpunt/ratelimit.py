"""Rate limits and quotas without storing who the client is.

The client's address is hashed with a salt that changes every day (derived
from the secret key) and the counter lives only in the cache, only for its
window. Nothing of it reaches the database or a log.

Counting is atomic: a try is counted (``take``: the cache's add and incr)
before it is answered, and the count that incr returns decides, so parallel
requests cannot all slip in under the limit while none has been counted.

Who "the client" is: the address the connection came from (REMOTE_ADDR),
or, behind ``TRUSTED_PROXIES`` proxies, the address the outermost of them
saw, read from X-Forwarded-For from the right. The header is only believed
from an address in ``TRUSTED_PROXY_NETWORKS`` (loopback and private networks
by default): a visitor who reaches the portal past the proxy cannot choose
their own address. An IPv6 client counts per /64, the block one household
or phone gets, so a new address from the same block is the same client.
``ProxyHeadersMiddleware`` notices when these settings do not fit what
arrives, logs it once and leaves a note for ``manage.py check --deploy``.
"""

import contextlib
import functools
import hashlib
import hmac
import ipaddress
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from steunpunt.cache import CACHE_UNAVAILABLE

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.cache
def _trusted_networks(
    networks: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _parse(address: str) -> Address | None:
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """Whether a connection from ``address`` may tell us who the client is."""
    parsed = _parse(address)
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXY_NETWORKS))
    return parsed is not None and any(parsed in network for network in networks)


def forwarded_hops(request: HttpRequest) -> list[str]:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [hop.strip() for hop in forwarded.split(",") if hop.strip()]


def client_address(request: HttpRequest) -> str:
    """The address the limits count: the client's, as the trusted proxies saw it."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    hops = forwarded_hops(request)
    if settings.TRUSTED_PROXIES and hops and is_trusted_proxy(address):
        address = hops[-min(settings.TRUSTED_PROXIES, len(hops))]
    parsed = _parse(address)
    if parsed is None:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped or parsed) if parsed.version == 6 else str(parsed)


def _digest(text: str) -> str:
    salt = f"{settings.SECRET_KEY}:{timezone.localdate().isoformat()}".encode()
    return hmac.new(salt, text.encode(), hashlib.sha256).hexdigest()[:32]


def _key(scope: str, request: HttpRequest, window: int, extra: str = "") -> str:
    """The counter of this client in the current window (fixed windows of ``window`` seconds)."""
    digest = _digest(f"{client_address(request)}|{extra}")
    return f"ratelimit:{scope}:{int(time.time()) // window}:{digest}"


def is_limited(
    scope: str, request: HttpRequest, *, limit: int, window: int, extra: str = ""
) -> bool:
    """Whether this client has used up its tries (looks, counts nothing)."""
    return bool(cache.get(_key(scope, request, window, extra), 0) >= limit)


def _count(key: str, *, window: int, amount: int = 1) -> int:
    """Add ``amount`` to a counter and return the new total, atomically.

    The counter lives twice its window, so it cannot expire while its window
    is open: Django's own add and incr are enough (both atomic in Redis and
    in the local-memory cache).
    """
    cache.add(key, 0, 2 * window)
    try:
        return cache.incr(key, amount)
    except ValueError:  # evicted between add and incr: start again with this try
        cache.add(key, amount, 2 * window)
        return amount


def take(scope: str, request: HttpRequest, *, limit: int, window: int, extra: str = "") -> bool:
    """Count one try of this client; True while it is within ``limit``.

    Count first, then answer: of many parallel tries exactly ``limit`` get True.
    """
    return _count(_key(scope, request, window, extra), window=window) <= limit


def give_back(scope: str, request: HttpRequest, *, window: int, extra: str = "") -> None:
    """Uncount one try taken with ``take`` (it turned out right: a good code)."""
    with contextlib.suppress(ValueError):  # gone meanwhile: nothing to give back
        cache.decr(_key(scope, request, window, extra))


def hit(scope: str, request: HttpRequest, *, window: int, extra: str = "") -> None:
    """Count one try without asking (after the fact)."""
    _count(_key(scope, request, window, extra), window=window)


def reset(scope: str, request: HttpRequest, *, window: int, extra: str = "") -> None:
    cache.delete(_key(scope, request, window, extra))


# --- Quotas of one return code ----------------------------------------------------------

DAY = 24 * 60 * 60


def _quota_key(scope: str, owner: str) -> str:
    return f"quota:{scope}:{timezone.localdate().isoformat()}:{_digest(owner)}"


def over_daily_quota(owner: str, uses: list[tuple[str, int, int]]) -> str | None:
    """Add each (scope, amount, limit) to today's use of ``owner`` (e.g. a case).

    All or nothing: when one would pass its limit, none is added and that
    scope is returned; None when all fit. Atomic per counter: parallel requests cannot together
    pass a limit (each sees the total its own incr returned).
    """
    added: list[tuple[str, int]] = []
    for scope, amount, limit in uses:
        key = _quota_key(scope, owner)
        added.append((key, amount))
        if _count(key, window=DAY, amount=amount) > limit:
            for done, done_amount in added:
                with contextlib.suppress(ValueError):
                    cache.decr(done, done_amount)
            return scope
    return None


# --- Staff login -------------------------------------------------------------------------


def take_login_try(request: HttpRequest, username: str) -> bool:
    """Count a login try; False when this client used up its tries.

    Two counters: for this username from this client (LOGIN_FAILURES_ALLOWED,
    so one person's typing errors never lock a colleague out), and for this
    client on any username (LOGIN_TRIES_PER_CLIENT: one client trying a
    password on many usernames, password spraying). A locked try is
    answered at once, without checking the password: the lock is no secret
    (the page says so), and a flood of locked tries costs the server nothing.
    """
    window = settings.LOGIN_LOCK_SECONDS
    client_ok = take("login-client", request, limit=settings.LOGIN_TRIES_PER_CLIENT, window=window)
    user_ok = client_ok and take(
        "login",
        request,
        limit=settings.LOGIN_FAILURES_ALLOWED,
        window=window,
        extra=username.lower(),
    )
    return user_ok


def login_succeeded(request: HttpRequest, username: str) -> None:
    """A right password: this username starts afresh from this client, and the
    client's try is given back (a team behind one address logs in every day)."""
    window = settings.LOGIN_LOCK_SECONDS
    reset("login", request, window=window, extra=username.lower())
    give_back("login-client", request, window=window)


# --- Is the proxy set up as the settings say? --------------------------------------------

PROXY_NOTES = {
    "untrusted-header": (
        "Requests arrive with X-Forwarded-For, but TRUSTED_PROXIES is 0: every visitor "
        "behind the proxy counts as the proxy's address, and one person's tries lock out all."
    ),
    "direct": (
        "TRUSTED_PROXIES is set, but requests arrive from {address}, outside "
        "TRUSTED_PROXY_NETWORKS: the portal is reachable past the proxy. Their "
        "X-Forwarded-For is ignored; let only the proxy reach bin/serve (HOST=127.0.0.1)."
    ),
    "missing-hops": (
        "TRUSTED_PROXIES is {proxies}, but a request from the proxy carried {hops} "
        "X-Forwarded-For address(es): the proxy does not set the header, or fewer proxies "
        "are in front than TRUSTED_PROXIES says, and a visitor could choose their address."
    ),
}
NOTE_SECONDS = 7 * DAY
_noted: set[str] = set()


def _note_key(name: str) -> str:
    return f"proxy-note:{hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:12]}:{name}"


def noted_proxy_problems() -> list[str]:
    """What running portals noticed about the proxy in the last week (for check --deploy)."""
    try:
        return [text for name in PROXY_NOTES if (text := cache.get(_note_key(name)))]
    except CACHE_UNAVAILABLE:
        return []


def _note(name: str, **details: str) -> None:
    if name in _noted:
        return
    _noted.add(name)
    text = PROXY_NOTES[name].format(**details)
    logger.warning("Proxy setup: %s", text)
    with contextlib.suppress(*CACHE_UNAVAILABLE):
        cache.set(_note_key(name), text, NOTE_SECONDS)


def check_proxy_headers(request: HttpRequest) -> None:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = forwarded_hops(request)
    if not settings.TRUSTED_PROXIES:
        if hops:
            _note("untrusted-header")
    elif not is_trusted_proxy(remote):
        # The address is the kind of the connection only, never a visitor's own:
        # "a public address", not which one.
        _note("direct", address="a public address" if _parse(remote) else "an unknown address")
    elif len(hops) < settings.TRUSTED_PROXIES and request.path_info != "/healthz":
        # A load balancer's health check may come straight from the proxy's network.
        _note("missing-hops", proxies=str(settings.TRUSTED_PROXIES), hops=str(len(hops)))


class ProxyHeadersMiddleware:
    """Notice, once per process, when the proxy in front and TRUSTED_PROXIES disagree."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(_noted) < len(PROXY_NOTES):
            check_proxy_headers(request)
        return self.get_response(request)
