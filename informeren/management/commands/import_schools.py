from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from informeren.duo import DuoFileError, import_duo
from informeren.models import SchoolType


class Command(BaseCommand):
    help = (
        "Create or update schools from DUO's open data file of school locations "
        "(semicolon separated). The support profiles editors keep are never changed."
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

    def handle(
        self, *args: Any, file: str, type: str | None = None, gemeente: list[str], **options: Any
    ) -> None:
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = import_duo(raw, default_type=type, gemeenten=gemeente)
        except DuoFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        self.stdout.write(f"Imported {file}:")
        self.stdout.write(f"  created:   {len(report.created)}")
        self.stdout.write(f"  updated:   {len(report.updated)}")
        self.stdout.write(f"  unchanged: {len(report.unchanged)}")
        self.stdout.write(f"  skipped:   {len(report.skipped)}")
        for line, reason in report.skipped:
            self.stdout.write(f"    line {line}: {reason}")
