from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from steunpunt.models import AuditAction, AuditEntry
from steunpunt.twofactor import invitation_url


class Command(BaseCommand):
    help = (
        "Print an invitation link to link an authenticator app to an account (the first "
        "account after createsuperuser, or anyone who lost phone and recovery codes). It "
        "works once, only after logging in with that account's password, for three days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active account {options['username']!r}.")
        AuditEntry.record(
            actor=None, action=AuditAction.SECOND_FACTOR_INVITED, obj=user, username="manage.py"
        )
        self.stdout.write(settings.SITE_URL.rstrip("/") + invitation_url(user))
