"""Import school locations from DUO's open data (alle vestigingen po/so/vo).

DUO publishes CSV files with one row per school location (vestiging). Over
the years they came with semicolons or commas, with or without quotes, in
UTF-8 or Windows-1252, and with older column names (BRIN NUMMER,
VESTIGINGSNUMMER): the separator is detected from the header line and the
old names are read as the new ones. We read the columns we need by name,
create or update schools by BRIN (INSTELLINGSCODE) + VESTIGINGSCODE, and
never touch the support profile that editors maintain. A bad row is
reported and skipped; each row is saved on its own, so a row never
half-writes a school.

A second file, the schools of each samenwerkingsverband, ties each school
to its SWV by code ("PO 24-01"); without it a new school gets the region's
only SWV of its sector, if there is just one.
"""

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from informeren.models import (
    SECTOR_OF_SCHOOL_TYPE,
    Samenwerkingsverband,
    School,
    SchoolType,
    Sector,
)
from steunpunt.cache import content_changed

REQUIRED = [
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING",
    "POSTCODE",
    "PLAATSNAAM",
    "GEMEENTENAAM",
]
# Older names DUO used for the same columns, read as the current ones.
ALIASES = {
    "BRIN NUMMER": "INSTELLINGSCODE",
    "BRINNUMMER": "INSTELLINGSCODE",
    "BRIN": "INSTELLINGSCODE",
    "VESTIGINGSNUMMER": "VESTIGINGSCODE",
    "VESTIGING": "VESTIGINGSCODE",
    "NAAM VESTIGING": "VESTIGINGSNAAM",
    "HUISNUMMER": "HUISNUMMER-TOEVOEGING",
    "PLAATS": "PLAATSNAAM",
    "GEMEENTE": "GEMEENTENAAM",
    "TELEFOON": "TELEFOONNUMMER",
    "WEBSITE": "INTERNETADRES",
}
# The code of the samenwerkingsverband in DUO's file of schools per SWV.
SWV_COLUMNS = ["SAMENWERKINGSVERBAND", "CODE SAMENWERKINGSVERBAND", "SWV", "SWV CODE"]
SEPARATORS = ";,\t"

# The type of school: 'SOORT PO' in the po/so files, 'ONDERWIJSSTRUCTUUR' in vo.
TYPE_COLUMNS = ["SOORT PO", "ONDERWIJSSTRUCTUUR"]


class DuoFileError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


@dataclass
class DuoReport:
    separator: str = ";"
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def decode(raw: bytes) -> str:
    """DUO files have been UTF-8 (with or without BOM) and Windows-1252 over the years."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DuoFileError("The file is neither UTF-8 nor Windows-1252 text.")


def _fields(row: Mapping[str, str | None] | None) -> dict[str, str] | None:
    """A row's values stripped, or None when it has more or fewer fields than the header."""
    if row is None or None in row:
        return None
    fields = {key: value.strip() for key, value in row.items() if value is not None}
    return fields if len(fields) == len(row) else None


def read_table(raw: bytes) -> tuple[csv.DictReader[str], str]:
    """The rows of a DUO file with the current column names, and its separator."""
    text = decode(raw)
    first = text.lstrip().split("\n", 1)[0]
    try:
        separator = csv.Sniffer().sniff(first, delimiters=SEPARATORS).delimiter
    except csv.Error:
        separator = ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=separator, quotechar='"')
    header = []
    for name in reader.fieldnames or []:
        name = " ".join(name.strip().strip('"').upper().split())
        header.append(ALIASES.get(name, name))
    reader.fieldnames = header
    return reader, separator


def _school_type(row: dict[str, str], default: str | None) -> SchoolType | None:
    """The type from the code ('Bo', 'Sbo', 'So', 'Vso', '(V)so', 'SO/VSO') or the
    words ('Speciaal onderwijs') DUO writes; a school for so and vso counts as vso."""
    value = " ".join(row.get(column, "") for column in TYPE_COLUMNS).upper()
    value = value.replace("(V)SO", "SO/VSO")
    if "VSO" in value or "VOORTGEZET SPECIAAL" in value:
        return SchoolType.VSO
    if "SBO" in value or "SPECIAAL BASISONDERWIJS" in value:
        return SchoolType.SBO
    if re.search(r"\bSO\b", value) or "SPECIAAL ONDERWIJS" in value:
        return SchoolType.SO
    if re.search(r"\bBO\b", value) or "BASISONDERWIJS" in value:
        return SchoolType.BAO
    if "PRO" in value or "PRAKTIJKONDERWIJS" in value:
        return SchoolType.PRO
    if any(word in value for word in ("VMBO", "VBO", "MAVO", "HAVO", "VWO")):
        return SchoolType.VO
    return SchoolType(default) if default in SchoolType.values else None


def _clean_vestiging(instelling: str, vestiging: str) -> str:
    # Newer files write the full code (e.g. 99AA01) in VESTIGINGSCODE.
    vestiging = vestiging.strip().upper()
    if len(vestiging) == 6 and vestiging.startswith(instelling):
        vestiging = vestiging[4:]
    return vestiging


