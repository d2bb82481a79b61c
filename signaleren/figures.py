"""The figures of a board report: aggregates of cases, time, outcomes and usage.

Everything is counted in the database and returned as plain data that can
be frozen as JSON. Small numbers are suppressed before anything leaves this
module: a count under the threshold becomes "< N", and where one hidden cell
could be recomputed from a total, a second cell is hidden too. No free text
from cases is ever read here.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from informeren.models import (
    DailyReads,
    Feedback,
    OrganisatieSoort,
    ReadKind,
    Samenwerkingsverband,
    SchoolType,
    Thema,
    Topic,
)
from steunen.models import (
    Activity,
    AskerType,
    Case,
    Channel,
    Evaluation,
    Outcome,
    Referral,
    Status,
    TimeEntry,
)


class PeriodError(ValueError):
    """A period that cannot be reported on; the message is for the user."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError("De periode eindigt voordat hij begint.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        def shift(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        return Period(shift(self.start), shift(self.end))

    def bounds(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(self.start, time.min))
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return start, end

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} t/m {self.end:%d-%m-%Y}"


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    return Period(start, next_start - timedelta(days=1))


# --- Suppression ----------------------------------------------------------------------


def hidden_cells(counts: dict[str, int], threshold: int, *, additive: bool) -> set[str]:
    """Which cells to hide: every count under the threshold, plus, in a table whose
    rows add up to a published total, the smallest other cell when only one is hidden
    (otherwise total minus the rest would give it away)."""
    hidden = {key for key, value in counts.items() if value < threshold}
    if additive and sum(counts.values()) >= threshold and len(hidden) == 1 and len(counts) > 1:
        visible = sorted((value, key) for key, value in counts.items() if key not in hidden)
        hidden.add(visible[0][1])
    return hidden


def cell(value: int | None, threshold: int, hidden: bool) -> dict:
    if hidden or value is None:
        return {"value": None, "display": f"< {threshold}"}
    return {"value": value, "display": str(value)}


def trend(current: dict, previous: dict | None) -> str:
    """Only between two published numbers; a hidden cell never gets a direction."""
    if not previous or current["value"] is None or previous["value"] is None:
        return ""
    if current["value"] > previous["value"]:
        return "hoger"
    if current["value"] < previous["value"]:
        return "lager"
    return "gelijk"


# --- Counting --------------------------------------------------------------------------


def cases_in(period: Period, swv: Samenwerkingsverband | None) -> QuerySet[Case]:
    start, end = period.bounds()
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
    return cases.filter(samenwerkingsverband=swv) if swv else cases


def closed_in(period: Period, swv: Samenwerkingsverband | None) -> QuerySet[Case]:
    start, end = period.bounds()
    cases = Case.objects.filter(
        status=Status.AFGEROND, closed_at__gte=start, closed_at__lt=end, merged_into__isnull=True
    )
    return cases.filter(samenwerkingsverband=swv) if swv else cases


def _grouped(queryset: QuerySet, field: str) -> dict[str, int]:
    return {
        str(row[field]): row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("id"))
    }


PARTITIONS = ("asker_type", "school_type", "channel", "thuiszitter")


def raw_counts(period: Period, swv: Samenwerkingsverband | None) -> dict[str, dict[str, int]]:
    """Unsuppressed counts per table. Internal: only the coordinator's live view and
    the suppression below ever see these."""
    received = cases_in(period, swv)
    counts: dict[str, dict[str, int]] = {field: {} for field in PARTITIONS}
    # One pass over the period's cases for all four partitions.
    for row in received.order_by().values(*PARTITIONS).annotate(n=Count("id")):
        for field in PARTITIONS:
            key = str(row[field])
            counts[field][key] = counts[field].get(key, 0) + row["n"]
    start, end = period.bounds()
    referrals = Referral.objects.filter(created_at__gte=start, created_at__lt=end)
    if swv:
        referrals = referrals.filter(case__samenwerkingsverband=swv)
    # A case has each theme at most once, so counting the links counts the cases.
    counts["themes"] = _grouped(received.filter(themes__isnull=False), "themes__slug")
    counts["outcome"] = _grouped(closed_in(period, swv), "outcome")
    counts["referral"] = _grouped(referrals, "organisatie__soort")
    return counts


TABLES = [
    # key, title, labels, additive (rows add up to the total of the table)
    ("asker_type", "Wie stelde de vraag?", dict(AskerType.choices), True),
    ("school_type", "Soort school", {"": "Onbekend", **dict(SchoolType.choices)}, True),
    ("channel", "Hoe kwam de vraag binnen?", dict(Channel.choices), True),
    ("thuiszitter", "Kind zat thuis zonder school", {"True": "Ja", "False": "Nee"}, True),
    ("themes", "Thema's (een vraag kan over meer thema's gaan)", None, False),
    ("outcome", "Uitkomst van afgeronde vragen", dict(Outcome.choices), True),
    ("referral", "Doorverwijzingen naar", dict(OrganisatieSoort.choices), False),
]


