"""Caching, in one place: what may be kept, where, and how it is made stale.

THE RULE. Nothing of one visitor is ever kept in a cache that serves more
than that visitor: not in Redis, not in a process's memory, not in the proxy
in front, not in a CDN. No CSRF token, session, message, form value, error,
user or role. What is kept is made from published content only, under a key
that names what it was made from. A form a visitor filled in or was given
is never kept: it carries the visit's CSRF token and what the visitor typed.
Of an *empty* form only the HTML of its fields may be kept (the labels and
the school list, ``kept_form_fields``), with every token of the visit put in
by the template outside it. Whatever is kept as HTML is checked when it is
made: HTML with a visitor's token in it (``VISITOR_MARKS``) is refused,
loudly. Every cache has a test with several visitors
(tests/steunpunt/test_journeys*.py).

What is kept, and where:

1. **Public pages, by the reverse proxy (or a CDN), not by the app.**
   ``public_page`` marks a response ``Cache-Control: public, max-age=N``
   (``PUBLIC_PAGE_SECONDS``) only when the request carried no session and
   no messages cookie and the response sets no cookie; every other
   response says ``private``. The layout leaves the CSRF token out of
   public pages (``request.public_page``). The shipped proxy configuration
   (deploy/nginx.conf) keeps such a page for those few seconds and is
   bypassed by anyone with a session: a published change shows within
   seconds without purging anything.
2. **Fragments made from published content that cost real time to make**
   (the HTML of a revision with its glossary links, the school list of the
   question form, the lists search looks in): ``kept(name, build)``, in
   this process's memory (Django's local-memory cache, ``CACHES["local"]``),
   under the current content version. A large object that is read far more
   often than it is made (the search index of all published pages) is kept
   with ``kept_object(name, build, update=...)`` instead: in this process's
   memory as the object itself, not pickled on every read, one per name,
   under the current content version, and only ever made from published
   content; a new version may be made from the previous one (``update``).
   Pieces of templates that are the same for every visitor (the top of the
   layout, its footer, a topic's article) are kept with ``{% kept name
   value ... %}`` (steunpunt/templatetags/kept.py, ``kept_fragment``): in
   this process's memory, per name, language and the values named, under
   the current content version.
3. **Counters** (rate limits, read counts) in the shared cache: numbers
   under a keyed hash, never content.

The anonymous forms carry a puzzle made for the visit (steunpunt/puzzle.py):
like the CSRF token it is rendered outside every kept fragment, on pages
that are never public; ``kept_form_fields`` refuses fields that hold one.

Invalidation is explicit: every action, editing view, admin page and
command that changes what public pages show calls ``content_changed()``,
which moves the content version in the shared cache. No signals.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, cast

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# What the shared cache raises when Redis cannot be reached. Pages carry on
# without it; rate limits and edits answer 503 meanwhile.
CACHE_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError)

CONTENT_VERSION_KEY = "content:version"


# How long a process uses the content version it last read before it asks the
# shared cache again: one round trip a second, not one per page. A change made
# in this process is seen at once (moving the version forgets it); other
# processes see it within this time, well inside the seconds the proxy keeps
# a public page anyway.
CONTENT_VERSION_SECONDS = 1.0
_last_read: tuple[float, int] | None = None  # (when read, by time.monotonic(); version)


def content_version() -> int:
    """The number under which fragments of published content are kept.

    Raises CACHE_UNAVAILABLE when the shared cache is away.
    """
    global _last_read
    now = time.monotonic()
    last = _last_read
    if last is not None and now - last[0] < CONTENT_VERSION_SECONDS:
        return last[1]
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # Never 0 after a loss of Redis: a number of long ago could bring
        # back what was kept under it. The time in microseconds is new.
        cache.add(CONTENT_VERSION_KEY, time.time_ns() // 1000, None)
        version = cache.get(CONTENT_VERSION_KEY, 0)
    version = int(version)
    _last_read = (now, version)
    return version


def forget_content_version() -> None:
    """Ask the shared cache next time (after a change, or when it was flushed)."""
    global _last_read
    _last_read = None


def content_changed() -> None:
    """Published content changed: what was kept from it is stale, now and after the commit.

    Twice, because a request may build a fragment from the old rows between
    the first move and the commit, and keep it under the new number.
    """
    _move_content_version()
    transaction.on_commit(_move_content_version, robust=True)


def _move_content_version() -> None:
    forget_content_version()
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:  # never set, or evicted: content_version() starts a new one
        content_version()


# What kept HTML may never contain: the marks of a visitor's tokens.
VISITOR_MARKS = ("csrfmiddlewaretoken", "X-CSRFToken", "submission_token", 'name="puzzle')


def _without_visitor_marks[T](name: str, made: T) -> T:
    """``made``, if it is no HTML with a visitor's token in it (THE RULE); else refused."""
    if isinstance(made, str) and any(mark in made for mark in VISITOR_MARKS):
        raise ValueError(f"{name}: this HTML carries a token of one visitor; not kept")
    return made


