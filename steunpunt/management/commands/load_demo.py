"""Load the fictional demo region: one user per role, then every app's own demo data.

The users (with their roles and a known second factor) are the project
package's; each app loads its own demo with its ``demo.load_demo(data)``,
named in ``settings.DEMO_LOADERS`` in the order they build on each other, so
this command imports no app.

Idempotent: records are matched on their natural keys (SWV code, BRIN +
vestiging, organisation name, username) and updated in place, so running it
twice gives the same counts.
"""

import base64
import hashlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from steunpunt.cache import content_changed
from steunpunt.models import AppDevice
from steunpunt.roles import Role, sync_roles


def demo_totp_key(username: str) -> str:
    """A fixed, public TOTP key per demo user (hex, 20 bytes). Demo only."""
    return hashlib.sha1(f"steunpunt-demo-{username}".encode()).hexdigest()  # noqa: S324


DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_region.toml"
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
        loaded: list[str] = []
        with transaction.atomic():
            sync_roles()
            self._load_users(data["users"])
            for path in settings.DEMO_LOADERS:
                load: Callable[[dict[str, Any]], list[str]] = import_string(path)
                loaded += load(data)
            content_changed()
        self._report(data["users"], loaded)

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

    def _report(self, users: list[dict[str, Any]], loaded: list[str]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo region loaded."))
        for line in loaded:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(
            "Second step: add the key to an authenticator app (type it in, time-based, 6 digits):"
        )
        for row in users:
            key = base64.b32encode(bytes.fromhex(demo_totp_key(row["username"]))).decode()
            self.stdout.write(
                f"  {row['username']:<14} role: {', '.join(row['roles']):<12} key: {key}"
            )
