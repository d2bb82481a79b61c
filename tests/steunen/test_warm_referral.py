"""Warm referral: the asker's consent, the handover, the follow-up promise and the contact card."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import actions
from steunen.models import AskerType, CaseEvent, EventKind, Referral, ReferralConsent
from steunen.referrals import open_follow_ups
from tests.conftest import client_for
from tests.factories import OrganisatieFactory
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db


def _asker(code: str) -> Client:
    client = Client()
    response = client.post(reverse("steunen:return"), code_data(code))
    assert response.status_code == 302
    return client


def _refer_form(organisatie, **overrides) -> dict:
    data = {
        "referral-organisatie": organisatie.pk,
        "referral-consent": ReferralConsent.YES,
        "referral-handover": "on",
        "referral-handover_note": "Moeder wil graag gebeld worden over het OPP.",
        "referral-follow_up_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_each_of_three_askers_sees_only_the_card_of_their_own_referral(medewerker):
    staff = client_for(medewerker)
    askers = []
    for n in range(3):
        organisatie = OrganisatieFactory(
            name=f"Onderwijsconsulent {n}",
            summary=f"Denkt mee bij vraag {n}.",
            phone=f"030 123 45 6{n}",
            website=f"https://consulent{n}.example.nl",
        )
        case, code = ask(f"Vraag nummer {n} over school.")
        response = staff.post(
            reverse("steunen:case_referral", args=[case.pk]), _refer_form(organisatie)
        )
        assert response.status_code == 302
        askers.append((organisatie, _asker(code)))
    for n, (organisatie, client) in enumerate(askers):
        page = client.get(reverse("steunen:conversation")).text
        assert "Wie kan u verder helpen?" in page
        assert organisatie.name in page
        assert f"030 123 45 6{n}" in page
        assert f"https://consulent{n}.example.nl" in page
        assert f"Denkt mee bij vraag {n}." in page
        assert "Zij nemen contact met u op." in page  # handed over, with consent
        # The handover note is for staff only.
        assert "Moeder wil graag gebeld worden" not in page
        for other, _client in askers:
            if other != organisatie:
                assert other.name not in page


def test_a_youth_reads_the_card_in_je(medewerker):
    organisatie = OrganisatieFactory(name="Jongerenloket", phone="0800 1234")
    case, code = ask("Ik word gepest op school.", asker_type=AskerType.JONGERE)
    actions.refer(
        case=case, by=medewerker, organisatie=organisatie, consent=ReferralConsent.ANONYMOUS
    )
    page = _asker(code).get(reverse("steunen:conversation")).text
    assert "Wie kan je verder helpen?" in page
    assert "Jongerenloket" in page
    assert "Zij nemen contact met je op." not in page  # no handover


def test_no_consent_no_handover_and_what_was_typed_is_kept(medewerker):
    organisatie = OrganisatieFactory()
    case, code = ask()
    staff = client_for(medewerker)
    for consent in (ReferralConsent.REFUSED, ReferralConsent.ANONYMOUS):
        response = staff.post(
            reverse("steunen:case_referral", args=[case.pk]),
            _refer_form(organisatie, **{"referral-consent": consent}),
        )
        assert response.status_code == 200
        assert "Zonder toestemming van de vrager geeft u geen gegevens door." in response.text
        assert "Moeder wil graag gebeld worden over het OPP." in response.text  # kept
    assert not Referral.objects.exists()
    # A note alone is a handover too.
    response = staff.post(
        reverse("steunen:case_referral", args=[case.pk]),
        _refer_form(
            organisatie, **{"referral-consent": ReferralConsent.REFUSED, "referral-handover": None}
        ),
    )
    assert "Zonder toestemming" in response.text
    assert not Referral.objects.exists()
    # Without the handover the referral is fine, and the asker still sees the card.
    response = staff.post(
        reverse("steunen:case_referral", args=[case.pk]),
        _refer_form(
            organisatie,
            **{
                "referral-consent": ReferralConsent.REFUSED,
                "referral-handover": None,
                "referral-handover_note": "",
            },
        ),
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.handover is False and referral.consent == ReferralConsent.REFUSED
    assert organisatie.name in _asker(code).get(reverse("steunen:conversation")).text


def test_the_action_and_the_database_refuse_a_handover_without_consent(medewerker):
    organisatie = OrganisatieFactory()
    case, _code = ask()
    with pytest.raises(actions.CaseWorkflowError):
        actions.refer(
            case=case,
            by=medewerker,
            organisatie=organisatie,
            consent=ReferralConsent.REFUSED,
            handover_note="Gegevens doorgeven",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            case=case, organisatie=organisatie, consent=ReferralConsent.ANONYMOUS, handover=True
        )


def test_the_handover_note_is_encrypted_at_rest(medewerker):
    from django.db import connection

    referral = actions.refer(
        case=ask()[0],
        by=medewerker,
        organisatie=OrganisatieFactory(),
        consent=ReferralConsent.YES,
        handover_note="Vader is bereikbaar na drie uur.",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT handover_note FROM steunen_referral WHERE id = %s", [referral.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("enc2:")
    assert "Vader" not in stored
    assert Referral.objects.get().handover_note == "Vader is bereikbaar na drie uur."


def test_a_due_follow_up_shows_for_the_handler_until_it_is_done(medewerker, coordinator):
    organisatie = OrganisatieFactory(name="Leerplicht Lindewaarde")
    case, _code = ask()
    actions.assign(case=case, by=coordinator, assignee=medewerker)
    today = timezone.localdate()
    referral = actions.refer(
        case=case,
        by=coordinator,
        organisatie=organisatie,
        consent=ReferralConsent.YES,
        handover=True,
        follow_up_on=today,
    )
    later, _ = ask("Een andere vraag.")
    later_referral = actions.refer(
        case=later,
        by=medewerker,
        organisatie=organisatie,
        consent=ReferralConsent.ANONYMOUS,
        follow_up_on=today + timedelta(days=3),
    )
    assert [r.pk for r in open_follow_ups(medewerker)] == [referral.pk, later_referral.pk]
    staff = client_for(medewerker)
    listing = staff.get(reverse("steunen:follow_ups")).text
    assert case.reference in listing and later.reference in listing
    assert "vandaag" in listing
    inbox = staff.get(reverse("steunen:inbox")).text
    assert "Nabellen" in inbox
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert "Nabellen op" in page

    response = staff.post(
        reverse("steunen:case_follow_up", args=[case.pk, referral.pk]),
        {"next": reverse("steunen:follow_ups")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("steunen:follow_ups")
    referral.refresh_from_db()
    assert referral.followed_up_at is not None and referral.followed_up_by == medewerker
    event = CaseEvent.objects.get(case=case, kind=EventKind.FOLLOWED_UP)
    assert event.actor == medewerker and event.detail == "Leerplicht Lindewaarde"
    assert case.reference not in staff.get(reverse("steunen:follow_ups")).text
    # A second click records nothing twice.
    staff.post(reverse("steunen:case_follow_up", args=[case.pk, referral.pk]))
    assert CaseEvent.objects.filter(case=case, kind=EventKind.FOLLOWED_UP).count() == 1
    timeline = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert "Nagebeld na verwijzing" in timeline


def test_a_follow_up_of_another_case_is_404(medewerker):
    organisatie = OrganisatieFactory()
    case, _ = ask()
    other, _ = ask("Nog een vraag.")
    referral = actions.refer(
        case=other,
        by=medewerker,
        organisatie=organisatie,
        consent=ReferralConsent.ANONYMOUS,
        follow_up_on=timezone.localdate(),
    )
    response = client_for(medewerker).post(
        reverse("steunen:case_follow_up", args=[case.pk, referral.pk])
    )
    assert response.status_code == 404


def test_a_follow_up_in_the_past_is_refused(medewerker):
    case, _ = ask()
    organisatie = OrganisatieFactory()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(medewerker).post(
        reverse("steunen:case_referral", args=[case.pk]),
        _refer_form(organisatie, **{"referral-follow_up_on": yesterday}),
    )
    assert "Kies een datum vanaf vandaag." in response.text
    assert not Referral.objects.exists()


def test_the_card_speaks_the_askers_language(medewerker):
    organisatie = OrganisatieFactory(name="Ouderloket", phone="0800 4321")
    case, code = ask()
    actions.refer(
        case=case,
        by=medewerker,
        organisatie=organisatie,
        consent=ReferralConsent.YES,
        handover=True,
    )
    client = Client()
    client.post("/en/vraag/terug/", code_data(code))
    page = client.get("/en/vraag/terug/gesprek/").text
    assert "Who can help you further?" in page
    assert "They will contact you." in page
    assert "Ouderloket" in page


def test_erasure_removes_the_handover_note_and_keeps_the_referral(medewerker):
    case, _code = ask()
    actions.refer(
        case=case,
        by=medewerker,
        organisatie=OrganisatieFactory(),
        consent=ReferralConsent.YES,
        handover_note="Moeder heet Anna, telefoon 06 12345678.",
        follow_up_on=timezone.localdate(),
    )
    actions.erase_personal_data(case=case, by=medewerker, reason="op verzoek")
    referral = Referral.objects.get()
    assert referral.handover_note == ""
    assert referral.handover is True  # the figures may count warm referrals
    assert open_follow_ups(medewerker) == []  # nobody calls an erased case back
