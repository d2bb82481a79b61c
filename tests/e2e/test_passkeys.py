"""A staff member adds a passkey and passes the second step with it (a virtual authenticator)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import totp_code
from tests.e2e.conftest import axe_violations, describe
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_add_a_passkey_and_pass_the_second_step_with_it(browser, live_server, settings):
    from django_otp_webauthn.models import WebAuthnCredential

    # Passkeys need a host name (no IP address): the live server as localhost.
    port = urlsplit(live_server.url).port
    base = f"http://localhost:{port}"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    user = UserFactory(username="sanne", roles=[Role.MEDEWERKER])

    context = browser.new_context(base_url=base, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    def log_in_with_password() -> None:
        page.goto("/account/login/")
        page.get_by_label("Gebruikersnaam").fill("sanne")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(re.compile(r"/account/tweestaps/"))

    # First the app's code, then a passkey is added on the passkeys page.
    code = totp_code(user)
    log_in_with_password()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/account/")
    # On a slow line the page's translations arrive late. Until they are there,
    # no button is offered that would not work (a press on it used to do nothing).
    held = []
    page.route("**/passkey/jsi18n/", lambda route: held.append(route))
    page.get_by_role("link", name="Passkeys").click()
    page.wait_for_url("**/account/passkeys/", wait_until="commit")
    page.wait_for_timeout(1000)
    assert held, "the page asks for its translations"
    assert page.locator("#passkey-register-button").count() == 0
    held[0].continue_()
    page.unroute("**/passkey/jsi18n/")
    page.get_by_role("button", name="Passkey toevoegen").click()
    for _ in range(150):  # the browser's ceremony, then the server stores the key (slow machines)
        if WebAuthnCredential.objects.filter(user=user, confirmed=True).exists():
            break
        page.wait_for_timeout(200)
    status = page.locator("#passkey-register-status-message").text_content()
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1, status
    # The answer has reached the page (it may still set a cookie) before they go.
    expect(page.locator("#passkey-register-status-message")).to_have_text(re.compile(r"\S"))
    page.goto("/")

    # Next time: password, then the passkey instead of a code.
    context.clear_cookies()
    log_in_with_password()
    assert page.get_by_role("heading", name="Met uw passkey").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Passkey gebruiken").click()
    page.wait_for_url("**/account/")
    assert "Mijn werkplek" in page.content()
    actions = list(
        AuditEntry.objects.filter(actor=user).order_by("seq").values_list("action", flat=True)
    )
    assert actions[-2:] == [AuditAction.LOGIN, AuditAction.SECOND_FACTOR]
    assert AuditAction.SECOND_FACTOR_ENROLLED in actions
    context.close()
