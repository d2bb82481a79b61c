"""Staff accounts: the second factor is linked, passed, changed and kept to a high standard."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from steunpunt.models import AppDevice, AuditAction, AuditEntry, RecoveryCode, RecoveryDevice
from steunpunt.roles import Role
from steunpunt.twofactor import invitation_url
from tests.conftest import client_for, totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SETUP = "/account/tweestaps/instellen/"
SECOND = "/account/tweestaps/"


def password_only(user) -> Client:
    client = Client()
    assert (
        client.post(
            reverse("account:login"), {"username": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def current_code(device: AppDevice) -> str:
    device.refresh_from_db()
    device.throttle_reset()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def next_code(device: AppDevice) -> str:
    """The code of the next time step (accepted within the tolerance, and not used yet)."""
    device.refresh_from_db()
    device.throttle_reset()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time += device.step
    return f"{totp.token():06d}"


def audited(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="auth.user", object_id=str(user.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def enrol(client: Client, user) -> list[str]:
    """Link an app on the setup page; the recovery codes shown."""
    client.get(SETUP)
    device = AppDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": current_code(device)})
    return re.findall(r"<code>([0-9a-f ]+)</code>", response.text)


# --- Passing the second factor ---------------------------------------------------------


def test_the_session_key_changes_when_the_second_factor_is_passed(medewerker):
    code = totp_code(medewerker)
    client = password_only(medewerker)
    before = client.cookies["sessionid"].value
    client.post(SECOND, {"token": code})
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.get(reverse("steunen:inbox")).status_code == 200
    # The key from before the second step opens nothing.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get(reverse("steunen:inbox")).status_code == 302


def test_a_wrong_second_factor_code_is_audited(medewerker):
    totp_code(medewerker)
    client = password_only(medewerker)
    response = client.post(SECOND, {"token": "000000"})
    assert "Deze code klopt niet" in response.text
    assert audited(medewerker) == [AuditAction.LOGIN, AuditAction.SECOND_FACTOR_FAILED]


# --- Linking an app --------------------------------------------------------------------


def test_a_password_alone_cannot_link_an_app(medewerker):
    client = password_only(medewerker)
    response = client.get(SETUP)
    assert response.status_code == 403
    assert "Vraag de coördinator om een uitnodiging" in response.text
    assert client.post(SETUP, {"token": "123456"}).status_code == 403
    assert not AppDevice.objects.filter(user=medewerker).exists()


def test_a_coordinator_invites_and_the_colleague_links_their_app_once(coordinator):
    colleague = UserFactory(username="nieuw", roles=[Role.MEDEWERKER])
    page = client_for(coordinator).post(reverse("account:invite", args=[colleague.pk])).text
    link = re.search(r'<code class="secret">https?://[^/]+([^<]+)</code>', page).group(1)
    assert audited(colleague) == [AuditAction.SECOND_FACTOR_INVITED]

    # The invitation works only for the account it was made for.
    someone_else = password_only(UserFactory(username="ander", roles=[Role.MEDEWERKER]))
    assert someone_else.get(link).status_code == 404

    client = password_only(colleague)
    assert client.get(link)["Location"] == SETUP
    codes = enrol(client, colleague)
    assert len(codes) == 10
    assert client.get(reverse("steunen:inbox")).status_code == 200
    assert AuditAction.SECOND_FACTOR_ENROLLED in audited(colleague)

    # Used once: the same link links no second app.
    later = password_only(colleague)
    assert later.get(link).status_code == 404
    assert later.get(SETUP)["Location"].startswith(SECOND)


def test_a_logged_in_colleague_links_a_new_phone_and_the_old_one_stops(medewerker):
    old = AppDevice.objects.create(user=medewerker, name="app", confirmed=True)
    client = client_for(medewerker)
    assert "U koppelt een nieuwe app" in client.get(SETUP).text
    enrol(client, medewerker)
    assert not AppDevice.objects.filter(pk=old.pk).exists()
    assert AppDevice.objects.filter(user=medewerker, confirmed=True).count() == 1


# --- Passwords -------------------------------------------------------------------------


def test_changing_the_password_takes_a_code_from_the_app(medewerker):
    device = AppDevice.objects.create(user=medewerker, name="app", confirmed=True)
    client = client_for(medewerker)
    form = {
        "old_password": PASSWORD,
        "new_password1": "een-nieuw-lang-wachtwoord",
        "new_password2": "een-nieuw-lang-wachtwoord",
    }
    response = client.post(reverse("account:password_change"), {**form, "token": "000000"})
    assert "Deze code klopt niet" in response.text
    medewerker.refresh_from_db()
    assert medewerker.check_password(PASSWORD)
    assert AuditAction.SECOND_FACTOR_FAILED in audited(medewerker)

    response = client.post(
        reverse("account:password_change"), {**form, "token": current_code(device)}
    )
    assert response["Location"] == reverse("account:workspace")
    medewerker.refresh_from_db()
    assert medewerker.check_password("een-nieuw-lang-wachtwoord")
    assert AuditAction.PASSWORD_CHANGED in audited(medewerker)


def test_a_password_reset_link_alone_does_not_set_a_new_password(
    client, medewerker, django_capture_on_commit_callbacks
):
    medewerker.email = "sanne@steunpunt.example"
    medewerker.save()
    device = AppDevice.objects.create(user=medewerker, name="app", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:password_reset"), {"email": "sanne@steunpunt.example"})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/account/wachtwoord-herstellen/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "code uit uw app" in form_page.text
    url = form_page.redirect_chain[-1][0]
    new = {
        "new_password1": "een-nieuw-lang-wachtwoord",
        "new_password2": "een-nieuw-lang-wachtwoord",
    }

    # Someone with only the mailbox: no code, no new password.
    response = client.post(url, {**new, "token": "000000"})
    assert "Deze code klopt niet" in response.text
    medewerker.refresh_from_db()
    assert medewerker.check_password(PASSWORD)

    response = client.post(url, {**new, "token": next_code(device)})
    assert response["Location"] == reverse("account:password_reset_complete")
    medewerker.refresh_from_db()
    assert medewerker.check_password("een-nieuw-lang-wachtwoord")
    assert AuditAction.PASSWORD_RESET in audited(medewerker)
    assert "_auth_user_id" not in client.session  # not logged in by the reset


def test_an_account_without_an_app_cannot_reset_its_password(
    client, medewerker, django_capture_on_commit_callbacks
):
    medewerker.email = "sanne@steunpunt.example"
    medewerker.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:password_reset"), {"email": "sanne@steunpunt.example"})
    link = re.search(r"(/account/wachtwoord-herstellen/\S+)", mail.outbox[0].body).group(1)
    url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        url,
        {
            "new_password1": "een-nieuw-lang-wachtwoord",
            "new_password2": "een-nieuw-lang-wachtwoord",
            "token": "123456",
        },
    )
    assert "Vraag de coördinator om een uitnodiging" in response.text
    assert User.objects.get(pk=medewerker.pk).check_password(PASSWORD)


# --- Secrets at rest -------------------------------------------------------------------


def raw(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_the_app_key_and_recovery_codes_are_not_readable_in_the_database(medewerker):
    client = password_only(medewerker)
    client.get(invitation_url(medewerker))
    codes = enrol(client, medewerker)
    device = AppDevice.objects.get(user=medewerker)
    ((stored_key,),) = raw("SELECT key FROM steunpunt_appdevice")
    assert stored_key.startswith("enc2:") and device.key not in stored_key
    stored = {code_hash for (code_hash,) in raw("SELECT code_hash FROM steunpunt_recoverycode")}
    assert len(stored) == 10
    for code in codes:
        assert code.replace(" ", "") not in str(stored)
    # Nothing left in django-otp's own tables, where key and codes would be plain.
    assert raw("SELECT COUNT(*) FROM otp_totp_totpdevice") == [(0,)]
    assert raw("SELECT COUNT(*) FROM otp_static_statictoken") == [(0,)]
    # A recovery code still works, once.
    other = password_only(medewerker)
    other.post(SECOND, {"token": codes[3]})
    assert other.get(reverse("steunen:inbox")).status_code == 200
    assert RecoveryCode.objects.filter(device__in=RecoveryDevice.objects.all()).count() == 9


def test_the_django_admin_shows_no_second_factor_device(medewerker):
    admin = User.objects.create_superuser("beheer", "beheer@steunpunt.example", PASSWORD)
    client = client_for(admin)
    index = client.get("/beheer/django/").text
    assert "otp_totp" not in index and "otp_static" not in index
    assert "appdevice" not in index.lower() and "recovery" not in index.lower()
    assert client.get("/beheer/django/otp_totp/totpdevice/").status_code == 404


def test_no_script_can_read_the_csrf_cookie(client):
    response = client.get(reverse("account:login"))
    assert response.cookies["csrftoken"]["httponly"] is True


def test_reset_links_are_limited_per_client(client, medewerker, django_capture_on_commit_callbacks):
    medewerker.email = "sanne@steunpunt.example"
    medewerker.save()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(reverse("account:password_reset"), {"email": "sanne@steunpunt.example"})
        response = client.post(
            reverse("account:password_reset"), {"email": "sanne@steunpunt.example"}
        )
    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.text
    assert len(mail.outbox) == 5


def test_a_reset_mail_is_queued_with_its_link_encrypted(client, medewerker, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    medewerker.email = "sanne@steunpunt.example"
    medewerker.save()
    response = client.post(reverse("account:password_reset"), {"email": "sanne@steunpunt.example"})
    assert response.status_code == 302
    assert not mail.outbox  # not sent while the visitor waits
    (queued,) = DBTaskResult.objects.all()
    assert "wachtwoord-herstellen" not in str(queued.args_kwargs)
