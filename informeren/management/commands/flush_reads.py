from typing import Any

from django.core.management.base import BaseCommand

from informeren.usage import flush_reads


class Command(BaseCommand):
    help = "Move buffered page-read counts from the cache into the database."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Flushed {flush_reads()} reads.")
