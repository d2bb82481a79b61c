"""Import school locations from DUO's open data (alle vestigingen po/so/vo).

DUO publishes semicolon-separated CSV files with one row per school
location (vestiging). We read the columns we need by name, create or update
schools by BRIN (INSTELLINGSCODE) + VESTIGINGSCODE, and never touch the
support profile that editors maintain. A bad row is reported and skipped;
each row is saved on its own, so a row never half-writes a school.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from informeren.models import Samenwerkingsverband, School, SchoolType, Sector
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
# The type of school: 'SOORT PO' in the po/so files, 'ONDERWIJSSTRUCTUUR' in vo.
TYPE_COLUMNS = ["SOORT PO", "ONDERWIJSSTRUCTUUR"]
PO_TYPES = {SchoolType.BAO, SchoolType.SBO, SchoolType.SO}


class DuoFileError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


@dataclass
class DuoReport:
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


def _school_type(row: dict[str, str], default: str | None) -> str | None:
    value = " ".join(row.get(column, "") for column in TYPE_COLUMNS).upper()
    if "VSO" in value:
        return SchoolType.VSO
    if re.search(r"\bSO\b", value):
        return SchoolType.SO
    if "SBO" in value:
        return SchoolType.SBO
    if re.search(r"\bBO\b", value):
        return SchoolType.BAO
    if "PRO" in value:
        return SchoolType.PRO
    if any(word in value for word in ("VMBO", "VBO", "MAVO", "HAVO", "VWO")):
        return SchoolType.VO
    return default


def _clean_vestiging(instelling: str, vestiging: str) -> str:
    # Newer files write the full code (e.g. 99AA01) in VESTIGINGSCODE.
    vestiging = vestiging.strip().upper()
    if len(vestiging) == 6 and vestiging.startswith(instelling):
        vestiging = vestiging[4:]
    return vestiging


def import_duo(
    raw: bytes, *, default_type: str | None = None, gemeenten: list[str] | None = None
) -> DuoReport:
    text = decode(raw)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [name.strip().upper() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise DuoFileError(
            "This is not a DUO 'vestigingen' file: missing column(s) " + ", ".join(missing)
        )
    reader.fieldnames = header
    wanted_gemeenten = {g.strip().upper() for g in gemeenten or [] if g.strip()}
    swv_by_sector = {}
    for sector in Sector:
        found = list(Samenwerkingsverband.objects.filter(sector=sector)[:2])
        swv_by_sector[sector] = found[0] if len(found) == 1 else None
    report = DuoReport()
    for line, row in enumerate(reader, start=2):
        if row is None or None in row or any(value is None for value in row.values()):
            report.skipped.append((line, "wrong number of fields"))
            continue
        row = {key: (value or "").strip() for key, value in row.items()}
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
def _save_school(brin: str, vestiging: str, fields: dict, swv_by_sector: dict) -> str:
    school = School.objects.select_for_update().filter(brin=brin, vestiging=vestiging).first()
    if school is None:
        sector = Sector.PO if fields["school_type"] in PO_TYPES else Sector.VO
        school = School(brin=brin, vestiging=vestiging, samenwerkingsverband=(
            swv_by_sector.get(sector) if fields["school_type"] != SchoolType.MBO else None
        ), **fields)  # fmt: skip
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
