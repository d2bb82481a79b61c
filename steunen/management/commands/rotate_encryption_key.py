from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from steunen.models import Case, InternalNote, Message
from steunpunt.crypto import encrypt

ENCRYPTED = [
    (Case, ["name", "email", "phone", "phone_times"]),
    (Message, ["body"]),
    (InternalNote, ["body"]),
]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the newest key (the first in "
        "FIELD_ENCRYPTION_KEYS). Steps: put the new key first and keep the old one after it; "
        "deploy; run this; then remove the old key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, fields in ENCRYPTED:
            # Values are read decrypted (with any of the keys) and written back
            # encrypted with the newest one.
            for pk, *values in model.objects.values_list("pk", *fields).iterator():
                with transaction.atomic():
                    model.objects.filter(pk=pk).update(
                        **{
                            field: encrypt(value) if value else value
                            for field, value in zip(fields, values, strict=True)
                        }
                    )
                total += 1
        self.stdout.write(f"Re-encrypted {total} rows with the newest key.")
