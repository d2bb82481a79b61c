"""Take in the mails waiting in the steunpunt's mailbox (see steunen/mailintake.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from steunen import mailintake


class Command(BaseCommand):
    help = "Maak van de e-mails in de mailbox van het steunpunt vragen (IMAP met TLS)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not mailintake.configured():
            self.stdout.write("E-mail intake is off: MAIL_INTAKE_HOST is not set.")
            return
        try:
            result = mailintake.poll()
        except mailintake.MailboxUnavailable as error:
            raise CommandError(
                f"The mailbox could not be polled ({error}); nothing was lost, "
                "the next poll takes the mails that wait."
            ) from error
        self.stdout.write(" ".join(f"{name}={count}" for name, count in result.as_dict().items()))
