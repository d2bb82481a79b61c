import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from informeren.national import export_bundle


class Command(BaseCommand):
    help = "Write the published national texts (not the regional layer) to a versioned JSON file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file", help="Where to write the national set, e.g. landelijk-2026-11.json"
        )
        parser.add_argument(
            "--set-version",
            default=None,
            help="Version of this set (default: today's date, e.g. 2026-11-23)",
        )

    def handle(self, *args: Any, file: str, set_version: str | None = None, **options: Any) -> None:
        bundle = export_bundle(set_version=set_version or timezone.localdate().isoformat())
        Path(file).write_text(
            json.dumps(bundle, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {len(bundle['topics'])} topics (set {bundle['set_version']}) to {file}"
            )
        )
