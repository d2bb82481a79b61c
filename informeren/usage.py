"""Counting page reads without identifying anyone and without a write per read.

A read increments a counter in the cache (no cookie, no address, no user
agent is looked at). At most once a minute a read enqueues a task that
flushes the counters into DailyReads; the scheduler does so every ten
minutes, and `manage.py flush_reads` by hand. With several processes the
cache must be shared (Redis) for counts to add up.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from informeren.models import DailyReads, Organisatie, ReadKind, School, Topic

KEY_TIMEOUT = 3 * 24 * 60 * 60
FLUSH_LOCK = "reads:flush-lock"


def _key(kind: str, object_id: int, day) -> str:
    return f"reads:{day.isoformat()}:{kind}:{object_id}"


def record_read(kind: str, object_id: int) -> None:
    if not settings.COUNT_READS:
        return
    key = _key(kind, object_id, timezone.localdate())
    cache.add(key, 0, KEY_TIMEOUT)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr: count it next time
        return
    if cache.add(FLUSH_LOCK, 1, settings.READS_FLUSH_SECONDS):
        flush_read_counts.enqueue()


def _candidates() -> dict[str, list[int]]:
    return {
        ReadKind.TOPIC: list(Topic.objects.published().values_list("pk", flat=True)),
        ReadKind.SCHOOL: list(School.objects.values_list("pk", flat=True)),
        ReadKind.ORGANISATIE: list(Organisatie.objects.values_list("pk", flat=True)),
    }


def flush_reads() -> int:
    """Move buffered counts of today and yesterday into the database. Returns reads moved."""
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