def _theme_labels() -> dict[str, str]:
    return dict(Thema.objects.values_list("slug", "name"))


def suppressed_tables(
    current: dict, previous: dict, threshold: int, year_before: dict | None = None
) -> list[dict]:
    tables = []
    theme_labels = _theme_labels()
    for key, title, labels, additive in TABLES:
        labels = {str(k): str(v) for k, v in (labels or theme_labels).items()}
        counts = {label_key: current[key].get(label_key, 0) for label_key in labels}
        before = {label_key: previous[key].get(label_key, 0) for label_key in labels}
        hidden_now = hidden_cells(counts, threshold, additive=additive)
        hidden_before = hidden_cells(before, threshold, additive=additive)
        a_year = {
            label_key: (year_before or {}).get(key, {}).get(label_key, 0) for label_key in labels
        }
        hidden_year = hidden_cells(a_year, threshold, additive=additive)
        rows = []
        for label_key, label in labels.items():
            now_cell = cell(counts[label_key], threshold, label_key in hidden_now)
            before_cell = cell(before[label_key], threshold, label_key in hidden_before)
            row = {"label": label, **now_cell, "previous": before_cell["display"]}
            row["trend"] = trend(now_cell, before_cell)
            if year_before is not None:
                year_cell = cell(a_year[label_key], threshold, label_key in hidden_year)
                row["year_before"] = year_cell["display"]
                row["year_trend"] = trend(now_cell, year_cell)
            rows.append(row)
        table = {"key": key, "title": title, "rows": rows, "additive": additive}
        if additive:
            total = sum(counts.values())
            table["total"] = cell(total, threshold, total < threshold)
        tables.append(table)
    return tables


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _per_case_minutes(entries: QuerySet) -> tuple[int, int, float | None]:
    """(cases, total minutes, median minutes per case), in the database where it can."""
    per_case = entries.order_by().values("case").annotate(m=Sum("minutes")).values("m")
    if connection.vendor == "postgresql":
        sql, params = per_case.query.sql_with_params()
        with connection.cursor() as cursor:
            # The inner SQL is Django's own, with its values passed as params.
            query = (
                "SELECT count(*), coalesce(sum(m), 0), "  # noqa: S608
                f"percentile_cont(0.5) WITHIN GROUP (ORDER BY m) FROM ({sql}) AS per_case"
            )
            cursor.execute(query, params)
            cases, total, median = cursor.fetchone()
        return cases, int(total), median
    minutes = [row["m"] for row in per_case]
    return len(minutes), sum(minutes), _median(minutes)


def time_figures(period: Period, swv: Samenwerkingsverband | None, threshold: int) -> dict:
    entries = TimeEntry.objects.filter(date__gte=period.start, date__lte=period.end)
    if swv:
        entries = entries.filter(case__samenwerkingsverband=swv)
    cases, total_minutes, median = _per_case_minutes(entries)
    by_activity = {
        row["activity"]: row
        for row in entries.order_by()
        .values("activity")
        .annotate(minutes=Sum("minutes"), cases=Count("case", distinct=True))
    }
    activities = []
    for value, label in Activity.choices:
        row = by_activity.get(value, {"minutes": 0, "cases": 0})
        shown = row["cases"] >= threshold
        activities.append(
            {
                "label": str(label),
                "hours": round(row["minutes"] / 60, 1) if shown else None,
                "display": f"{row['minutes'] / 60:.1f}".replace(".", ",")
                if shown
                else f"< {threshold} vragen",
            }
        )
    enough = cases >= threshold
    return {
        "cases": cell(cases, threshold, not enough),
        "total_hours": round(total_minutes / 60, 1) if enough else None,
        "median_minutes": round(median) if enough and median is not None else None,
        "by_activity": activities,
    }


