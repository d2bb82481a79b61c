from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from informeren.duo import DuoFileError
from informeren.models import Sector
from informeren.pupils import import_pupil_counts


class Command(BaseCommand):
    help = (
        "Read DUO's open data of pupils per gemeente (leerlingen po/vo per gemeente; "
        "semicolons or commas, quoted or not) and store the pupils per gemeente, sector "
        "and count year, for the reach figures of the board report."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A DUO CSV file of pupils per gemeente")
        parser.add_argument(
            "--year", type=int, help="Year of the 1 October count where the file does not say it"
        )
        parser.add_argument(
            "--sector", choices=Sector.values, help="Sector where the file does not say it"
        )

    def handle(
        self, *args: Any, file: str, year: int | None = None, sector: str | None = None, **options
    ) -> None:
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = import_pupil_counts(raw, year=year, sector=sector)
        except DuoFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        self.stdout.write(f"Imported {file}:")
        self.stdout.write(f"  read:      {report.rows} rows, separated by {report.separator!r}")
        self.stdout.write(f"  created:   {len(report.created)}")
        self.stdout.write(f"  updated:   {len(report.updated)}")
        self.stdout.write(f"  unchanged: {len(report.unchanged)}")
        self.stdout.write(f"  outside the region: {report.outside} rows")
        self.stdout.write(f"  skipped:   {len(report.skipped)}")
        for line, reason in report.skipped:
            self.stdout.write(f"    line {line}: {reason}")
