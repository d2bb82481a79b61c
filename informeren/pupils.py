"""Import pupil counts per gemeente from DUO's open data (leerlingen po/vo per gemeente).

DUO counts pupils on 1 October of each year. Its files per gemeente come as
CSV with semicolons or commas, quoted or not, and in several shapes: one row
per gemeente and school type (Bo, Sbo, So, Vso ...), per sector, or per age
or postcode with a total. We read them with the helpers of the school import
(informeren/duo.py: encoding, separator, quotes, old column names) and add
up the pupils per gemeente, sector and count year. Only the region's
gemeenten (the table of gemeenten per SWV) are kept when that table is
filled. A count is replaced by the file's; nothing else is deleted.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from informeren.duo import DuoFileError, _fields, _school_type, read_table
from informeren.models import SECTOR_OF_SCHOOL_TYPE, PupilCount, Sector, SwvGemeente

GEMEENTE_COLUMNS = ["GEMEENTENAAM", "GEMEENTENAAM LEERLING", "WOONGEMEENTE", "NAAM GEMEENTE"]
COUNT_COLUMNS = [
    "AANTAL LEERLINGEN",
    "TOTAAL AANTAL LEERLINGEN",
    "LEERLINGEN",
    "TOTAAL LEERLINGEN",
    "TOTAAL",
    "AANTAL",
]
YEAR_COLUMNS = ["PEILJAAR", "TELJAAR", "JAAR", "PEILDATUM", "TELDATUM", "SCHOOLJAAR"]
SECTOR_COLUMNS = ["SECTOR", "ONDERWIJSSECTOR"]
TYPE_COLUMNS = [
    "SOORT PO",
    "ONDERWIJSSTRUCTUUR",
    "SOORT ONDERWIJS",
    "ONDERWIJSSOORT",
    "ONDERWIJSTYPE",
]


@dataclass
class PupilReport:
    separator: str = ";"
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    outside: int = 0  # rows of gemeenten outside the region


def _year(value: str) -> int | None:
    """2025 from '2025', '1-10-2025', '01-10-2025', '2025-10-01', '20251001' or the
    school year '2025-2026' (counted on 1 October 2025)."""
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    if found := re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{4})", value):  # school year
        return int(found[1])
    if found := re.fullmatch(r"(\d{4})-?\d{2}-?\d{2}", value):
        return int(found[1])
    if found := re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.](\d{4})", value):
        return int(found[1])
    return None


def _sector(row: dict[str, str], default: str | None) -> str | None:
    for column in SECTOR_COLUMNS:
        value = row.get(column, "").upper()
        if value in ("PO", "PRIMAIR ONDERWIJS"):
            return Sector.PO
        if value in ("VO", "VOORTGEZET ONDERWIJS"):
            return Sector.VO
    for column in TYPE_COLUMNS:
        if row.get(column):
            # The school import's reading of DUO's type codes and words.
            school_type = _school_type({"SOORT PO": row[column]}, None)
            if school_type in SECTOR_OF_SCHOOL_TYPE:
                return SECTOR_OF_SCHOOL_TYPE[school_type]
    return default


def _count(value: str) -> int | None:
    digits = value.replace(".", "").replace(" ", "")  # '1.234' as DUO may write it
    return int(digits) if digits.isdigit() else None


def import_pupil_counts(
    raw: bytes, *, year: int | None = None, sector: str | None = None
) -> PupilReport:
    """Read a DUO file of pupils per gemeente; `year` and `sector` where the file
    does not say them. Raises DuoFileError when the file as a whole cannot be read."""
    reader, separator = read_table(raw)
    header = reader.fieldnames or []
    gemeente_column = next((name for name in GEMEENTE_COLUMNS if name in header), None)
    count_column = next((name for name in COUNT_COLUMNS if name in header), None)
    year_column = next((name for name in YEAR_COLUMNS if name in header), None)
    missing = [
        wanted
        for wanted, found in (
            ("GEMEENTENAAM", gemeente_column),
            ("AANTAL LEERLINGEN", count_column),
        )
        if found is None
    ]
    if year_column is None and year is None:
        missing.append("PEILDATUM (or use --year)")
    if missing or gemeente_column is None or count_column is None:
        raise DuoFileError(
            "This is not a DUO file of pupils per gemeente: missing column(s) " + ", ".join(missing)
        )
    region = {name.upper(): name for name in SwvGemeente.gemeenten()}
    report = PupilReport(separator=separator)
    totals: dict[tuple[str, str, int], int] = {}
    for line, read in enumerate(reader, start=2):
        report.rows += 1
        row = _fields(read)
        if row is None:
            report.skipped.append((line, "wrong number of fields"))
            continue
        name = " ".join(row[gemeente_column].split())
        if not name:
            report.skipped.append((line, "no gemeente"))
            continue
        if region and name.upper() not in region:
            report.outside += 1
            continue
        gemeente = region.get(name.upper(), name.title())
        written_year = row[year_column] if year_column else ""
        counted_in = _year(written_year) if written_year else year
        if counted_in is None:
            report.skipped.append((line, f"not a year or date: {written_year!r}"))
            continue
        row_sector = _sector(row, sector)
        if row_sector is None:
            report.skipped.append((line, "unknown sector (use --sector po or vo)"))
            continue
        pupils = _count(row[count_column])
        if pupils is None:
            report.skipped.append((line, f"not a number of pupils: {row[count_column]!r}"))
            continue
        key = (gemeente, row_sector, counted_in)
        totals[key] = totals.get(key, 0) + pupils
    for (gemeente, row_sector, counted_in), pupils in sorted(totals.items()):
        outcome = _save(gemeente, row_sector, counted_in, pupils)
        getattr(report, outcome).append(f"{gemeente} {row_sector} {counted_in}: {pupils}")
    return report


@transaction.atomic
def _save(gemeente: str, sector: str, year: int, pupils: int) -> str:
    found = (
        PupilCount.objects.select_for_update()
        .filter(gemeente=gemeente, sector=sector, year=year)
        .first()
    )
    if found is None:
        PupilCount.objects.create(gemeente=gemeente, sector=sector, year=year, pupils=pupils)
        return "created"
    if found.pupils == pupils:
        return "unchanged"
    found.pupils = pupils
    found.save(update_fields=["pupils"])
    return "updated"
