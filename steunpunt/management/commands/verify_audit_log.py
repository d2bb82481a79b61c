from typing import Any

from django.core.management.base import BaseCommand, CommandError

from steunpunt.models import AuditChainHead, verify_chain


class Command(BaseCommand):
    help = (
        "Check that no entry of the audit log was changed, removed or inserted: every "
        "entry carries the hash of the one before it. Names the first broken entry and "
        "exits with an error; otherwise prints the chain's last hash (note it elsewhere "
        "now and then: a log rewritten as a whole no longer ends with it)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = verify_chain()
        if problem:
            raise CommandError(f"Audit log broken after {checked} good entries: {problem}.")
        head = AuditChainHead.objects.filter(pk=1).first()
        last = head.last_hash if head else "-"
        self.stdout.write(f"Audit log intact: {checked} entries, last hash {last}.")
