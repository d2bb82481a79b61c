"""The audit log cannot be changed unnoticed, and it never forks under load."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from steunpunt.models import GENESIS, AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def write_entries(user, n: int = 5) -> list[AuditEntry]:
    return [
        AuditEntry.record(actor=user, action=AuditAction.CASE_VIEWED, username="") for _ in range(n)
    ]


def test_each_entry_carries_the_hash_of_the_one_before(medewerker):
    first, second, third = write_entries(medewerker, 3)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert "Audit log intact: 3 entries" in verify()


def test_a_changed_entry_is_named(medewerker):
    entries = write_entries(medewerker)
    # Someone with database access hides who opened a case.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE steunpunt_auditentry SET actor_username = 'iemand' WHERE id = %s",
            [entries[2].pk],
        )
    with pytest.raises(CommandError, match=rf"entry {entries[2].pk} \(#3, .*\) was changed"):
        verify()


def test_a_removed_entry_is_found(medewerker):
    entries = write_entries(medewerker)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    with pytest.raises(CommandError, match=rf"entry {entries[2].pk} \(#3, .*\) follows a gap"):
        verify()


def test_entries_removed_from_the_end_are_found(medewerker):
    entries = write_entries(medewerker)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    with pytest.raises(CommandError, match="entries were removed from the end"):
        verify()


def test_a_rewritten_hash_breaks_the_link_to_the_next_entry(medewerker):
    entries = write_entries(medewerker)
    forged = entries[1]
    forged.actor_username = "iemand"
    forged.entry_hash = forged.computed_hash()  # recomputed to look right
    forged.save(update_fields=["actor_username", "entry_hash"])
    with pytest.raises(CommandError, match=rf"entry {entries[2].pk} .* does not follow"):
        verify()


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_never_fork_the_chain(medewerker):
    """Eight requests writing at once, on their own connections, append one after another."""
    from django.db import connections

    threads, errors = [], []
    start = threading.Barrier(8)

    def writer() -> None:
        try:
            start.wait()
            write_entries(medewerker, 10)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    for _ in range(8):
        threads.append(threading.Thread(target=writer))
        threads[-1].start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 81))
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == 80
    assert "Audit log intact: 80 entries" in verify()
