from typing import Any

from django.core.management.base import BaseCommand

from signaleren.actions import prepare_quarter_report


class Command(BaseCommand):
    help = "Prepare a draft report for the quarter that ended and tell the coordinators."

    def handle(self, *args: Any, **options: Any) -> None:
        result = prepare_quarter_report.enqueue()
        if result.is_finished and result.return_value is None:
            self.stdout.write("A draft for last quarter already exists.")
        else:
            self.stdout.write("Draft report for last quarter prepared.")
