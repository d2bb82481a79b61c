"""Staff accounts in the product: invite by e-mail, password, second factor, workspace.

The coordinator never needs the Django admin: inviting, changing tasks,
turning an account off and on again all happen on the team page.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from steunpunt.models import AppDevice, AuditAction, AuditEntry
from steunpunt.roles import Role, roles_of
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TEAM = "/account/team/"
NEW_PASSWORD = "een-eigen-lang-wachtwoord-7"


@pytest.fixture
def invite(coordinator, django_capture_on_commit_callbacks):
    """The coordinator invites a colleague on the team page; the link from the mail."""

    def invite_one(email="nadia@steunpunt.example", roles=("medewerker",), **extra):
        data = {"first_name": "Nadia", "last_name": "Bakker", "email": email, "roles": roles}
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(coordinator).post(TEAM, {**data, **extra}, follow=True)
        assert "De uitnodiging is verstuurd naar" in response.text
        (message,) = mail.outbox
        assert message.to == [email]
        return re.search(r"https?://[^/\s]+(/account/welkom/\S+)", message.body).group(1)

    return invite_one


def current_code(device: AppDevice) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def audited(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="auth.user", object_id=str(user.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_an_invited_colleague_sets_a_password_links_an_app_and_reaches_the_workspace(invite):
    link = invite()
    colleague = User.objects.get(email="nadia@steunpunt.example")
    assert roles_of(colleague) == {Role.MEDEWERKER}
    assert not colleague.has_usable_password()
    assert "uitgenodigd" in client_for(User.objects.get(username="karim")).get(TEAM).text

    client = Client()
    form = client.get(link)
    assert "Kies een wachtwoord" in form.text and "nadia@steunpunt.example" in form.text
    mismatch = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": "anders-123"})
    assert "De twee wachtwoorden zijn niet gelijk." in mismatch.text
    empty = client.post(link, {})
    assert "Vul een wachtwoord in." in empty.text

    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"].startswith(reverse("account:second_factor_setup"))
    # Not in yet: the second step first.
    assert client.get(reverse("steunen:inbox")).status_code == 302
    setup = client.get(done["Location"])
    assert "Stel nu de tweede stap in" in setup.text and "Koppelen" in setup.text
    device = AppDevice.objects.get(user=colleague, confirmed=False)
    codes = client.post(done["Location"], {"token": current_code(device)})
    assert len(re.findall(r"<code>([0-9a-f ]+)</code>", codes.text)) == 10
    workspace = client.get(reverse("account:workspace"))
    assert "Vragen en begeleiding" in workspace.text
    assert client.get(reverse("steunen:inbox")).status_code == 200
    assert audited(colleague) == [
        AuditAction.ACCOUNT_INVITED,
        AuditAction.PASSWORD_SET,
        AuditAction.SECOND_FACTOR_ENROLLED,
    ]

    # Used once: the link opens nothing any more, not even in a fresh browser.
    assert Client().get(link).status_code == 404
    assert "Deze uitnodiging werkt niet" in Client().get(link).text
    # And from now on the colleague logs in with the chosen password and the app.
    later = Client()
    later.post(
        reverse("account:login"), {"username": "nadia@steunpunt.example", "password": NEW_PASSWORD}
    )
    assert later.get(reverse("steunen:inbox")).status_code == 302  # the code is asked
    later.post(reverse("account:second_factor"), {"token": codes_first(codes.text)})
    assert later.get(reverse("steunen:inbox")).status_code == 200


def codes_first(page: str) -> str:
    return re.findall(r"<code>([0-9a-f ]+)</code>", page)[0]


def test_the_invitation_link_expires(invite):
    link = invite()
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, hours=2)
    with time_machine.travel(later):
        response = Client().get(link)
    assert response.status_code == 404
    assert "verlopen" in response.text
    # Within the three days it works.
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert Client().get(link).status_code == 200


def test_a_new_invitation_replaces_an_expired_one(
    invite, coordinator, django_capture_on_commit_callbacks
):
    old_link = invite()
    colleague = User.objects.get(email="nadia@steunpunt.example")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(reverse("account:invite_again", args=[colleague.pk]))
    new_link = re.search(r"(/account/welkom/\S+)", mail.outbox[0].body).group(1)
    client = Client()
    client.post(new_link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().get(old_link).status_code == 404
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)


def test_the_invitation_form_says_what_is_wrong_in_dutch(coordinator, invite):
    client = client_for(coordinator)
    response = client.post(TEAM, {"first_name": "", "email": "geen-adres", "roles": []})
    assert "Vul de voornaam in." in response.text
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in response.text
    assert "Kies minstens één taak." in response.text
    board_and_cases = {
        "first_name": "W",
        "email": "w@swv.example",
        "roles": ["bestuur", "medewerker"],
    }
    assert "Een bestuurslid kan geen vragen behandelen" in client.post(TEAM, board_and_cases).text
    invite(email="nadia@steunpunt.example")
    again = client.post(
        TEAM, {"first_name": "N", "email": "Nadia@Steunpunt.example", "roles": ["medewerker"]}
    )
    assert "Er is al een account met dit e-mailadres." in again.text
    assert 'value="N"' in again.text  # what was typed stays
    assert User.objects.filter(email__iexact="nadia@steunpunt.example").count() == 1


def test_only_the_coordinator_invites(medewerker):
    response = client_for(medewerker).post(
        TEAM, {"first_name": "X", "email": "x@steunpunt.example", "roles": ["coordinator"]}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@steunpunt.example").exists()


def test_the_coordinator_changes_tasks_deactivates_and_reactivates(coordinator):
    colleague = UserFactory(username="joris", roles=[Role.MEDEWERKER])
    client = client_for(coordinator)
    member = reverse("account:member", args=[colleague.pk])
    saved = client.post(member, {"roles": ["medewerker", "redacteur"]}, follow=True)
    assert "De taken zijn gewijzigd." in saved.text
    assert roles_of(User.objects.get(pk=colleague.pk)) == {Role.MEDEWERKER, Role.REDACTEUR}

    colleague_session = client_for(colleague)
    turned_off = client.post(reverse("account:deactivate", args=[colleague.pk]), follow=True)
    assert "Het account is uitgezet." in turned_off.text
    assert colleague_session.get(reverse("steunen:inbox")).status_code == 302  # session ended
    refused = Client().post(reverse("account:login"), {"username": "joris", "password": PASSWORD})
    assert "account:login" not in refused.get("Location", "") and refused.status_code == 200

    page = client.get(member).text
    assert "Account weer aanzetten" in page
    turned_on = client.post(reverse("account:reactivate", args=[colleague.pk]), follow=True)
    assert "Het account staat weer aan." in turned_on.text
    back = Client()
    assert (
        back.post(reverse("account:login"), {"username": "joris", "password": PASSWORD}).status_code
        == 302
    )
    assert roles_of(User.objects.get(pk=colleague.pk)) == {Role.MEDEWERKER, Role.REDACTEUR}
    assert audited(colleague) == [
        AuditAction.ROLES_CHANGED,
        AuditAction.ACCOUNT_DEACTIVATED,
        AuditAction.ACCOUNT_REACTIVATED,
        AuditAction.LOGIN,
    ]