class Median(Aggregate):
    """The median, computed by PostgreSQL (percentile_cont). Other databases: see _median_of."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _median_of(queryset: QuerySet, start: str, end: str) -> timedelta | None:
    """Median of (end - start) over the queryset, in the database where it can."""
    span = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    if connection.vendor == "postgresql":
        return queryset.aggregate(m=Median(span, output_field=DurationField()))["m"]
    spans = [b - a for a, b in queryset.values_list(start, end)]
    return statistics.median(spans) if spans else None


def response_figures(period: Period, swv: Samenwerkingsverband | None, threshold: int) -> dict:
    answered = cases_in(period, swv).filter(first_response_at__isnull=False)
    counts = answered.aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(first_response_at__lte=F("response_due_at")))
    )
    closed = closed_in(period, swv)
    closed_count = closed.count()
    enough_answered = counts["n"] >= threshold
    enough_closed = closed_count >= threshold
    first_answer = (
        _median_of(answered, "created_at", "first_response_at") if enough_answered else None
    )
    to_close = _median_of(closed, "created_at", "closed_at") if enough_closed else None
    return {
        "answered": cell(counts["n"], threshold, not enough_answered),
        "median_hours_first_answer": (
            round(first_answer.total_seconds() / 3600, 1) if first_answer is not None else None
        ),
        "within_promise_pct": round(100 * counts["on_time"] / counts["n"])
        if enough_answered
        else None,
        "closed": cell(closed_count, threshold, not enough_closed),
        "median_days_to_close": (
            round(to_close.total_seconds() / 86400, 1) if to_close is not None else None
        ),
    }


def usage_figures(period: Period, threshold: int) -> list[dict]:
    """Reads and 'did this help?' per information page (not per SWV: pages are public)."""
    reads = dict(
        DailyReads.objects.filter(kind=ReadKind.TOPIC, day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("object_id")
        .annotate(n=Sum("count"))
        .values_list("object_id", "n")
    )
    answers = {
        row["topic"]: row
        for row in Feedback.objects.filter(day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("topic")
        .annotate(yes=Count("id", filter=Q(helpful=True)), total=Count("id"))
    }
    titles = dict(Topic.objects.filter(pk__in=set(reads) | set(answers)).values_list("pk", "title"))
    rows = []
    for topic_id, title in titles.items():
        answer = answers.get(topic_id, {"yes": 0, "total": 0})
        rows.append(
            {
                "label": title,
                "reads": reads.get(topic_id, 0),
                "helpful_pct": round(100 * answer["yes"] / answer["total"])
                if answer["total"] >= threshold
                else None,
                "answers": cell(answer["total"], threshold, answer["total"] < threshold)["display"],
            }
        )
    rows.sort(key=lambda row: (-row["reads"], row["label"]))
    return rows[:15]


def evaluation_figures(period: Period, swv: Samenwerkingsverband | None, threshold: int) -> dict:
    """Average scores (1-5) of evaluations given in the period; none under the threshold."""
    evaluations = Evaluation.objects.filter(day__gte=period.start, day__lte=period.end)
    if swv:
        evaluations = evaluations.filter(case__samenwerkingsverband=swv)
    result = evaluations.aggregate(
        n=Count("id"), listened=Avg("listened"), helped=Avg("helped"), recommend=Avg("recommend")
    )
    enough = result["n"] >= threshold
    scores = {
        key: (f"{result[key]:.1f}".replace(".", ",") if enough else None)
        for key in ("listened", "helped", "recommend")
    }
    return {"count": cell(result["n"], threshold, not enough), **scores}


def compute(
    period: Period, swv: Samenwerkingsverband | None, *, threshold: int | None = None
) -> dict:
    """All published figures of a report, suppressed, as JSON-ready data."""
    threshold = threshold or settings.REPORT_SUPPRESSION_THRESHOLD
    current = raw_counts(period, swv)
    previous_period = period.previous()
    previous = raw_counts(previous_period, swv)
    year_before = period.year_before()
    first_case = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    has_year = first_case is not None and timezone.localdate(first_case) <= year_before.start
    figures = {
        "period": period.label(),
        "previous_period": previous_period.label(),
        "swv": str(swv) if swv else "Alle samenwerkingsverbanden van het steunpunt",
        "threshold": threshold,
        "tables": [],
        "time": time_figures(period, swv, threshold),
        "response": response_figures(period, swv, threshold),
        "usage": usage_figures(period, threshold),
        "evaluation": evaluation_figures(period, swv, threshold),
        "year_before": None,
    }
    last_year = raw_counts(year_before, swv) if has_year else None
    figures["tables"] = suppressed_tables(current, previous, threshold, last_year)
    if last_year is not None:
        total_now = sum(current["asker_type"].values())
        total_then = sum(last_year["asker_type"].values())
        now_cell = cell(total_now, threshold, total_now < threshold)
        then_cell = cell(total_then, threshold, total_then < threshold)
        figures["year_before"] = {
            "period": year_before.label(),
            "total": then_cell["display"],
            "trend": trend(now_cell, then_cell),
        }
    return figures


def live_dashboard(period: Period, swv: Samenwerkingsverband | None) -> dict:
    """For the coordinator only: unsuppressed counts to steer the team."""
    now = timezone.now()
    open_cases = Case.objects.open().filter(merged_into__isnull=True)
    if swv:
        open_cases = open_cases.filter(samenwerkingsverband=swv)
    ages = {"< 1 week": 0, "1-4 weken": 0, "> 4 weken": 0}
    for created in open_cases.values_list("created_at", flat=True):
        age = (now - created).days
        ages["< 1 week" if age < 7 else "1-4 weken" if age < 28 else "> 4 weken"] += 1
    entries = TimeEntry.objects.filter(date__gte=period.start, date__lte=period.end)
    if swv:
        entries = entries.filter(case__samenwerkingsverband=swv)
    weeks: dict[str, int] = {}
    for day, minutes in entries.order_by("date").values_list("date", "minutes"):
        week = f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"
        weeks[week] = weeks.get(week, 0) + minutes
    return {
        "counts": raw_counts(period, swv),
        "open_by_age": ages,
        "hours_per_week": {week: round(minutes / 60, 1) for week, minutes in weeks.items()},
        "received": cases_in(period, swv).count(),
        "closed": closed_in(period, swv).count(),
    }
