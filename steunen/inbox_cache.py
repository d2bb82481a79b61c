"""What the staff inbox reads, kept per process until a case or the team changes.

The inbox is the page staff open most: after every action, with every
filter. What it reads (the counts per status, a page of rows, the people
in its filter) is kept in this process's memory under the *inbox
generation*: a number in the shared cache (Redis) that moves whenever a
case, its themes, a theme or a user is saved or deleted (signals below),
at once and again after the commit (so nothing read in between is kept
under the new number). Every inbox view asks the shared cache for the
number, so a change shows at once on every server.

- Each user has their own entries: what a user may see (a buddy sees only
  their own cases) never crosses over.
- What depends on the clock is not kept: the rows for the waiting-time
  filters; the counts of closed cases go by calendar day.
- Kept at most KEEP_SECONDS, whatever happens: a change made while the
  shared cache was away moved no number.
- Without the shared cache the inbox reads the database each time.
"""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.db import transaction

from steunpunt.cache import CACHE_UNAVAILABLE, next_generation, shared_generation

logger = logging.getLogger(__name__)

GENERATION_KEY = "inbox:generation"
KEEP_SECONDS = 60
KEPT_ENTRIES = 500

_kept: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def current_generation() -> int | None:
    """The inbox generation; None when the shared cache is away (then nothing is kept)."""
    try:
        return shared_generation(GENERATION_KEY)
    except CACHE_UNAVAILABLE:
        logger.warning("Shared cache unavailable: the inbox reads the database")
        forget()
        return None


def kept[T](generation: int | None, key: tuple, read: Callable[[], T]) -> T:
    """``read()``, kept in this process under ``key`` in this generation.

    The value is shared by the threads of the process: read it, never change it.
    """
    if generation is None:
        return read()
    full_key = (generation, *key)
    now = time.monotonic()
    with _lock:
        entry = _kept.get(full_key)
    if entry is not None and now - entry[0] < KEEP_SECONDS:
        return entry[1]  # type: ignore[return-value]
    value = read()
    with _lock:
        _kept[full_key] = (now, value)
        _kept.move_to_end(full_key)
        while len(_kept) > KEPT_ENTRIES:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    with _lock:
        _kept.clear()


def changed() -> None:
    """Something the inbox shows changed: move the generation, now and after the commit."""
    _move_on()
    transaction.on_commit(_move_on, robust=True)


def _move_on() -> None:
    try:
        next_generation(GENERATION_KEY)
    except CACHE_UNAVAILABLE:
        # Nobody can read the number now; what is kept ages out (KEEP_SECONDS).
        logger.warning("Shared cache unavailable: the inbox generation did not move")
        forget()


def _changed(sender, **kwargs) -> None:
    changed()


def connect() -> None:
    """Move the generation whenever a case, its themes, a theme or a user changes."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from informeren.models import Thema
    from steunen.models import Case

    user_model = get_user_model()
    for model in (Case, Thema, user_model):
        post_save.connect(_changed, sender=model, dispatch_uid=f"inbox-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"inbox-del-{model.__name__}")
    for through in (Case.themes.through, user_model.groups.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"inbox-{through.__name__}")
