from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from steunpunt.crypto import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the newest key (the first in "
        "FIELD_ENCRYPTION_KEYS). Steps: put the new key first and keep the old one after it; "
        "deploy; run this; then remove the old key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, fields in encrypted_fields():
            # Values are read decrypted (with any of the keys) and written back:
            # the field encrypts them with the newest one.
            for pk, *values in model._base_manager.values_list("pk", *fields).iterator():
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(
                        **dict(zip(fields, values, strict=True))
                    )
                total += 1
        self.stdout.write(f"Re-encrypted {total} rows with the newest key.")
