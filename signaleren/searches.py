"""What people looked for: the anonymous search counts of a period, for the board report.

Reads informeren's monthly search counts (informeren/searchlog.py: a number
per month and short query, nothing of who searched) and never writes. Each
query is given the theme of the page that search puts first for it now
(``find_topics``, which counts nothing), so nothing was stored per visitor
to know it; a page can belong to more than one theme.

Suppressed like every other count (signaleren/figures.py, rule 1): a number
under the threshold reads "< N", and where the rows add up to the total a
second cell is hidden too. Queries themselves are named only when searched
at least the threshold that period. Like the page-usage figures, these are
not questions and are left out of the subtraction rule: a search is
nobody's.
"""

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from informeren.models import (
    DailyReads,
    ReadKind,
    SearchCount,
    Topic,
    WegwijzerAudience,
    WegwijzerSituation,
)
from informeren.search import find_topics
from informeren.wegwijzer import OUTCOMES
from signaleren.figures import cell, hidden_cells, table_cells
from signaleren.periods import Period

MAX_QUERIES = 100  # the most searched are given a theme (a search each: keep the report quick)
MAX_LISTED = 10
NO_PAGE = "Geen pagina gevonden"
NO_THEME = "Zonder thema"


def counts_in(period: Period) -> QuerySet[SearchCount]:
    """The rows of the months of the period (calendar periods begin on the first)."""
    first = date(period.start.year, period.start.month, 1)
    return SearchCount.objects.filter(month__gte=first, month__lte=period.end)


def search_figures(period: Period, threshold: int) -> dict[str, Any]:
    """Searches in the period: in all, without result, per theme, and the common
    queries that found nothing. JSON-ready, suppressed."""
    rows = counts_in(period)
    totals = rows.aggregate(searches=Sum("searches"), without=Sum("without_result"))
    searches, without = totals["searches"] or 0, totals["without"] or 0
    per_query = list(
        rows.order_by()
        .values("query")
        .annotate(n=Sum("searches"), without=Sum("without_result"))
        .filter(n__gt=0)
        .order_by("-n", "query")
    )

    themes_of: dict[int, list[str]] = {}
    for pk, name in Topic.objects.published().values_list("pk", "themes__name"):
        themes_of.setdefault(pk, [])
        if name:
            themes_of[pk].append(name)
    by_theme: Counter[str] = Counter()
    for row in per_query[:MAX_QUERIES]:
        found, _query, _index = find_topics(row["query"])
        best = found[0] if found else None
        for theme in (themes_of.get(best) or [NO_THEME]) if best else [NO_PAGE]:
            by_theme[theme] += row["n"]

    given = sum(row["n"] for row in per_query[:MAX_QUERIES])
    additive = sum(by_theme.values()) == given  # no page of several themes among them
    hidden = hidden_cells(by_theme, threshold, additive=additive, total_shown=given >= threshold)
    cells = table_cells(dict(by_theme), hidden, threshold, additive=additive)
    themes = [
        {"label": label, **cells[label]}
        for label, _n in sorted(by_theme.items(), key=lambda item: (-item[1], item[0]))
    ]
    nothing = [
        {"label": row["query"], **cell(row["without"], threshold, False)}
        for row in per_query
        if row["n"] >= threshold and row["without"] >= threshold
    ][:MAX_LISTED]
    return {
        "routes": route_figures(period, threshold),
        "searches": cell(searches, threshold, searches < threshold),
        "without_result": cell(without, threshold, without < threshold),
        "themes": themes if searches >= threshold else [],
        # How many searches the themes cover: the most searched queries only.
        "themes_cover": cell(given, threshold, given < threshold),
        "themes_cover_all": len(per_query) <= MAX_QUERIES,
        "found_nothing": nothing,
    }


def route_figures(period: Period, threshold: int) -> dict[str, Any]:
    """Where the wegwijzer led in the period: its result pages read, per situation
    and per audience (who said what they were, never who they were). Suppressed
    like the search themes: each list adds up to the total."""
    reads = (
        DailyReads.objects.filter(
            kind=ReadKind.WEGWIJZER, day__gte=period.start, day__lte=period.end
        )
        .order_by()
        .values("object_id")
        .annotate(n=Sum("count"))
        .values_list("object_id", "n")
    )
    by_situation: Counter[str] = Counter()
    by_audience: Counter[str] = Counter()
    for number, n in reads:
        if number not in OUTCOMES:
            continue
        audience, situation = OUTCOMES[number]
        by_situation[str(WegwijzerSituation(situation).label)] += n
        by_audience[str(WegwijzerAudience(audience).label)] += n
    total = sum(by_situation.values())

    def rows(counts: Counter[str]) -> list[dict[str, Any]]:
        if total < threshold:
            return []
        hidden = hidden_cells(dict(counts), threshold, additive=True)
        cells = table_cells(dict(counts), hidden, threshold, additive=True)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [{"label": label, **cells[label]} for label, _n in ordered]

    return {
        "total": cell(total, threshold, total < threshold),
        "situations": rows(by_situation),
        "audiences": rows(by_audience),
    }
