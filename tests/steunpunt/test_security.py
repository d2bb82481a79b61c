"""Limits, lockouts, sessions and the audit log of staff accounts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen.models import Case
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role, roles_of
from tests.conftest import client_for, totp_code
from tests.factories import PASSWORD
from tests.steunen.helpers import code_data, form_data

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("account:login"), {"username": username, "password": password})


def full_login(client, user):
    """Password and the code from the app: a complete staff login."""
    code = totp_code(user)
    login(client, user.get_username())
    client.post(reverse("account:second_factor"), {"token": code})


def test_login_locks_after_repeated_failures_for_that_username_and_client_only(
    medewerker, settings
):
    settings.LOGIN_FAILURES_ALLOWED = 3
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        login(attacker, "sanne", "fout")
    response = login(attacker, "sanne")
    assert response.status_code == 429
    assert "te vaak een verkeerd wachtwoord" in response.text
    # The colleague at her own computer is not locked out by someone else's guessing.
    assert login(Client(REMOTE_ADDR="192.0.2.5"), "sanne").status_code == 302


def test_logins_and_failures_are_audited_without_passwords(medewerker):
    login(Client(), "sanne", "geheim-fout")
    login(Client(), "sanne")
    actions = list(AuditEntry.objects.order_by("at").values_list("action", "actor_username"))
    assert actions == [(AuditAction.LOGIN_FAILED, "sanne"), (AuditAction.LOGIN, "sanne")]
    assert "geheim-fout" not in str(list(AuditEntry.objects.values()))


def test_deactivating_an_account_ends_its_sessions_at_once(coordinator, medewerker):
    colleague = Client()
    full_login(colleague, medewerker)
    assert colleague.get(reverse("steunen:inbox")).status_code == 200
    client_for(coordinator).post(reverse("account:deactivate", args=[medewerker.pk]))
    assert colleague.get(reverse("steunen:inbox")).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DEACTIVATED).exists()
    assert login(Client(), "sanne").status_code == 200  # cannot log in again


def test_coordinator_changes_roles_and_it_is_audited(coordinator, medewerker):
    client_for(coordinator).post(
        reverse("account:member", args=[medewerker.pk]), {"roles": ["medewerker", "redacteur"]}
    )
    assert roles_of(User.objects.get(pk=medewerker.pk)) == {Role.MEDEWERKER, Role.REDACTEUR}
    assert AuditEntry.objects.filter(action=AuditAction.ROLES_CHANGED).exists()


def test_a_board_member_cannot_also_handle_questions(coordinator, bestuur):
    response = client_for(coordinator).post(
        reverse("account:member", args=[bestuur.pk]), {"roles": ["bestuur", "medewerker"]}
    )
    assert "Een bestuurslid kan geen vragen behandelen" in response.text


def test_only_the_coordinator_manages_the_team(medewerker):
    assert client_for(medewerker).get(reverse("account:team")).status_code == 403


def test_staff_session_ends_after_inactivity(medewerker, time_machine, settings):
    settings.STAFF_IDLE_MINUTES = 30
    time_machine.move_to(timezone.now(), tick=False)
    client = Client()
    full_login(client, medewerker)
    assert client.get(reverse("steunen:inbox")).status_code == 200
    time_machine.shift(timedelta(minutes=45))
    assert client.get(reverse("steunen:inbox")).status_code == 302


def test_staff_session_ends_after_its_absolute_lifetime(medewerker, time_machine, settings):
    settings.STAFF_SESSION_HOURS = 10
    time_machine.move_to(timezone.now(), tick=False)
    client = Client()
    full_login(client, medewerker)
    for _ in range(22):  # busy all day, never idle for long
        time_machine.shift(timedelta(minutes=29))
        client.get(reverse("steunen:inbox"))
    assert client.get(reverse("steunen:inbox")).status_code == 302


def test_question_form_is_rate_limited_per_client(client, settings):
    settings.QUESTIONS_PER_HOUR = 2
    for n in range(2):
        client.post("/vraag/", form_data(submission_token=f"t{n}"))
    response = client.post("/vraag/", form_data(submission_token="t9"))
    assert response.status_code == 429
    assert Case.objects.count() == 2
    assert (
        Client(REMOTE_ADDR="203.0.113.50")
        .post("/vraag/", form_data(submission_token="x"))
        .status_code
        == 200
    )


def test_bots_that_fill_the_hidden_field_are_refused(client):
    response = client.post("/vraag/", form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert 'aria-hidden="true"' in client.get("/vraag/").text


def test_security_headers(client):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_csrf_is_required_on_posts(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/vraag/", form_data()).status_code == 403
    assert Case.objects.count() == 0


def test_no_asker_data_in_log_lines(client, caplog, settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    with caplog.at_level("DEBUG"):
        client.post(
            "/vraag/",
            form_data(
                question="Heel persoonlijk", contact_preference="email", email="geheim@voorbeeld.nl"
            ),
        )
        client.post("/vraag/terug/", code_data("AAAA-BBBB-CCCC-DDDD"), REMOTE_ADDR="203.0.113.77")
    assert "Heel persoonlijk" not in caplog.text
    assert "geheim@voorbeeld.nl" not in caplog.text
    assert "AAAA-BBBB" not in caplog.text
    assert "203.0.113.77" not in caplog.text


def test_no_staff_page_without_the_second_factor(medewerker):
    client = client_for(medewerker, second_factor=False)
    response = client.get(reverse("steunen:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:second_factor"))
    assert client.get("/vraag/").status_code == 200  # public pages stay public


def test_first_login_links_an_app_and_shows_recovery_codes_once(medewerker):
    from django_otp.oath import TOTP

    from steunpunt.models import AppDevice as TOTPDevice
    from steunpunt.twofactor import invitation_url

    client = client_for(medewerker, second_factor=False)
    client.get(invitation_url(medewerker))  # from the coordinator
    page = client.get(reverse("account:second_factor_setup")).text
    assert "<svg" in page and "Sleutel" in page
    assert (
        "Deze code klopt niet"
        in client.post(reverse("account:second_factor_setup"), {"token": "000000"}).text
    )
    device = TOTPDevice.objects.get(user=medewerker)
    device.throttle_reset()  # a wrong code slows the next try; this test need not wait
    token = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    response = client.post(reverse("account:second_factor_setup"), {"token": token})
    codes = response.text.split('class="recovery-codes">')[1].split("</ul>")[0].split("<code>")[1:]
    codes = [code.split("</code>")[0] for code in codes]
    assert len(codes) == 10
    assert client.get(reverse("steunen:inbox")).status_code == 200

    # Later, without the phone: a recovery code works once.
    other = client_for(medewerker, second_factor=False)
    other.post(reverse("account:second_factor"), {"token": codes[0]})
    assert other.get(reverse("steunen:inbox")).status_code == 200
    again = client_for(medewerker, second_factor=False)
    again.post(reverse("account:second_factor"), {"token": codes[0]})
    assert again.get(reverse("steunen:inbox")).status_code == 302


def test_the_admin_has_no_login_of_its_own(client):
    response = client.get("/beheer/django/login/?next=/beheer/django/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))
