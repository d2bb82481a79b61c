"""Reach: questions per 1,000 pupils per gemeente.

Worked out from the report's own table of gemeenten after suppression, so it
shows nothing that table hides: where the number of questions from a gemeente
is hidden, so is its reach, and the reach of all gemeenten together is shown
only when every gemeente's number is. Pupils are DUO's count per gemeente
(informeren.PupilCount) on the last 1 October within the period, or the
earliest count when the period lies before all counts; an SWV report counts
the pupils of its own sector in its own gemeenten.
"""

from datetime import date
from typing import Any

from informeren.models import PupilCount, Samenwerkingsverband, SwvGemeente
from signaleren.periods import Period


def _count_year(period: Period) -> int | None:
    years = sorted(set(PupilCount.objects.values_list("year", flat=True)))
    if not years:
        return None
    within = [year for year in years if date(year, 10, 1) <= period.end]
    return within[-1] if within else years[0]


def decimal(value: float) -> str:
    """8.25 as '8,3': one decimal, the Dutch way."""
    return f"{value:.1f}".replace(".", ",")


def _together(table: dict[str, Any], gemeenten: set[str]) -> int | None:
    """The questions from these gemeenten together, if the published cells give it:
    their own numbers, or the total minus every other row (elsewhere and unknown
    included). None when a hidden number would be needed."""
    mine = [row for row in table["rows"] if row["key"] in gemeenten]
    if all(row["value"] is not None for row in mine):
        together: int = sum(row["value"] for row in mine)
        return together
    others = [row for row in table["rows"] if row["key"] not in gemeenten]
    total = (table.get("total") or {}).get("value")
    if total is not None and all(row["value"] is not None for row in others):
        rest: int = total - sum(row["value"] for row in others)
        return rest
    return None


def reach_figures(
    tables: list[dict[str, Any]], period: Period, swv: Samenwerkingsverband | None
) -> dict[str, Any] | None:
    """The reach rows of a report, JSON-ready; None without pupil counts."""
    year = _count_year(period)
    table = next((t for t in tables if t["key"] == "gemeente"), None)
    if year is None or table is None:
        return None
    counts = PupilCount.objects.filter(year=year)
    if swv is not None:
        counts = counts.filter(sector=swv.sector)
        own = set(
            SwvGemeente.objects.filter(samenwerkingsverband=swv).values_list("gemeente", flat=True)
        )
    pupils: dict[str, int] = {}
    for gemeente, n in counts.values_list("gemeente", "pupils"):
        pupils[gemeente] = pupils.get(gemeente, 0) + n
    rows = []
    for row in table["rows"]:
        gemeente = row["key"]
        if not gemeente or not pupils.get(gemeente) or (swv is not None and gemeente not in own):
            continue
        per_1000 = None if row["value"] is None else 1000 * row["value"] / pupils[gemeente]
        rows.append(
            {
                "gemeente": gemeente,
                "questions": row["display"],
                "pupils": pupils[gemeente],
                "per_1000": None if per_1000 is None else round(per_1000, 1),
                "display": "verborgen" if per_1000 is None else decimal(per_1000),
            }
        )
    if not rows:
        return None
    total = None
    questions = _together(table, {row["gemeente"] for row in rows})
    if questions is not None:
        total = round(1000 * questions / sum(row["pupils"] for row in rows), 1)
    return {
        "year": year,
        "rows": rows,
        "pupils": sum(row["pupils"] for row in rows),
        "per_1000": total,
        "display": "verborgen" if total is None else decimal(total),
    }
