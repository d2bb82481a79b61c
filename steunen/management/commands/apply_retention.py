from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from informeren.meetings import forget_participants
from steunen.actions import apply_retention


class Command(BaseCommand):
    help = (
        "Erase the personal data of cases closed longer ago than CASE_RETENTION_DAYS, and of "
        "meeting sign-ups after MEETING_RETENTION_DAYS. Statistics stay. Run daily."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be erased"
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        cases = apply_retention(dry_run=dry_run)
        signups = forget_participants(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} the personal data of {cases} closed cases (older than "
            f"{settings.CASE_RETENTION_DAYS} days) and {signups} meeting sign-ups."
        )
