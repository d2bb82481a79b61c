"""Migrations that encrypt data cannot be undone by pretending to."""

from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader


def _data_steps(name: str) -> list[RunPython]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    operations = loader.get_migration("informeren", name).operations
    return [op for op in operations if isinstance(op, RunPython)]


def test_encrypting_participants_and_remarks_cannot_be_undone_leaving_the_tokens():
    # Going back would put encrypted tokens in columns too short for them.
    steps = _data_steps("0016_encrypt_participants_and_remarks")
    assert steps and not any(step.reversible for step in steps)


def test_encrypting_consent_names_cannot_be_undone_leaving_the_tokens():
    steps = _data_steps("0020_encrypt_consent_names")
    assert steps and not any(step.reversible for step in steps)
