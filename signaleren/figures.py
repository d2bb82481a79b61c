"""The figures of a board report: aggregates of cases, time, outcomes and usage.

Everything is counted in the database and returned as plain data that can
be frozen as JSON. Small numbers are suppressed before anything leaves this
module. No free text from cases is ever read here.

THE RULE: no number under the threshold (10) can be read from a report, nor
worked out from what has been published, by adding or subtracting.

1. **Within one table.** A count under the threshold is hidden. Where the
   board can read the table's total and only one hidden cell would be left
   that it cannot work out, a second cell is hidden too (else total minus
   the rest gives it away): the smallest one that is not already known from
   other reports. A hidden cell reads "< 10" only when that is true of every
   hidden cell in its table; otherwise they all read "verborgen", so the
   parts always fit the total and the text never narrows a hidden number.
2. **Calendar periods only.** A report covers a month, quarter, half year,
   school year (1 August-31 July) or calendar year (signaleren/periods.py),
   for one SWV or for all SWVs of the steunpunt together. Free dates made
   it possible to publish 1 December-30 November beside 1 January-30
   November, and the difference was one December question.
3. **Published periods nest.** A report can only be published when its
   block (its SWV or all SWVs, and its period) lies wholly inside or wholly
   outside every block already published, never partly over one: a school
   year cuts a quarter, half year and calendar year in two, so one SWV is
   reported on per school year or per calendar year (months fit both). And
   there is one report per block.
4. **Subtraction is taken into account.** Nested blocks can be subtracted:
   a year minus its quarters, a quarter minus its months, all SWVs minus one
   SWV. For every number a new report would show, the rest that subtracting
   would give is counted: the new block minus the published blocks inside
   it, and the smallest published block around it minus everything
   published inside that, the new one included. If a rest holds 1 to 9
   questions (or cases with time, evaluations), the number is hidden in the
   new report. A rest of 0 gives no one away. Only blocks in which the board
   can read that same number count. Since in nested blocks every number the
   board can work out is a sum of such rests, none is then under the
   threshold. A number is also hidden when showing it would let the board
   work out the numbers another report hid beside a small one (rule 1), so
   that the small one follows from that report's total.
5. **Comparisons repeat what was published.** The "period before" and "a
   year before" columns show the numbers of the report published for that
   period, exactly as published, and are left out when there is none. So a
   report never publishes new numbers about another period, and a number
   never appears twice with two values.

Why this rule: it is simple to explain to a board (periods never half
overlap; a number that would reveal a small rest stays hidden), it stops
the December example and its nested variants (a half year minus one of its
quarters, a quarter minus its months, all SWVs minus one), and it hides only
what subtracting would give away: a year made of four published quarters is
shown in full. tests/signaleren/test_differencing.py checks random series of
reports against every count that can be worked out from them. Not covered:
the page-usage figures (anonymous page reads and "did this help?" answers,
not questions), and the number a coordinator types beside a signal.
"""

import statistics
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

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
    SwvGemeente,
    Thema,
    Topic,
)
from signaleren.models import Report
from signaleren.periods import Period, PeriodError
from signaleren.reach import reach_figures
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
from steunpunt.counts import below

HIDDEN = "verborgen"

# --- Blocks: whose cases, in which period --------------------------------------------


@dataclass(frozen=True)
class Block:
    """The records of one SWV (None: all SWVs of the steunpunt) in one period."""

    swv: int | None
    period: Period

    @classmethod
    def of(cls, period: Period, swv: Samenwerkingsverband | None) -> "Block":
        return cls(swv.pk if swv else None, period)

    def contains(self, other: "Block") -> bool:
        return (self.swv is None or self.swv == other.swv) and self.period.contains(other.period)

    def disjoint(self, other: "Block") -> bool:
        other_swv = self.swv is not None and other.swv is not None and self.swv != other.swv
        return other_swv or not self.period.overlaps(other.period)

    def nests_with(self, other: "Block") -> bool:
        return self.contains(other) or other.contains(self) or self.disjoint(other)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.swv is not None, self.swv or 0, self.period.start, self.period.end)

    def q(self, *, swv: str, at: str | None = None, day: str | None = None) -> Q:
        """The filter for this block on a model: `at` a moment, or `day` a date."""
        if at:
            start, end = self.period.bounds()
            q = Q(**{f"{at}__gte": start, f"{at}__lt": end})
        else:
            q = Q(**{f"{day}__gte": self.period.start, f"{day}__lte": self.period.end})
        return q & Q(**{swv: self.swv}) if self.swv is not None else q


