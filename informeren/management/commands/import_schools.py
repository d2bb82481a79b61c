from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from informeren.duo import DuoFileError, import_duo, import_swv_schools
from informeren.models import SchoolType


class Command(BaseCommand):
    help = (
        "Create or update schools from DUO's open data file of school locations "
        "(semicolons or commas, old or new column names), and tie them to their "
        "samenwerkingsverband from DUO's file of schools per SWV. The support "
        "profiles editors keep are never changed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A DUO 'alle vestigingen' CSV file")
        parser.add_argument(
            "--type",
            choices=SchoolType.values,
            help="School type where the file does not say it (e.g. bao for basisonderwijs)",
        )
        parser.add_argument(
            "--gemeente",
            action="append",
            default=[],
            help="Only schools in this gemeente (repeatable)",
        )
        parser.add_argument(
            "--samenwerkingsverbanden",
            metavar="FILE",
            help="DUO's file of schools per samenwerkingsverband: ties each school to its SWV",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        type: str | None = None,
        gemeente: list[str],
        samenwerkingsverbanden: str | None = None,
        **options: Any,
    ) -> None:
        raw = read_file(file)
        swv_raw = read_file(samenwerkingsverbanden) if samenwerkingsverbanden else None
        try:
            report = import_duo(raw, default_type=type, gemeenten=gemeente)
        except DuoFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        write_report(self.stdout, file, report)
        if swv_raw is None:
            return
        try:
            tied = import_swv_schools(swv_raw)
        except DuoFileError as error:
            raise CommandError(
                f"{samenwerkingsverbanden}: {error}. No school was tied to an SWV."
            ) from error
        self.stdout.write(f"Samenwerkingsverbanden from {samenwerkingsverbanden}:")
        self.stdout.write(f"  read:      {tied.rows} rows, separated by {tied.separator!r}")
        self.stdout.write(f"  tied:      {len(tied.tied)}")
        self.stdout.write(f"  unchanged: {len(tied.unchanged)}")
        self.stdout.write(f"  skipped:   {len(tied.skipped)}")
        for line, reason in tied.skipped:
            self.stdout.write(f"    line {line}: {reason}")


def read_file(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error}") from error


def write_report(out: Any, file: str, report: Any, *more: str) -> None:
    """What an import of a DUO file read and did (also for import_pupil_counts)."""
    out.write(f"Imported {file}:")
    out.write(f"  read:      {report.rows} rows, separated by {report.separator!r}")
    out.write(f"  created:   {len(report.created)}")
    out.write(f"  updated:   {len(report.updated)}")
    out.write(f"  unchanged: {len(report.unchanged)}")
    for line in more:
        out.write(line)
    out.write(f"  skipped:   {len(report.skipped)}")
    for line, reason in report.skipped:
        out.write(f"    line {line}: {reason}")