def import_duo(
    raw: bytes, *, default_type: str | None = None, gemeenten: list[str] | None = None
) -> DuoReport:
    reader, separator = read_table(raw)
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise DuoFileError(
            "This is not a DUO 'vestigingen' file: missing column(s) " + ", ".join(missing)
        )
    wanted_gemeenten = {g.strip().upper() for g in gemeenten or [] if g.strip()}
    swv_by_sector: dict[Sector, Samenwerkingsverband | None] = {}
    for sector in Sector:
        found = list(Samenwerkingsverband.objects.filter(sector=sector)[:2])
        swv_by_sector[sector] = found[0] if len(found) == 1 else None
    report = DuoReport(separator=separator)
    for line, read in enumerate(reader, start=2):
        report.rows += 1
        row = _fields(read)
        if row is None:
            report.skipped.append((line, "wrong number of fields"))
            continue
        brin = row["INSTELLINGSCODE"].upper()
        gemeente = row["GEMEENTENAAM"]
        if wanted_gemeenten and gemeente.upper() not in wanted_gemeenten:
            report.skipped.append((line, f"outside the region ({gemeente.title()})"))
            continue
        school_type = _school_type(row, default_type)
        if school_type is None:
            report.skipped.append((line, "unknown school type (use --type)"))
            continue
        vestiging = _clean_vestiging(brin, row["VESTIGINGSCODE"])
        fields = {
            "name": row["VESTIGINGSNAAM"],
            "school_type": school_type,
            "street": f"{row['STRAATNAAM']} {row['HUISNUMMER-TOEVOEGING']}".strip(),
            "postcode": row["POSTCODE"],
            "place": row["PLAATSNAAM"].title(),
            "gemeente": gemeente.title(),
        }
        if row.get("TELEFOONNUMMER"):
            fields["phone"] = row["TELEFOONNUMMER"]
        if row.get("INTERNETADRES"):
            site = row["INTERNETADRES"]
            fields["website"] = (
                site if site.startswith(("http://", "https://")) else f"https://{site}"
            )
        try:
            outcome = _save_school(brin, vestiging, fields, swv_by_sector)
        except ValidationError as error:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            report.skipped.append((line, messages))
            continue
        getattr(report, outcome).append(f"{brin}{vestiging} {fields['name']}")
    if report.created or report.updated:
        content_changed()
    return report


@transaction.atomic
def _save_school(
    brin: str,
    vestiging: str,
    fields: dict[str, str],
    swv_by_sector: dict[Sector, Samenwerkingsverband | None],
) -> str:
    school = School.objects.select_for_update().filter(brin=brin, vestiging=vestiging).first()
    if school is None:
        sector = SECTOR_OF_SCHOOL_TYPE.get(SchoolType(fields["school_type"]))
        swv = swv_by_sector.get(sector) if sector else None
        school = School(brin=brin, vestiging=vestiging, samenwerkingsverband=swv, **fields)
        school.full_clean()
        school.save()
        return "created"
    changed = {name: value for name, value in fields.items() if getattr(school, name) != value}
    if not changed:
        return "unchanged"
    for name, value in changed.items():
        setattr(school, name, value)
    school.full_clean()
    school.save(update_fields=list(changed))
    return "updated"


@dataclass
class SwvReport:
    separator: str = ";"
    rows: int = 0
    tied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def swv_code(value: str) -> str | None:
    """'PO2401', 'po 24-01' and 'PO 24.01' as the register writes it: 'PO 24-01'."""
    found = re.fullmatch(r"\s*(PO|VO)\s*(\d{2})\s*[-.]?\s*(\d{2})\s*", value.upper())
    return f"{found[1]} {found[2]}-{found[3]}" if found else None


def import_swv_schools(raw: bytes) -> SwvReport:
    """Tie the schools we know to their samenwerkingsverband, from DUO's file of
    schools per SWV. Schools we do not know and SWVs outside the region are skipped."""
    reader, separator = read_table(raw)
    header = reader.fieldnames or []
    code_column = next((name for name in SWV_COLUMNS if name in header), None)
    missing = [name for name in ("INSTELLINGSCODE", "VESTIGINGSCODE") if name not in header]
    if code_column is None or missing:
        wanted = missing + ([] if code_column else ["SAMENWERKINGSVERBAND"])
        raise DuoFileError(
            "This is not a DUO file of schools per samenwerkingsverband: missing column(s) "
            + ", ".join(wanted)
        )
    swvs = {swv.code: swv for swv in Samenwerkingsverband.objects.all()}
    report = SwvReport(separator=separator)
    changed = False
    for line, read in enumerate(reader, start=2):
        report.rows += 1
        row = _fields(read)
        if row is None:
            report.skipped.append((line, "wrong number of fields"))
            continue
        brin = row["INSTELLINGSCODE"].upper()
        vestiging = _clean_vestiging(brin, row["VESTIGINGSCODE"])
        code = swv_code(row[code_column])
        if code is None:
            report.skipped.append((line, f"not an SWV code: {row[code_column].strip()!r}"))
            continue
        if code not in swvs:
            report.skipped.append((line, f"SWV {code} is not in this region"))
            continue
        with transaction.atomic():
            school = (
                School.objects.select_for_update().filter(brin=brin, vestiging=vestiging).first()
            )
            if school is None:
                report.skipped.append((line, f"school {brin}{vestiging} is not imported"))
                continue
            if school.samenwerkingsverband_id == swvs[code].pk:
                report.unchanged.append(f"{brin}{vestiging} {school.name}")
                continue
            school.samenwerkingsverband = swvs[code]
            school.save(update_fields=["samenwerkingsverband"])
            changed = True
        report.tied.append(f"{brin}{vestiging} {school.name} -> {code}")
    if changed:
        content_changed()
    return report