@dataclass(frozen=True)
class Region:
    """A block minus blocks inside it: what subtracting published numbers leaves."""

    block: Block
    minus: tuple[Block, ...] = ()

    def q(self, **fields: str) -> Q:
        q = self.block.q(**fields)
        for other in self.minus:
            q &= ~other.q(**fields)
        return q

    def is_empty(self) -> bool:
        """Nothing is left, whatever the data: the blocks taken off cover the block. Only
        blocks of the same SWV (or all) can: all SWVs always hold cases without one."""
        day = self.block.period.start
        same_swv = [b.period for b in self.minus if b.swv == self.block.swv]
        for period in sorted(same_swv, key=lambda p: (p.start, p.end)):
            if period.start > day:
                return False
            day = max(day, period.end + timedelta(days=1))
        return day > self.block.period.end


def _maximal(blocks: Iterable[Block]) -> list[Block]:
    blocks = list(blocks)
    return [b for b in blocks if not any(o != b and o.contains(b) for o in blocks)]


def _minimal(blocks: Iterable[Block]) -> list[Block]:
    blocks = list(blocks)
    return [b for b in blocks if not any(o != b and b.contains(o) for o in blocks)]


def _in_order(blocks: Iterable[Block]) -> tuple[Block, ...]:
    """Regions are compared (and their counts kept) by value: one order for their blocks."""
    return tuple(sorted(blocks, key=Block.sort_key))


# --- Suppression ----------------------------------------------------------------------


def hidden_cells(
    counts: dict[str, int],
    threshold: int,
    *,
    additive: bool,
    also: Iterable[str] = (),
    total_shown: bool | None = None,
    known: Iterable[str] = (),
) -> set[str]:
    """Which cells to hide: every count under the threshold and those in `also`
    (see the module docstring), plus, in a table whose rows add up to a total the
    board can read, another cell when only one hidden cell is not `known` already
    from published reports (else the total minus the rest gives it away): the
    smallest one not known where there is one, as hiding a number the board can
    work out elsewhere protects nothing."""
    known = set(known)
    hidden = {key for key, value in counts.items() if value < threshold} | (set(also) & set(counts))
    if total_shown is None:
        total_shown = sum(counts.values()) >= threshold
    if additive and total_shown and len(hidden - known) == 1 and len(counts) > 1:
        visible = sorted(
            (key in known, value, key) for key, value in counts.items() if key not in hidden
        )
        if visible:
            hidden.add(visible[0][2])
    return hidden


def cell(value: int | None, threshold: int, hidden: bool) -> dict[str, Any]:
    """A published number; hidden, it reads "< N" only when that is true."""
    if hidden or value is None:
        small = value is None or value < threshold
        return {"value": None, "display": below(threshold) if small else HIDDEN}
    return {"value": value, "display": str(value)}


def table_cells(
    counts: dict[str, int], hidden: set[str], threshold: int, *, additive: bool
) -> dict[str, dict[str, Any]]:
    """The cells of one table. In a table with a total, hidden cells all read
    "verborgen" as soon as one of them is not under the threshold: "< 10 · < 10
    · total 77" cannot be true, and "< 10" beside "verborgen" would tell which
    one is small."""
    honest = not additive or all(counts[key] < threshold for key in hidden)
    cells = {}
    for key, value in counts.items():
        if key in hidden and not honest:
            cells[key] = {"value": None, "display": HIDDEN}
        else:
            cells[key] = cell(value, threshold, key in hidden)
    return cells


