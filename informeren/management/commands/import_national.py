from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from informeren.national import BundleError, import_bundle, parse_bundle


class Command(BaseCommand):
    help = (
        "Bring in a newer national set: changed and new topics become revisions waiting for "
        "review; regional supplements are not touched."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A file written by export_national")
        parser.add_argument("--dry-run", action="store_true", help="Only report what would change")

    def handle(self, *args: Any, file: str, dry_run: bool = False, **options: Any) -> None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            data = parse_bundle(text)
        except BundleError as error:
            raise CommandError(f"{file}: {error}") from error
        report = import_bundle(data, dry_run=dry_run)
        prefix = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{prefix} national set {data.get('set_version', '?')} from {file}:")
        self.stdout.write(f"  new topics:       {len(report.new)} {' '.join(report.new)}")
        self.stdout.write(f"  changed topics:   {len(report.changed)} {' '.join(report.changed)}")
        self.stdout.write(f"  unchanged topics: {len(report.unchanged)}")
        if report.held_back:
            self.stdout.write(
                f"  held back (a local change is under way; finish it first): "
                f"{len(report.held_back)} {' '.join(report.held_back)}"
            )
        if report.unknown_themes:
            self.stdout.write(
                f"  unknown themes (ignored): {', '.join(sorted(report.unknown_themes))}"
            )
        if not dry_run and (report.new or report.changed):
            self.stdout.write("New revisions wait for a validator in /redactie/.")
