"""Counting page reads without identifying anyone and without a write per read.

A read adds one to a counter in this process's memory (no cookie, no
address, no user agent is looked at). At most once a second a process adds
its counters to shared ones in the cache (Redis with several processes);
at most once a minute that enqueues a task that moves the shared counters
into DailyReads. The scheduler flushes every ten minutes as well, and
`manage.py flush_reads` by hand. A process pushes its counters with its
next read after a second; a worker that is killed loses what it had not
pushed yet: statistics, not records.
"""

import contextlib
import logging
import threading
import time
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from informeren.models import DailyReads, Organisatie, ReadKind, School, Topic
from informeren.wegwijzer import OUTCOMES
from steunpunt.cache import CACHE_UNAVAILABLE, kept

logger = logging.getLogger(__name__)

KEY_TIMEOUT = 3 * 24 * 60 * 60
FLUSH_LOCK = "reads:flush-lock"
PUSH_SECONDS = 1.0

_pending: Counter[str] = Counter()
_pending_lock = threading.Lock()
_pushed_at = float("-inf")


def _key_prefix(day: date) -> str:
    return f"reads:{day.isoformat()}"


def _key(kind: str, object_id: int, day: date) -> str:
    return f"{_key_prefix(day)}:{kind}:{object_id}"


_today = ""


def record_read(kind: str, object_id: int) -> None:
    if not settings.COUNT_READS:
        return
    if time.monotonic() - _pushed_at >= PUSH_SECONDS:
        push_reads()  # also looks up today's date
        # A read must not fail because the flush cannot be queued
        # (Redis or the database away): the counts wait for the next try.
        with contextlib.suppress(*CACHE_UNAVAILABLE, DatabaseError):
            if cache.add(FLUSH_LOCK, 1, settings.READS_FLUSH_SECONDS):
                flush_read_counts.enqueue()
    with _pending_lock:
        _pending[f"{_today}:{kind}:{object_id}"] += 1


def push_reads() -> None:
    """Add this process's counters to the shared ones in the cache."""
    global _pushed_at, _today
    with _pending_lock:
        counts = dict(_pending)
        _pending.clear()
        _pushed_at = time.monotonic()
        # The day is looked up once a push, not once a read: a read in the
        # last second before midnight may count for the day before.
        _today = _key_prefix(timezone.localdate())
    try:
        for key, count in counts.items():
            cache.add(key, 0, KEY_TIMEOUT)
            try:
                cache.incr(key, count)
            except ValueError:  # evicted between add and incr: start again from this count
                cache.set(key, count, KEY_TIMEOUT)
    except CACHE_UNAVAILABLE:
        logger.warning("Shared cache unavailable: %d page reads not counted", sum(counts.values()))


def _candidates() -> dict[str, list[int]]:
    return {
        ReadKind.TOPIC: list(Topic.objects.published().values_list("pk", flat=True)),
        ReadKind.SCHOOL: list(School.objects.values_list("pk", flat=True)),
        ReadKind.ORGANISATIE: list(Organisatie.objects.values_list("pk", flat=True)),
        ReadKind.WEGWIJZER: sorted(OUTCOMES),
    }


def readable() -> dict[str, frozenset[int]]:
    """What a read may be counted of (published pages only), kept per content version."""
    return kept("readable", lambda: {k: frozenset(v) for k, v in _candidates().items()})


def flush_reads() -> int:
    """Move buffered counts of today and yesterday into the database. Returns reads moved."""
    push_reads()
    moved = 0
    today = timezone.localdate()
    candidates = _candidates()
    for day in (today - timedelta(days=1), today):
        keys = {
            _key(kind, object_id, day): (kind, object_id)
            for kind, ids in candidates.items()
            for object_id in ids
        }
        counts = {key: value for key, value in cache.get_many(list(keys)).items() if value}
        for key, count in counts.items():
            kind, object_id = keys[key]
            with transaction.atomic():
                row, created = DailyReads.objects.get_or_create(
                    kind=kind, object_id=object_id, day=day, defaults={"count": count}
                )
                if not created:
                    DailyReads.objects.filter(pk=row.pk).update(count=F("count") + count)
            # Subtract what was moved, so reads that came in meanwhile stay.
            cache.decr(key, count)
            moved += count
    return moved


@task
def flush_read_counts() -> int:
    return flush_reads()
