"""Counting searches without identifying anyone, so editors know what to write next.

Counted like page reads (informeren/usage.py): no cookie, no address, no
user agent, no time of day. What is kept is a number per month and per
query: how often it was searched, how often it found nothing, and how often
someone sent a question after it. Only the query itself is stored, and only
when it is short and plain (``normalise``): lowercase, at most six words
and 100 characters, nothing with an @, a web address, more than two digits
(phone numbers, postcodes, dates, citizen service numbers) or other odd
characters. Anything else is not stored at all.

Editors see a query only once it was searched at least
``REPORT_SUPPRESSION_THRESHOLD`` times in the month (``month_report``), and
every count under that number as "< N", so no one's words can be read back.
Rows are deleted after ``KEEP_MONTHS`` (``forget_old_searches``, daily).

A search adds one to a counter in this process's memory; at most every
``FLUSH_SECONDS`` the process writes its counters in one transaction (one
INSERT ... ON CONFLICT DO UPDATE per query, which adds to what is there, so
processes writing at once lose nothing). A write per search would cost a
disk flush on SQLite (about 12 ms). A worker that stops loses what it had
not written yet: statistics, not records. The editors' page writes its own
process's counters first, and `flush_searches` is there for tests and tasks.
"""

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet, Sum
from django.tasks import task
from django.utils import timezone

from informeren.models import SearchCount
from steunpunt.counts import below

logger = logging.getLogger(__name__)

MAX_WORDS = 6
MAX_LENGTH = 100  # SearchCount.query
MAX_DIGITS = 2  # "groep 8" and "klas 12" are kept; a phone number or postcode is not
KEEP_MONTHS = 13  # this month and the twelve before it: a year back, month by month
FLUSH_SECONDS = 10.0

# Letters and digits, with an apostrophe or hyphen inside a word (zo'n, ib-er).
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_EDGES = ".,;:!?\"'’‘“”«»()[]…-"


def normalise(raw: str) -> str | None:
    """The query as it is counted, or None when it is not to be stored at all."""
    text = unicodedata.normalize("NFKC", raw or "").lower()
    if "@" in text:
        return None
    words = [word.strip(_EDGES) for word in text.split()]
    words = [word for word in words if word]
    if not words or len(words) > MAX_WORDS:
        return None
    if not all(_WORD.fullmatch(word) for word in words):
        return None  # a web address, a sum, a code: nothing a person would say
    query = " ".join(words)
    if len(query) > MAX_LENGTH or sum(ch.isdigit() for ch in query) > MAX_DIGITS:
        return None
    if sum(ch.isalpha() for ch in query) < 2:
        return None
    return query


def this_month() -> date:
    return timezone.localdate().replace(day=1)


FIELDS = ("searches", "without_result", "asked_after")

# This process's counts not yet written: (month, query) -> [searches,
# without_result, asked_after].
_pending: dict[tuple[date, str], list[int]] = {}
_pending_lock = threading.Lock()
_flushed_at = time.monotonic()


def record_search(query: str, found: int) -> None:
    """Count one search (the first page of its results) and whether it found nothing."""
    _add(query, (1, int(found == 0), 0))


def record_asked_after_search(query: str) -> None:
    """Count a question sent after searching ``query``: a number, never stored on the case."""
    _add(query, (0, 0, 1))


def _add(query: str, increments: tuple[int, int, int]) -> None:
    counted = normalise(query)
    if counted is None:
        return
    month = this_month()
    with _pending_lock:
        row = _pending.setdefault((month, counted), [0, 0, 0])
        for i, n in enumerate(increments):
            row[i] += n
        due = time.monotonic() - _flushed_at >= FLUSH_SECONDS
    if due:
        flush_searches()


def flush_searches() -> int:
    """Write this process's counts to the database. Returns the searches written."""
    global _flushed_at
    with _pending_lock:
        counts = [(month, query, a, b, c) for (month, query), (a, b, c) in _pending.items()]
        _pending.clear()
        _flushed_at = time.monotonic()
    return write_counts(counts)