def trend(current: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """Only between two published numbers; a hidden cell never gets a direction."""
    if not previous or current["value"] is None or previous.get("value") is None:
        return ""
    if current["value"] > previous["value"]:
        return "hoger"
    if current["value"] < previous["value"]:
        return "lager"
    return "gelijk"


# --- Counting --------------------------------------------------------------------------

CASE_FIELDS = {"swv": "samenwerkingsverband"}
LINKED_FIELDS = {"swv": "case__samenwerkingsverband"}


def _cases(region: Region) -> QuerySet[Case]:
    return Case.objects.live().filter(region.q(at="created_at", **CASE_FIELDS))


def _closed(region: Region) -> QuerySet[Case]:
    return Case.objects.live().filter(
        region.q(at="closed_at", **CASE_FIELDS), status=Status.AFGEROND
    )


def _time_entries(region: Region) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.filter(region.q(day="date", **LINKED_FIELDS))


def _evaluations(region: Region) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(region.q(day="day", **LINKED_FIELDS))


def cases_in(period: Period, swv: Samenwerkingsverband | None) -> QuerySet[Case]:
    cases = Case.objects.received_in(*period.bounds())
    return cases if swv is None else cases.filter(samenwerkingsverband=swv)


def closed_in(period: Period, swv: Samenwerkingsverband | None) -> QuerySet[Case]:
    return _closed(Region(Block.of(period, swv)))


def _grouped(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    return {
        str(row[field]): row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("id"))
    }


PARTITIONS = ("asker_type", "school_type", "channel", "thuiszitter", "gemeente")


def gemeente_labels() -> dict[str, str]:
    """The rows of the table of gemeenten: the region's (informeren.SwvGemeente), and
    one row for every question from elsewhere or without a gemeente, so the rows add
    up to all questions."""
    return {name: name for name in SwvGemeente.gemeenten()} | {"": "Onbekend of elders"}


def _raw_counts(region: Region) -> dict[str, dict[str, int]]:
    received = _cases(region)
    counts: dict[str, dict[str, int]] = {partition: {} for partition in PARTITIONS}
    region_gemeenten = set(gemeente_labels())
    # One pass over the period's cases for all partitions.
    for row in received.order_by().values(*PARTITIONS).annotate(n=Count("id")):
        for partition in PARTITIONS:
            key = str(row[partition])
            if partition == "gemeente" and key not in region_gemeenten:
                key = ""
            counts[partition][key] = counts[partition].get(key, 0) + row["n"]
    referrals = Referral.objects.filter(region.q(at="created_at", **LINKED_FIELDS))
    # A case has each theme at most once, so counting the links counts the cases.
    counts["themes"] = _grouped(received.filter(themes__isnull=False), "themes__slug")
    counts["outcome"] = _grouped(_closed(region), "outcome")
    counts["referral"] = _grouped(referrals, "organisatie__soort")
    return counts


def raw_counts(period: Period, swv: Samenwerkingsverband | None) -> dict[str, dict[str, int]]:
    """Unsuppressed counts per table. Internal: only the coordinator's live view and
    the suppression below ever see these."""
    return _raw_counts(Region(Block.of(period, swv)))


TABLES = [
    # key, title, labels, the cell that is the total of its rows (None: rows overlap)
    ("asker_type", "Wie stelde de vraag?", dict(AskerType.choices), "cases"),
    ("school_type", "Soort school", {"": "Onbekend", **dict(SchoolType.choices)}, "cases"),
    ("channel", "Hoe kwam de vraag binnen?", dict(Channel.choices), "cases"),
    ("thuiszitter", "Kind zat thuis zonder school", {"True": "Ja", "False": "Nee"}, "cases"),
    ("gemeente", "Gemeente waar de vrager woont", gemeente_labels, "cases"),
    ("themes", "Thema's (een vraag kan over meer thema's gaan)", None, None),
    ("outcome", "Uitkomst van afgeronde vragen", dict(Outcome.choices), "closed"),
    ("referral", "Doorverwijzingen naar", dict(OrganisatieSoort.choices), None),
]


TOTALS = {key: total_key for key, _title, _labels, total_key in TABLES if total_key}


def _theme_labels() -> dict[str, str]:
    return dict(Thema.objects.values_list("slug", "name"))


def _labels(labels: Any, theme_labels: dict[str, str]) -> dict[str, str]:
    """A table's rows: its fixed labels, the themes (None), or a function for rows
    that come from the region's data (the gemeenten)."""
    if callable(labels):
        labels = labels()
    return {str(k): str(v) for k, v in (labels if labels is not None else theme_labels).items()}


def _figure_counts(region: Region) -> dict[str, int]:
    """The counts that decide whether time, response and evaluation figures are shown."""
    entries = _time_entries(region).order_by()
    counts = {
        "time": entries.values("case").distinct().count(),
        "answered": _cases(region).filter(first_response_at__isnull=False).count(),
        "evaluation": _evaluations(region).count(),
    }
    for row in entries.values("activity").annotate(n=Count("case", distinct=True)):
        counts[f"time:{row['activity']}"] = row["n"]
    return counts


def cell_counts(region: Region) -> dict[str, int]:
    """Every number a report can show, as a count of records in the region, by cell key:
    "asker_type:ouder", "cases" (questions received), "closed", "time", "answered"..."""
    counts = _raw_counts(region)
    cells = {f"{table}:{key}": n for table, groups in counts.items() for key, n in groups.items()}
    cells["cases"] = sum(counts["asker_type"].values())
    cells["closed"] = sum(counts["outcome"].values())
    return cells | _figure_counts(region)


# --- What has been published ---------------------------------------------------------


def _shown(display: object) -> bool:
    return isinstance(display, int) or (isinstance(display, str) and display.isdigit())


def _label_keys(theme_labels: dict[str, str]) -> dict[str, dict[str, str]]:
    """Per table, label -> key: reports frozen before rows had a key name only the label."""
    return {
        key: {label: label_key for label_key, label in _labels(labels, theme_labels).items()}
        for key, _title, labels, _total in TABLES
    }


def _row_key(
    table: dict[str, Any], row: dict[str, Any], label_keys: dict[str, dict[str, str]]
) -> str | None:
    if "key" in row:
        key: str = row["key"]
        return key
    return label_keys.get(table["key"], {}).get(row["label"])


def _columns_shown(
    frozen: dict[str, Any], column: str, label_keys: dict[str, dict[str, str]]
) -> set[str]:
    """The table cells the board can read in one column ("display", "previous",
    "year_before"), with the totals they add up to."""
    shown = set()
    for table in frozen.get("tables", []):
        keys = [_row_key(table, row, label_keys) for row in table["rows"]]
        visible = [_shown(row.get(column)) for row in table["rows"]]
        shown |= {
            f"{table['key']}:{key}" for key, seen in zip(keys, visible, strict=True) if key and seen
        }
        total_key = TOTALS.get(table["key"])
        if total_key and table["rows"] and all(visible):
            shown.add(total_key)
        if column == "display" and total_key and _shown((table.get("total") or {}).get("display")):
            shown.add(total_key)
    return shown


def _main_shown(frozen: dict[str, Any], label_keys: dict[str, dict[str, str]]) -> set[str]:
    shown = _columns_shown(frozen, "display", label_keys)
    time = frozen.get("time") or {}
    if time.get("total_hours") is not None:
        shown.add("time")
    activities = {str(label): value for value, label in Activity.choices}
    for row in time.get("by_activity", []):
        key = row.get("key") or activities.get(row["label"])
        if key and row.get("hours") is not None:
            shown.add(f"time:{key}")
    response = frozen.get("response") or {}
    for key in ("answered", "closed"):
        if (response.get(key) or {}).get("value") is not None:
            shown.add(key)
    if ((frozen.get("evaluation") or {}).get("count") or {}).get("value") is not None:
        shown.add("evaluation")
    return shown


def _parse_label(label: str) -> Period | None:
    """A period from its label "01-07-2026 t/m 30-09-2026" (reports frozen before 2)."""
    try:
        start, end = (
            datetime.strptime(part.strip(), "%d-%m-%Y").date() for part in label.split("t/m")
        )
        return Period(start, end)
    except (ValueError, PeriodError):
        return None


def blocks_of(
    report: Report, label_keys: dict[str, dict[str, str]]
) -> list[tuple[Block, set[str]]]:
    """The blocks a published report shows numbers for, each with the cells it shows."""
    frozen = report.frozen or {}
    main = Block(report.samenwerkingsverband_id, Period(report.period_start, report.period_end))
    blocks = [(main, _main_shown(frozen, label_keys))]
    if frozen.get("version", 1) < 2:
        # Before calendar periods, the comparison columns held numbers of their own.
        previous = _parse_label(frozen.get("previous_period") or "")
        if previous:
            blocks.append(
                (Block(main.swv, previous), _columns_shown(frozen, "previous", label_keys))
            )
        year_before = frozen.get("year_before") or {}
        earlier = _parse_label(year_before.get("period") or "")
        if earlier:
            shown = _columns_shown(frozen, "year_before", label_keys)
            if _shown(year_before.get("total")):
                shown.add("cases")
            blocks.append((Block(main.swv, earlier), shown))
    return blocks


@dataclass
class Published:
    """What the board can already read: per block, the cells shown in published reports."""

    blocks: dict[Block, set[str]] = field(default_factory=dict)
    titles: dict[Block, str] = field(default_factory=dict)
    reports: dict[Block, Report] = field(default_factory=dict)  # the report about the block
    swv_names: dict[int, str] = field(default_factory=dict)
    # Per table with a total: its cell keys and the total's key.
    tables: list[tuple[list[str], str]] = field(default_factory=list)
    _counted: dict[Region, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Published":
        theme_labels = _theme_labels()
        published = cls(
            tables=[
                ([f"{key}:{k}" for k in _labels(labels, theme_labels)], total_key)
                for key, _title, labels, total_key in TABLES
                if total_key
            ]
        )
        label_keys = _label_keys(theme_labels)
        reports = Report.objects.published().select_related("samenwerkingsverband")
        for report in reports.order_by("published_at", "pk"):
            if report.samenwerkingsverband:
                published.swv_names[report.samenwerkingsverband.pk] = str(
                    report.samenwerkingsverband
                )
            for block, shown in blocks_of(report, label_keys):
                published.blocks.setdefault(block, set()).update(shown)
                published.titles.setdefault(block, report.title)
            main = Block(
                report.samenwerkingsverband_id, Period(report.period_start, report.period_end)
            )
            published.reports.setdefault(main, report)
        return published

    def name(self, block: Block) -> str:
        scope = (
            self.swv_names.get(block.swv, "dit samenwerkingsverband")
            if block.swv is not None
            else "alle samenwerkingsverbanden"
        )
        return f"{block.period.name()} ({scope})"

    def conflict(self, block: Block) -> str | None:
        """Why a report for this block cannot be published beside the others, or None."""
        if block in self.reports:
            return (
                f"Over {self.name(block)} is al een rapportage gepubliceerd: "
                f"'{self.titles[block]}'."
            )
        for other in sorted(self.blocks, key=Block.sort_key):
            if not block.nests_with(other):
                return (
                    f"{self.name(block)} overlapt voor een deel met {self.name(other)}, "
                    f"waarover al gepubliceerd is ('{self.titles[other]}'). Door af te "
                    "trekken zouden dan kleine aantallen te berekenen zijn. Kies een periode "
                    "die er helemaal binnen of helemaal buiten valt."
                )
        return None

    def figures_of(self, block: Block) -> dict[str, Any] | None:
        report = self.reports.get(block)
        return report.frozen if report else None

    def _count(self, region: Region) -> dict[str, int]:
        if region not in self._counted:
            self._counted[region] = cell_counts(region)
        return self._counted[region]

    def _family(self, key: str, block: Block, extra: Block | None) -> list[Block]:
        """The published blocks in which the board can read this cell, but `block`;
        with `extra` when it is to show the cell too."""
        family = [b for b, shown in self.blocks.items() if key in shown and b != block]
        if extra is not None and extra != block and extra not in family:
            family.append(extra)
        return family

    def rests(self, block: Block, key: str, extra: Block | None = None) -> list[Region]:
        """The regions that subtracting would give for this cell if the block showed it."""
        family = self._family(key, block, extra)
        regions = []
        inside = _maximal(b for b in family if block.contains(b))
        if inside:
            regions.append(Region(block, _in_order(inside)))
        for parent in _minimal(b for b in family if b.contains(block)):
            parts = [b for b in family if parent.contains(b) and b != parent]
            parts = _maximal([b for b in parts if not block.contains(b)] + [block])
            regions.append(Region(parent, _in_order(parts)))
        return regions

    def known(self, block: Block, key: str, extra: Block | None = None) -> bool:
        """Whether the board can work this cell of the block out exactly (also once
        `extra` shows it): the block is made of published blocks, or is one minus the
        others inside it."""
        return any(region.is_empty() for region in self.rests(block, key, extra))

    def hidden_by_subtraction(
        self, block: Block, candidates: Iterable[str], threshold: int
    ) -> set[str]:
        """The cells among `candidates` that would give away a rest of 1 to threshold - 1."""
        hidden = set()
        for key in candidates:
            for region in self.rests(block, key):
                if 0 < self._count(region).get(key, 0) < threshold:
                    hidden.add(key)
                    break
        return hidden

    def spoils(self, block: Block, shown: set[str], threshold: int) -> set[str]:
        """The cells that, shown in the new block, would give away a small number a
        published report hid: its other hidden numbers in that table become computable
        and its total leaves the last one. Those cells stay hidden in the new block."""
        spoiled: set[str] = set()
        for other, other_shown in self.blocks.items():
            if other == block or other.disjoint(block):
                continue
            for keys, total_key in self.tables:
                hidden = [k for k in keys if k not in other_shown]
                if not hidden:
                    continue

                def readable(
                    key: str,
                    after: bool,
                    other: Block = other,
                    other_shown: AbstractSet[str] = other_shown,
                ) -> bool:
                    new = block if after and key in shown else None
                    return key in other_shown or self.known(other, key, new)

                before = [k for k in hidden if not readable(k, False)]
                after = [k for k in hidden if not readable(k, True)]
                if len(after) != 1 or not readable(total_key, True):
                    continue
                if len(before) == 1 and readable(total_key, False):
                    continue  # given away before this report: nothing it can change
                if 0 < self._count(Region(other)).get(after[0], 0) < threshold:
                    spoiled |= {
                        k
                        for k in [*hidden, total_key]
                        if k in shown and readable(k, True) and not readable(k, False)
                    }
        return spoiled


def _published_rows(
    frozen: dict[str, Any] | None, label_keys: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """{table: {row key: cell}} of a published report, its total under "" ."""
    if not frozen:
        return {}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for table in frozen.get("tables", []):
        cells = rows.setdefault(table["key"], {})
        for row in table["rows"]:
            key = _row_key(table, row, label_keys)
            if key is not None:
                cells[key] = {"value": row.get("value"), "display": row["display"]}
        if table.get("total"):
            cells[""] = table["total"]
    return rows


# --- The figures ---------------------------------------------------------------------


def suppressed_tables(
    current: dict[str, dict[str, int]],
    threshold: int,
    *,
    hidden_extra: AbstractSet[str] = frozenset(),
    known: AbstractSet[str] = frozenset(),
    previous: dict[str, Any] | None = None,
    year_before: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The tables of a report. `previous` and `year_before` are the rows of the reports
    published for those periods ({table: {key: cell}}), or None when there is none."""
    tables = []
    theme_labels = _theme_labels()
    for key, title, labels, total_key in TABLES:
        labels = _labels(labels, theme_labels)
        counts = {label_key: current[key].get(label_key, 0) for label_key in labels}
        additive = total_key is not None
        total = sum(counts.values())
        total_hidden = total < threshold or total_key in hidden_extra
        also = {k for k in labels if f"{key}:{k}" in hidden_extra}
        known_here = {k for k in labels if f"{key}:{k}" in known}
        hidden = hidden_cells(
            counts,
            threshold,
            additive=additive,
            also=also,
            total_shown=not total_hidden or total_key in known,
            known=known_here,
        )
        if additive and total_hidden and counts and not hidden:
            # The total gives a rest away: the rows must not add up to it either.
            hidden.add(min((k in known_here, value, k) for k, value in counts.items())[2])
        cells = table_cells(counts, hidden, threshold, additive=additive)
        rows = []
        for label_key, label in labels.items():
            now_cell = cells[label_key]
            row = {"key": label_key, "label": label, **now_cell}
            if previous is not None:
                before = previous.get(key, {}).get(label_key)
                row["previous"] = before["display"] if before else "–"
                row["trend"] = trend(now_cell, before)
            if year_before is not None:
                then = year_before.get(key, {}).get(label_key)
                row["year_before"] = then["display"] if then else "–"
                row["year_trend"] = trend(now_cell, then)
            rows.append(row)
        table = {"key": key, "title": title, "rows": rows, "additive": additive}
        if additive:
            table["total"] = cell(total, threshold, total_hidden)
        tables.append(table)
    return tables


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _per_case_minutes(entries: QuerySet[Any]) -> tuple[int, int, float | None]:
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


@dataclass
class _Raw:
    """The unsuppressed figures of one block: never leaves this module."""

    tables: dict[str, dict[str, int]]
    time_cases: int
    time_minutes: int
    time_median: float | None
    by_activity: dict[str, Mapping[str, Any]]
    answered: int
    on_time: int
    closed: int
    evaluations: dict[str, Any]

    def cells(self) -> dict[str, int]:
        cells = {
            f"{table}:{key}": n
            for table, groups in self.tables.items()
            for key, n in groups.items()
        }
        cells |= {f"time:{a}": row["cases"] for a, row in self.by_activity.items()}
        return cells | {
            "cases": sum(self.tables["asker_type"].values()),
            "closed": self.closed,
            "time": self.time_cases,
            "answered": self.answered,
            "evaluation": self.evaluations["n"],
        }


def _raw(block: Block) -> _Raw:
    region = Region(block)
    entries = _time_entries(region)
    cases, minutes, median = _per_case_minutes(entries)
    answered = _cases(region).filter(first_response_at__isnull=False)
    counts = answered.aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(first_response_at__lte=F("response_due_at")))
    )
    return _Raw(
        tables=_raw_counts(region),
        time_cases=cases,
        time_minutes=minutes,
        time_median=median,
        by_activity={
            row["activity"]: row
            for row in entries.order_by()
            .values("activity")
            .annotate(minutes=Sum("minutes"), cases=Count("case", distinct=True))
        },
        answered=counts["n"],
        on_time=counts["on_time"],
        closed=_closed(region).count(),
        evaluations=_evaluations(region).aggregate(
            n=Count("id"),
            listened=Avg("listened"),
            helped=Avg("helped"),
            recommend=Avg("recommend"),
        ),
    )


def time_figures(
    raw: _Raw, threshold: int, hidden_extra: AbstractSet[str] = frozenset()
) -> dict[str, Any]:
    activities = []
    for value, label in Activity.choices:
        row = raw.by_activity.get(value, {"minutes": 0, "cases": 0})
        shown = row["cases"] >= threshold and f"time:{value}" not in hidden_extra
        if shown:
            display = f"{row['minutes'] / 60:.1f}".replace(".", ",")
        else:
            display = f"{below(threshold)} vragen" if row["cases"] < threshold else HIDDEN
        activities.append(
            {
                "key": value,
                "label": str(label),
                "hours": round(row["minutes"] / 60, 1) if shown else None,
                "display": display,
            }
        )
    enough = raw.time_cases >= threshold and "time" not in hidden_extra
    return {
        "cases": cell(raw.time_cases, threshold, not enough),
        "total_hours": round(raw.time_minutes / 60, 1) if enough else None,
        "median_minutes": round(raw.time_median)
        if enough and raw.time_median is not None
        else None,
        "by_activity": activities,
    }


class Median(Aggregate):
    """The median, computed by PostgreSQL (percentile_cont). Other databases: see _median_of."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _median_of(queryset: QuerySet[Any], start: str, end: str) -> timedelta | None:
    """Median of (end - start) over the queryset, in the database where it can."""
    span = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    if connection.vendor == "postgresql":
        median: timedelta | None = queryset.aggregate(m=Median(span, output_field=DurationField()))[
            "m"
        ]
        return median
    spans = [b - a for a, b in queryset.values_list(start, end)]
    return statistics.median(spans) if spans else None


def response_figures(
    raw: _Raw, block: Block, threshold: int, hidden_extra: AbstractSet[str] = frozenset()
) -> dict[str, Any]:
    region = Region(block)
    enough_answered = raw.answered >= threshold and "answered" not in hidden_extra
    enough_closed = raw.closed >= threshold and "closed" not in hidden_extra
    answered = _cases(region).filter(first_response_at__isnull=False)
    first_answer = (
        _median_of(answered, "created_at", "first_response_at") if enough_answered else None
    )
    to_close = _median_of(_closed(region), "created_at", "closed_at") if enough_closed else None
    return {
        "answered": cell(raw.answered, threshold, not enough_answered),
        "median_hours_first_answer": (
            round(first_answer.total_seconds() / 3600, 1) if first_answer is not None else None
        ),
        "within_promise_pct": round(100 * raw.on_time / raw.answered) if enough_answered else None,
        "closed": cell(raw.closed, threshold, not enough_closed),
        "median_days_to_close": (
            round(to_close.total_seconds() / 86400, 1) if to_close is not None else None
        ),
    }


def usage_figures(period: Period, threshold: int) -> list[dict[str, Any]]:
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


def evaluation_figures(
    raw: _Raw, threshold: int, hidden_extra: AbstractSet[str] = frozenset()
) -> dict[str, Any]:
    """Average scores (1-5) of evaluations given in the period; none under the threshold."""
    result = raw.evaluations
    enough = result["n"] >= threshold and "evaluation" not in hidden_extra
    scores = {
        key: (f"{result[key]:.1f}".replace(".", ",") if enough else None)
        for key in ("listened", "helped", "recommend")
    }
    return {"count": cell(result["n"], threshold, not enough), **scores}


def _period_text(period: Period) -> str:
    return f"{period.name()} ({period.label()})" if period.kind else period.label()


def compute(
    period: Period,
    swv: Samenwerkingsverband | None,
    *,
    threshold: int | None = None,
    published: Published | None = None,
) -> dict[str, Any]:
    """All published figures of a report, suppressed, as JSON-ready data. `published`:
    what the board can already read (loaded when not given)."""
    threshold = threshold or settings.REPORT_SUPPRESSION_THRESHOLD
    published = published if published is not None else Published.load()
    block = Block.of(period, swv)
    raw = _raw(block)
    candidates = {key for key, count in raw.cells().items() if count >= threshold}
    hidden_extra = published.hidden_by_subtraction(block, candidates, threshold)
    shown = candidates - hidden_extra
    while spoiled := published.spoils(block, shown, threshold):
        hidden_extra |= spoiled
        shown -= spoiled
    everything = {key for keys, total in published.tables for key in [*keys, total]}
    known = {key for key in everything if published.known(block, key)}
    label_keys = _label_keys(_theme_labels())
    # Compared only with whole calendar periods of the same kind (the quarter, half
    # year, school year or calendar year before); other dates get no comparison.
    previous_period, earlier_period = period.previous(), period.year_before()
    previous = earlier = None
    if period.kind:
        previous = published.figures_of(Block(block.swv, previous_period))
        earlier = published.figures_of(Block(block.swv, earlier_period))
    earlier_rows = _published_rows(earlier, label_keys) if earlier else None
    figures: dict[str, Any] = {
        "version": 2,
        "period": _period_text(period),
        "previous_period": _period_text(previous_period) if previous else None,
        # Named even when nothing was published for it, to say which period is missing.
        "previous_name": previous_period.name() if period.kind else None,
        "swv": str(swv) if swv else "Alle samenwerkingsverbanden van het steunpunt",
        "threshold": threshold,
        "tables": suppressed_tables(
            raw.tables,
            threshold,
            hidden_extra=hidden_extra,
            known=known,
            previous=_published_rows(previous, label_keys) if previous else None,
            year_before=earlier_rows,
        ),
        "time": time_figures(raw, threshold, hidden_extra),
        "response": response_figures(raw, block, threshold, hidden_extra),
        "usage": usage_figures(period, threshold),
        "evaluation": evaluation_figures(raw, threshold, hidden_extra),
        "year_before": None,
    }
    figures["reach"] = reach_figures(figures["tables"], period, swv)
    figures["mostly_hidden"] = mostly_hidden(raw.tables, figures["tables"])
    if earlier_rows is not None:
        now_total = figures["tables"][0]["total"]
        then_total = earlier_rows.get("asker_type", {}).get("", {"value": None, "display": "–"})
        figures["year_before"] = {
            "period": _period_text(earlier_period),
            "total": then_total["display"],
            "trend": trend(now_total, then_total),
        }
    return figures


def mostly_hidden(raw_tables: dict[str, dict[str, int]], tables: list[dict[str, Any]]) -> bool:
    """Whether most of the rows that hold any question are hidden: the period is too
    small for this SWV. For the coordinator's preview only, never published (it would
    tell which hidden rows are empty)."""
    holding = hidden = 0
    for table in tables:
        counts = raw_tables.get(table["key"], {})
        for row in table["rows"]:
            if counts.get(row["key"], 0) > 0:
                holding += 1
                hidden += row["value"] is None
    return holding > 0 and hidden > holding / 2


def live_dashboard(period: Period, swv: Samenwerkingsverband | None) -> dict[str, Any]:
    """For the coordinator only: unsuppressed counts to steer the team."""
    now = timezone.now()
    open_cases = Case.objects.open().live()
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
