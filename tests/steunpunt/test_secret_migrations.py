"""Existing deployments: what was stored before is chained, encrypted or hashed by migrations."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target: list[tuple[str, str]], *, also: tuple = ()):
    """Back to ``target``; the models as they were then (of ``also``'s apps too)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state([*target, *also]).apps


def latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def raw(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_an_existing_audit_log_becomes_a_chain(medewerker):
    from steunpunt.models import verify_chain

    old = migrate([("steunpunt", "0006_audit_redactie_changes")])
    Entry = old.get_model("steunpunt", "AuditEntry")
    for n in range(3):
        Entry.objects.create(
            actor_id=medewerker.pk, actor_username="sanne", action="case_viewed",
            object_type="steunen.case", object_id=str(n), at=timezone.now(),
        )  # fmt: skip
    latest()
    assert verify_chain() == (3, None)
    assert [s for (s,) in raw("SELECT seq FROM steunpunt_auditentry ORDER BY seq")] == [1, 2, 3]


def test_app_keys_and_recovery_codes_leave_django_otps_tables(medewerker):
    from steunpunt.models import AppDevice, RecoveryDevice

    old = migrate(
        [("steunpunt", "0007_audit_chain")],
        also=(("otp_totp", "0003_add_timestamps"), ("otp_static", "0003_add_timestamps")),
    )
    TOTPDevice = old.get_model("otp_totp", "TOTPDevice")
    StaticDevice = old.get_model("otp_static", "StaticDevice")
    StaticToken = old.get_model("otp_static", "StaticToken")
    key = "3132333435363738393031323334353637383930"
    TOTPDevice.objects.create(user_id=medewerker.pk, name="app", confirmed=True, key=key)
    device = StaticDevice.objects.create(user_id=medewerker.pk, name="herstel", confirmed=True)
    StaticToken.objects.create(device=device, token="abcd2345")
    latest()

    assert raw("SELECT COUNT(*) FROM otp_totp_totpdevice") == [(0,)]
    assert raw("SELECT COUNT(*) FROM otp_static_statictoken") == [(0,)]
    app = AppDevice.objects.get(user=medewerker)
    assert app.key == key and app.confirmed
    ((stored,),) = raw("SELECT key FROM steunpunt_appdevice")
    assert stored.startswith("enc2:") and key not in stored
    recovery = RecoveryDevice.objects.get(user=medewerker)
    assert "abcd2345" not in str(raw("SELECT code_hash FROM steunpunt_recoverycode"))
    assert recovery.verify_token("ABCD 2345")  # the old code still works, once
    assert not recovery.verify_token("abcd2345")


def test_going_back_returns_the_app_keys_to_django_otp(medewerker):
    from steunpunt.models import AppDevice

    key = AppDevice.objects.create(user=medewerker, name="app", confirmed=True).key
    old = migrate(
        [("steunpunt", "0007_audit_chain")],
        also=(("otp_totp", "0003_add_timestamps"),),
    )
    assert old.get_model("otp_totp", "TOTPDevice").objects.get().key == key
    latest()
    assert AppDevice.objects.get(user=medewerker).key == key
