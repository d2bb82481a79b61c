from typing import Any

from django.core.management.base import BaseCommand, CommandError

from informeren.models import PullResult
from informeren.subscription import pull


class Command(BaseCommand):
    help = (
        "Fetch the national hub's signed feed (NATIONAL_HUB_URL) and stage what changed as "
        "versions waiting for review. The scheduler runs this every hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = pull()
        if result is None:
            raise CommandError("No national hub configured (NATIONAL_HUB_URL is empty).")
        self.stdout.write(f"{result.get_result_display()}: {result.message}")
        if result.result in (PullResult.REFUSED, PullResult.FAILED):
            raise CommandError("The national feed was not taken over (see above).")
