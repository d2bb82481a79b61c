"""Public pages served whole from the cache to visitors without a session.

Most visitors of a steunpunt read: the same published pages, school and
organisation pages again and again. For a visitor who has no session (not
logged in, not reading their own question) such a page is the same for
everyone, so it is rendered once and then served from the cache.

- Two layers: each process keeps the pages it served in memory, and all
  processes share them through the cache (Redis). PageCacheMiddleware
  answers from memory before the session, auth and CSRF middleware run: as
  cheap as a static file (measured in tests/bench/bench_load.py).
- Invalidation: every cached page carries the content generation it was
  rendered in. Saving anything that public pages show (a published
  revision, a school, an organisation, ...) bumps the generation in the
  shared cache (now and after the commit). The process that saved sees the
  new generation at once, other processes within PAGE_GENERATION_SECONDS
  (one second), and from then on render the page again.
- Reads are still counted: a page remembers which reads it counted and
  counts them again when it is served from the cache.
- Nothing personal can end up in the cache: only pages that set no cookie
  are kept, and public pages leave out the CSRF token (the forms on them do
  not need one, see informeren.views.feedback).
- Without Redis the pages are made without the shared layer.
"""

import contextlib
import functools
import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from informeren.usage import record_read
from steunpunt.cache import CACHE_UNAVAILABLE, next_generation, shared_generation

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
# Pages one process keeps in memory (oldest out first): some MB at most.
LOCAL_PAGES = 500

_local: dict[str, dict] = {}
_shared: dict[str, tuple[int, object]] = {}
_generation = {"value": 0, "checked_at": float("-inf")}
_lock = threading.Lock()


def invalidate() -> None:
    """Make every cached public page stale, now and once the transaction commits.

    The second bump matters: a visitor's request may render the old content
    between the first bump and the commit, and cache it under the new
    generation.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    value = next_generation(GENERATION_KEY)
    with _lock:
        _generation.update(value=value, checked_at=time.monotonic())
        _local.clear()


def forget_copies() -> None:
    """Drop this process's copies; the next request asks the shared cache again."""
    with _lock:
        _local.clear()
        _shared.clear()
        _generation.update(value=0, checked_at=float("-inf"))


def current_generation() -> int:
    """The content generation, asked of the shared cache at most once a second.

    With Redis away the last known generation stays: nothing can be edited
    meanwhile (saving bumps the generation, which fails), so it is still true.
    """
    now = time.monotonic()
    if now - _generation["checked_at"] >= settings.PAGE_GENERATION_SECONDS:
        try:
            value = shared_generation(GENERATION_KEY)
        except CACHE_UNAVAILABLE:
            logger.warning("Shared cache unavailable: pages are made without it")
            _generation["checked_at"] = now
            return _generation["value"]
        with _lock:
            if value != _generation["value"]:
                _local.clear()
            _generation.update(value=value, checked_at=now)
    return _generation["value"]


def per_generation(name: str, build):
    """``build()``, kept in this process until the content generation moves.

    For what public pages are made of (a topic, its HTML, the school list):
    the key names the generation, so a kept value is never stale.
    """
    return caches["local"].get_or_set(f"{name}:{current_generation()}", build, None)


def shared_per_generation(name: str, build):
    """``build()``, one object for every thread of this process until the generation moves.

    Unlike per_generation nothing is copied (no pickling), which suits
    read-only values read on every request: the lists search looks in, a
    published topic (unpickling one took 18-30 us of a 0.5 ms page). Never
    change what it returns: other requests are reading the same object.
    """
    generation = current_generation()
    kept = _shared.get(name)
    if kept is None or kept[0] != generation:
        kept = (generation, build())
        _shared[name] = kept
    return kept[1]


def _remember(key: str, entry: dict) -> None:
    with _lock:
        if len(_local) >= LOCAL_PAGES:
            _local.pop(next(iter(_local)))
        _local[key] = {**entry, "until": time.monotonic() + settings.PAGE_CACHE_SECONDS}


