from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from signaleren.models import HubRegion
from signaleren.national import key_problem


class Command(BaseCommand):
    help = (
        "At the national hub: register a region (or change its name and key) so it may "
        "share reports and read the national picture. The region shows its key with "
        "`manage.py signing_public_key`. Usage: register_region CODE NAME -- KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the region's REGION_CODE")
        parser.add_argument("name", help="the region's name, as the hub shows it")
        parser.add_argument(
            "public_key",
            help="the region's public key; write -- before it, as a key may start with '-'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.NATIONAL_HUB:
            raise CommandError("This deployment is not the national hub (NATIONAL_HUB=1).")
        code, name, key = options["code"].strip(), options["name"].strip(), options["public_key"]
        problem = key_problem(key, code=code)
        if problem:
            raise CommandError(problem)
        if not code or not name:
            raise CommandError("A region needs a code and a name.")
        region, created = HubRegion.objects.update_or_create(
            code=code, defaults={"name": name, "public_key": key.strip(), "active": True}
        )
        verb = "Registered" if created else "Updated"
        self.stdout.write(f"{verb} region {region.code} ({region.name}).")
