from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from informeren.meetings import forget_participants


class Command(BaseCommand):
    help = "Remove names and emails of participants some days after their meeting (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be removed"
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        count = forget_participants(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        days = settings.MEETING_RETENTION_DAYS
        self.stdout.write(
            f"{verb} the names and emails of {count} sign-ups ({days} days after the meeting)."
        )