def kept[T](name: str, build: Callable[[], T]) -> T:
    """``build()``, kept in this process until published content changes.

    Only for values made from published content alone (see THE RULE above).
    Kept apart per language: what is made on an Arabic page is never shown on a Dutch one.
    """
    try:
        version = content_version()
    except CACHE_UNAVAILABLE:
        logger.warning("Shared cache unavailable: %s is made without it", name)
        return build()

    def checked() -> T:
        return _without_visitor_marks(name, build())

    # Per language too: a fragment may hold labels and texts in the page's language.
    return cast(T, caches["local"].get_or_set(f"{name}:{get_language()}:{version}", checked, None))


# name -> (content version, when it was made, the object); see kept_object().
_objects: dict[str, tuple[int | None, float, Any]] = {}
_objects_lock = threading.Lock()
# While the shared cache is away, an object made at most this long ago is
# used as it is, rather than made again for every request.
KEPT_OBJECT_SECONDS_WITHOUT_CACHE = 60


def kept_object[T](
    name: str, build: Callable[[], T], *, update: Callable[[T], T] | None = None
) -> T:
    """``build()``, held in this process as the object itself until published content changes.

    For big objects that pickling on every read would make slow (the search
    index). Only for values made from published content alone (THE RULE),
    never changed after they are made: every thread of the process reads the
    same object. One object per name: the one of an older version is dropped.
    With ``update``, a new version is made from the one held before (which
    stays as it is: other threads may still read it), so only what changed
    needs to be made again.
    """
    try:
        version: int | None = content_version()
    except CACHE_UNAVAILABLE:
        logger.warning("Shared cache unavailable: %s may be a minute old", name)
        held = _objects.get(name)
        if held and time.monotonic() - held[1] < KEPT_OBJECT_SECONDS_WITHOUT_CACHE:
            return cast(T, held[2])
        version = None
    held = _objects.get(name)
    if held and held[0] == version:
        return cast(T, held[2])
    with _objects_lock:  # one thread makes it, the others wait for that one
        held = _objects.get(name)
        if held and held[0] == version:
            return cast(T, held[2])
        made = update(held[2]) if held and update else build()
        _objects[name] = (version, time.monotonic(), made)
        return made


def kept_form_fields(name: str, render: Callable[[], str]) -> SafeString:
    """The fields of an *empty* form (no data, nothing from the link), made once.

    An empty form is the same for every visitor: its labels, choices and the
    school list. The visit's tokens are put in by the template, outside this
    HTML; should a token ever end up inside (a form helper that renders its
    own CSRF input did exactly that once), nothing is kept and it fails loudly.
    """
    return mark_safe(kept(name, lambda: str(render())))  # noqa: S308 (the form's templates)


# (name, language, what it varies on) -> (content version, HTML); see kept_fragment().
_fragments: dict[tuple[object, ...], tuple[int, SafeString]] = {}
# Fragments of some KB each: a few MB at the most, then they are made again.
KEPT_FRAGMENTS_AT_MOST = 2000


def kept_fragment(key: tuple[object, ...], render: Callable[[], str]) -> SafeString:
    """A piece of a template (``{% kept %}``), made once per process until content changes.

    For the parts of the layout and the article that are the same for every
    visitor (THE RULE): a dictionary lookup, where Django's ``{% cache %}``
    hashed its key, checked it character by character and unpickled the HTML
    on every page. ``key`` holds the fragment's name, the page's language and
    what it varies on; the content version is added here.
    """
    try:
        version = content_version()
    except CACHE_UNAVAILABLE:
        return mark_safe(render())  # noqa: S308 (rendered by the template)
    held = _fragments.get(key)
    if held is not None and held[0] == version:
        return held[1]
    made = _without_visitor_marks(str(key[0]), str(render()))
    html = mark_safe(made)  # noqa: S308 (rendered by the template)
    if len(_fragments) >= KEPT_FRAGMENTS_AT_MOST:
        _fragments.clear()  # rare: more pages than that read since the last change
    _fragments[key] = (version, html)
    return html


def forget_kept() -> None:
    """Drop this process's kept fragments and objects (tests, and after loading demo data)."""
    caches["local"].clear()
    _objects.clear()
    _fragments.clear()
    forget_content_version()


def _is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was rendered
        or (session is not None and session.modified)
        or (messages is not None and messages.added_new)
    )


def public_page[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """A page that is the same for every visitor without a session.

    The layout leaves the CSRF token out (nothing on it needs one), and
    PublicPageMiddleware lets the proxy in front keep it a few seconds.
    """

    @functools.wraps(view)
    def serve(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request: Any = args[0]
        request.public_page = True
        return view(*args, **kwargs)

    return serve


class PublicPageMiddleware:
    """Say who may keep a public page: everyone, or only this visitor's browser.

    Placed before the session, CSRF and messages middleware, so it sees the
    cookies they set and the Vary header the session adds on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "public_page", False):
            return response
        if (
            settings.PUBLIC_PAGE_SECONDS > 0
            and response.status_code == 200
            and not response.streaming
            and not _is_personal(request, response)
        ):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_SECONDS)
            # Made without a session (none was sent): the same for every
            # cookie, so a cache need not keep a copy per cookie.
            _drop_vary(response, "Cookie")
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response


def _drop_vary(response: HttpResponse, header: str) -> None:
    rest = [
        h.strip()
        for h in response.headers.get("Vary", "").split(",")
        if h.strip() and h.strip().lower() != header.lower()
    ]
    if rest:
        response.headers["Vary"] = ", ".join(rest)
    else:
        response.headers.pop("Vary", None)
