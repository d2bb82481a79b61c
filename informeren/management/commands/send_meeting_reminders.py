from typing import Any

from django.core.management.base import BaseCommand

from informeren.meetings import send_reminders


class Command(BaseCommand):
    help = (
        "Email a reminder to everyone with a place for a meeting that starts tomorrow (run daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders.enqueue()
        self.stdout.write(f"Reminders: {result.return_value if result.is_finished else 'queued'}")
