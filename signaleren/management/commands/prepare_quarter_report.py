from typing import Any

from django.core.management.base import BaseCommand

from signaleren.actions import prepare_quarter_report


class Command(BaseCommand):
    help = "Prepare a draft report for the quarter that ended and tell the coordinators."

    def handle(self, *args: Any, **options: Any) -> None:
        result = prepare_quarter_report.enqueue()
        if not result.is_finished:
            self.stdout.write("Queued for the task worker.")
        elif result.return_value is None:
            self.stdout.write("A draft for last quarter already exists.")
        else:
            self.stdout.write("Draft report for last quarter prepared.")
