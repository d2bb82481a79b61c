from typing import Any

from django.core.management.base import BaseCommand, CommandError

from informeren.duo import DuoFileError
from informeren.management.commands.import_schools import read_file, write_report
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
        self,
        *args: Any,
        file: str,
        year: int | None = None,
        sector: str | None = None,
        **options: Any,
    ) -> None:
        raw = read_file(file)
        try:
            report = import_pupil_counts(raw, year=year, sector=sector)
        except DuoFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        write_report(self.stdout, file, report, f"  outside the region: {report.outside} rows")