def write_counts(counts: list[tuple[date, str, int, int, int]]) -> int:
    """Add (month, query, searches, without_result, asked_after) rows to the database.

    One INSERT ... ON CONFLICT DO UPDATE per query adds to what is there:
    right when several processes write at once, on PostgreSQL and SQLite
    alike (the ORM's update_conflicts can only overwrite a count, not add).
    """
    if not counts:
        return 0
    table = connection.ops.quote_name(SearchCount._meta.db_table)
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in FIELDS)
    upsert = (
        f"INSERT INTO {table} (month, query, {', '.join(FIELDS)}) "  # noqa: S608 (our names)
        f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (month, query) DO UPDATE SET {added}"
    )
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    rows = [(connection.ops.adapt_datefield_value(c[0]), *c[1:]) for c in counts]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if relaxed:
                # Statistics, not records: this commit need not wait for the disk.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.executemany(upsert, rows)
    except DatabaseError:
        # A search must not fail because it could not be counted.
        logger.warning("Searches not counted: the database did not take %d rows", len(rows))
        return 0
    return sum(c[2] for c in counts)


def _months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def forget_old_searches() -> int:
    """Delete the counts of months before the last KEEP_MONTHS. Returns rows deleted."""
    first_kept = _months_back(this_month(), KEEP_MONTHS - 1)
    deleted, _ = SearchCount.objects.filter(month__lt=first_kept).delete()
    return deleted


@task
def forget_old_search_counts() -> int:
    return forget_old_searches()


# --- What editors see ----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number as it may be shown: itself from the threshold up, else "< N"."""

    value: int | None
    display: str

    @classmethod
    def of(cls, value: int, threshold: int) -> "Figure":
        if value < threshold:
            return cls(None, below(threshold))
        return cls(value, str(value))


@dataclass(frozen=True)
class ReportedQuery:
    query: str
    searches: Figure
    without_result: Figure
    asked_after: Figure


@dataclass(frozen=True)
class MonthReport:
    month: date
    threshold: int
    searches: Figure
    without_result: Figure
    asked_after: Figure
    found_nothing: list[ReportedQuery]  # searched often, found nothing at least once
    asked_anyway: list[ReportedQuery]  # searched often, then a question all the same


def months_counted() -> list[date]:
    """The months there are counts of, newest first."""
    return list(SearchCount.objects.order_by("-month").values_list("month", flat=True).distinct())


def month_report(month: date, *, threshold: int | None = None, limit: int = 100) -> MonthReport:
    """The searches of one month as editors may see them: rare queries left out.

    A query is listed only when it was searched at least ``threshold`` times
    that month; every count under the threshold shows as "< N"; lists are in
    the order of the number of searches, which is shown.
    """
    threshold = threshold or settings.REPORT_SUPPRESSION_THRESHOLD
    rows = SearchCount.objects.filter(month=month)
    totals = rows.aggregate(
        searches=Sum("searches"), without_result=Sum("without_result"), asked=Sum("asked_after")
    )
    frequent = rows.filter(searches__gte=threshold).order_by("-searches", "query")

    def listed(queryset: QuerySet[SearchCount]) -> list[ReportedQuery]:
        return [
            ReportedQuery(
                query=row.query,
                searches=Figure.of(row.searches, threshold),
                without_result=Figure.of(row.without_result, threshold),
                asked_after=Figure.of(row.asked_after, threshold),
            )
            for row in queryset[:limit]
        ]

    return MonthReport(
        month=month,
        threshold=threshold,
        searches=Figure.of(totals["searches"] or 0, threshold),
        without_result=Figure.of(totals["without_result"] or 0, threshold),
        asked_after=Figure.of(totals["asked"] or 0, threshold),
        found_nothing=listed(frequent.filter(without_result__gt=0)),
        asked_anyway=listed(frequent.filter(asked_after__gt=0)),
    )