def _from_memory(key: str, generation: int) -> dict | None:
    entry = _local.get(key)
    if entry is None or entry["generation"] != generation or entry["until"] < time.monotonic():
        return None
    return entry


def count_read(request: HttpRequest, kind: str, object_id: int) -> None:
    """Count a read of this page, now and whenever it is served from the cache."""
    record_read(kind, object_id)
    reads = getattr(request, "page_reads", None)
    if reads is not None:
        reads.append((kind, object_id))


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Would this response set a cookie, now or on its way out through the middleware?"""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was rendered
        or (session is not None and session.modified)
        or (messages is not None and messages.added_new)
    )


def _key(request: HttpRequest) -> str:
    # The path itself, not a hash of it: this is the hot path of every page.
    htmx = "h" if "HX-Request" in request.headers else ""
    return f"page:{htmx}{request.get_full_path()}"


def _shared_key(key: str) -> str:
    """A key any cache backend accepts (short, no spaces), for the shared layer."""
    return "page:" + hashlib.sha256(key.encode()).hexdigest()


def _serve(entry: dict) -> HttpResponse:
    for kind, object_id in entry["reads"]:
        record_read(kind, object_id)
    return HttpResponse(entry["content"], headers=entry["headers"])


class PageCacheMiddleware:
    """Serve pages this process keeps in memory before the rest of the middleware runs.

    Placed right after WhiteNoise: a page a visitor without a session asked
    for before costs about what a static file costs. The stored headers are
    the ones the inner middleware added when the page was made (the CSP,
    X-Frame-Options, Permissions-Policy), so nothing is lost by skipping it.
    On the way out, it stores what ``cached_for_visitors`` marked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        entry = _from_memory(key, current_generation())
        if entry is not None:
            return _serve(entry)
        response = self.get_response(request)
        marked = getattr(request, "page_cache_generation", None)
        if (
            marked is not None
            and response.status_code == 200
            and not response.streaming
            and not _is_personal(request, response)
        ):
            entry = {
                "generation": marked,
                "content": response.content,
                "headers": {k: v for k, v in response.headers.items() if k != "Set-Cookie"},
                "reads": request.page_reads,
            }
            with contextlib.suppress(*CACHE_UNAVAILABLE):
                cache.set(_shared_key(key), entry, settings.PAGE_CACHE_SECONDS)
            _remember(key, entry)
        return response


def cached_for_visitors(view):
    """Let visitors without a session get ``view`` from the cache (GET only).

    Pages this process has in memory never reach the view (PageCacheMiddleware);
    here the shared cache is asked, and a page that must be made is marked
    for the middleware to store.
    """

    @functools.wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A public page posts nothing that needs a CSRF token, so the layout
        # leaves it out: no token to cache, no cookie for readers.
        request.public_page = True
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        generation = current_generation()
        try:
            entry = cache.get(_shared_key(key))
        except CACHE_UNAVAILABLE:
            entry = None
        if entry is not None and entry["generation"] == generation:
            _remember(key, entry)
            return _serve(entry)
        request.page_cache_generation = generation
        request.page_reads = []
        return view(request, *args, **kwargs)

    return serve


def _content_changed(sender, **kwargs) -> None:
    invalidate()


def connect_invalidation() -> None:
    """Bump the generation whenever something public pages show is saved or deleted."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from informeren import models

    shown = [
        models.Samenwerkingsverband,
        models.School,
        models.Organisatie,
        models.Thema,
        models.Topic,  # publishing a revision saves its topic
        models.Begrip,
        models.Ondersteuningsvorm,
        models.Checklist,
        models.ChecklistItem,
        models.Meeting,  # found by search
    ]
    for model in shown:
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
        post_delete.connect(
            _content_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
        )
    for through in (
        models.School.support.through,
        models.Topic.themes.through,
        models.Topic.related.through,
        models.Topic.organisaties.through,
    ):
        m2m_changed.connect(
            _content_changed, sender=through, dispatch_uid=f"pages-{through.__name__}"
        )
