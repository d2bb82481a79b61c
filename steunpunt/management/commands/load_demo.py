"""Load the fictional demo region: SWVs, schools, organisations and one user per role.

Idempotent: records are matched on their natural keys (SWV code, BRIN +
vestiging, organisation name, username) and updated in place, so running it
twice gives the same counts.
"""

import base64
import hashlib
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from informeren import demo as informeren_demo
from informeren.demo_translations import load_translations
from informeren.models import Begrip, Organisatie, Samenwerkingsverband, School, SwvGemeente, Topic
from informeren.pupils import import_pupil_counts
from signaleren import demo as signaleren_demo
from steunen import afspraak_demo, backoffice_demo, buddy_demo, demo_evaluations
from steunen import demo as steunen_demo
from steunen.models import Case, Feestdag
from steunpunt.cache import content_changed
from steunpunt.models import AppDevice
from steunpunt.roles import Role, sync_roles


def demo_totp_key(username: str) -> str:
    """A fixed, public TOTP key per demo user (hex, 20 bytes). Demo only."""
    return hashlib.sha1(f"steunpunt-demo-{username}".encode()).hexdigest()  # noqa: S324


DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_region.toml"
# Made-up pupil numbers per gemeente in DUO's format, for the reach figures.
PUPILS_FILE = Path(settings.BASE_DIR) / "fixtures" / "duo" / "leerlingen-per-gemeente-voorbeeld.csv"
# Printed by the command and the README; demo accounts exist only for demos.
DEMO_PASSWORD = "Lindewaarde-demo-2026"  # noqa: S105


class Command(BaseCommand):
    help = "Load the fictional demo region (idempotent). Refuses without DEBUG unless --force."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never in production: the passwords are public).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo region has public passwords. Run it with DEBUG=1, or pass --force."
            )
        data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            sync_roles()
            swvs = self._load_swvs(data["samenwerkingsverbanden"])
            self._load_schools(data["schools"], swvs)
            self._load_organisaties(data["organisaties"])
            self._load_users(data["users"])
            for day, name in data["feestdagen"]:
                Feestdag.objects.update_or_create(
                    date=date.fromisoformat(day), defaults={"name": name}
                )
            informeren_demo.load_content(
                author=User.objects.get(username="redacteur"),
                validator=User.objects.get(username="validator"),
            )
            load_translations(
                author=User.objects.get(username="redacteur"),
                validator=User.objects.get(username="validator"),
            )
            steunen_demo.load_canned_answers()
            steunen_demo.generate_cases()
            demo_evaluations.generate_evaluations()
            afspraak_demo.generate_appointments()
            buddy_demo.generate_buddies()
            backoffice_demo.generate_backoffice()
            import_pupil_counts(PUPILS_FILE.read_bytes())
            signaleren_demo.load_goals_and_summary(
                coordinator=User.objects.get(username="coordinator")
            )
            content_changed()
        self._report(data["users"])

    def _load_swvs(self, rows: list[dict[str, str]]) -> dict[str, Samenwerkingsverband]:
        swvs = {}
        for row in rows:
            swv, _ = Samenwerkingsverband.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "sector": row["sector"], "website": row["website"]},
            )
            swv.full_clean()
            swvs[swv.code] = swv
            for gemeente in row.get("gemeenten", []):
                SwvGemeente.objects.update_or_create(
                    gemeente=gemeente, sector=swv.sector, defaults={"samenwerkingsverband": swv}
                )
        return swvs

    def _load_schools(self, rows: list[list[str]], swvs: dict[str, Samenwerkingsverband]) -> None:
        for number, row in enumerate(rows, start=1):
            name, brin, vestiging, school_type, street, postcode, place, gemeente, swv = row
            school, _ = School.objects.update_or_create(
                brin=brin,
                vestiging=vestiging,
                defaults={
                    "name": name,
                    # Made up like the rest: the 0999 area code and .example are no one's.
                    "phone": f"0999 40 {number:02d} 00",
                    "website": f"https://www.{slugify(name)}.example",
                    "school_type": school_type,
                    "street": street,
                    "postcode": postcode,
                    "place": place,
                    "gemeente": gemeente,
                    "samenwerkingsverband": swvs[swv] if swv else None,
                },
            )
            school.full_clean()

    def _load_organisaties(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            fields = {key: value for key, value in row.items() if key != "name"}
            organisatie, _ = Organisatie.objects.update_or_create(name=row["name"], defaults=fields)
            organisatie.full_clean()

    def _load_users(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            user, _ = User.objects.update_or_create(
                username=row["username"],
                defaults={
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "email": f"{row['username']}@steunpunt-lindewaarde.example",
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in row["roles"]]))
            # The second factor, with a known key so a newcomer can add it to any app.
            AppDevice.objects.update_or_create(
                user=user,
                name="demo",
                defaults={"key": demo_totp_key(user.username), "confirmed": True},
            )

    def _report(self, users: list[dict[str, Any]]) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo region loaded: {Samenwerkingsverband.objects.count()} "
                f"samenwerkingsverbanden, {School.objects.count()} schools, "
                f"{Organisatie.objects.count()} organisations, {Topic.objects.count()} "
                f"information pages, {Begrip.objects.count()} glossary terms, "
                f"{Case.objects.count()} cases."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(
            "Second step: add the key to an authenticator app (type it in, time-based, 6 digits):"
        )
        for row in users:
            key = base64.b32encode(bytes.fromhex(demo_totp_key(row["username"]))).decode()
            self.stdout.write(
                f"  {row['username']:<14} role: {', '.join(row['roles']):<12} key: {key}"
            )
        self.stdout.write(
            f"Try 'Mijn vraag' (/vraag/terug/) with the demo code {steunen_demo.DEMO_CODE}"
        )
