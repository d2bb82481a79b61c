from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from steunpunt.signing import public_key


class Command(BaseCommand):
    help = (
        "Print this deployment's public signing key (steunpunt/signing.py): a region "
        "gives it to the national hub (`register_region` there), a hub to its regions "
        "(NATIONAL_HUB_PUBLIC_KEY)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(public_key())
        if options["verbosity"] > 1:
            self.stdout.write(f"REGION_CODE={settings.REGION_CODE}")
