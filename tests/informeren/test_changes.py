"""The redactie keeps the glossary, checklists, organisations and feestdagen.

Public text (glossary, checklists, organisations) changes under four eyes:
a change waits for a second person's approval before anyone sees it, and
shows at once when it is published.
"""

from datetime import date

import pytest
from django.urls import reverse

from informeren.models import Begrip, Checklist, ChecklistItem, Organisatie, Werkgebied, Wijziging
from steunen.models import Feestdag
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.factories import OrganisatieFactory, SchoolFactory, UserFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db

EXPLANATION = "Een plan van de school voor een leerling die extra hulp nodig heeft."


def _propose_term(editor, **fields):
    data = {"term": "OPP", "explanation": EXPLANATION, "also_matches": ""} | fields
    return client_for(editor).post(reverse("informeren:begrip_new"), data)


def test_a_new_glossary_term_is_not_public_until_another_person_approved_it(
    redacteur, validator, client
):
    topic = published_topic(body="Samen met u maakt de school een OPP voor uw kind.")
    assert 'href="/begrippen/#opp"' not in client.get(topic.get_absolute_url()).text  # warm

    _propose_term(redacteur)
    change = Wijziging.objects.get()
    assert not Begrip.objects.exists()
    assert "Een plan van de school" not in client.get(reverse("informeren:glossary")).text

    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    assert "Een plan van de school" not in client.get(reverse("informeren:glossary")).text
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))

    assert "Een plan van de school" in client.get(reverse("informeren:glossary")).text
    # The kept topic article was made again: the term is linked at once.
    assert 'href="/begrippen/#opp"' in client.get(topic.get_absolute_url()).text
    assert AuditEntry.objects.filter(
        action=AuditAction.CHANGE_PUBLISHED, actor=validator, object_id=str(change.pk)
    ).exists()


def test_the_author_cannot_approve_their_own_glossary_change(redacteur, validator):
    Begrip.objects.create(term="OPP", slug="opp", explanation="Oude uitleg.")
    begrip = Begrip.objects.get()
    # A validator who writes a change is its author, and may not approve it.
    response = client_for(validator).post(
        reverse("informeren:begrip_edit", args=[begrip.pk]),
        {"term": "OPP", "explanation": EXPLANATION, "also_matches": ""},
    )
    assert response.status_code == 403  # only redacteuren write
    validator.groups.add(*redacteur.groups.all())
    client_for(validator).post(
        reverse("informeren:begrip_edit", args=[begrip.pk]),
        {"term": "OPP", "explanation": EXPLANATION, "also_matches": ""},
    )
    change = Wijziging.objects.get()
    author = client_for(validator)
    author.post(reverse("informeren:change_submit", args=[change.pk]))
    response = author.post(reverse("informeren:change_approve", args=[change.pk]), follow=True)
    assert "U heeft aan deze versie meegeschreven" in response.text
    change.refresh_from_db()
    assert change.status == "ter_beoordeling"
    begrip.refresh_from_db()
    assert begrip.explanation == "Oude uitleg."


def test_a_changed_term_keeps_its_old_text_public_until_published(redacteur, validator, client):
    begrip = Begrip.objects.create(term="OPP", slug="opp", explanation="Oude uitleg.")
    client_for(redacteur).post(
        reverse("informeren:begrip_edit", args=[begrip.pk]),
        {"term": "OPP", "explanation": EXPLANATION, "also_matches": "ontwikkelingsplan"},
    )
    change = Wijziging.objects.get()
    page = client_for(validator).get(reverse("informeren:change", args=[change.pk])).text
    assert "Oude uitleg." in page and EXPLANATION in page  # was and becomes
    assert "Oude uitleg." in client.get(reverse("informeren:glossary")).text
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))
    begrip.refresh_from_db()
    assert (begrip.explanation, begrip.slug) == (EXPLANATION, "opp")
    assert "Oude uitleg." not in client.get(reverse("informeren:glossary")).text


def test_a_glossary_form_with_errors_keeps_what_was_typed(redacteur):
    Begrip.objects.create(term="OPP", slug="opp", explanation="Bestaat al.")
    response = _propose_term(redacteur, explanation="Mijn nieuwe uitleg van het plan.")
    assert "Dit begrip staat al in de lijst. Pas dat begrip aan." in response.text
    assert "Mijn nieuwe uitleg van het plan." in response.text
    response = _propose_term(redacteur, term="TLV", explanation="")
    assert "Leg het begrip uit in gewone woorden." in response.text
    assert 'value="TLV"' in response.text
    assert not Wijziging.objects.exists()


def test_organisaties_can_be_filtered_by_gemeente(client):
    SchoolFactory(gemeente="Lindewaarde")
    SchoolFactory(gemeente="Hazelbroek")
    OrganisatieFactory(name="Landelijke Hulplijn", national=True)
    wijkteam = OrganisatieFactory(name="Wijkteam Lindewaarde", national=False)
    Werkgebied.objects.create(organisatie=wijkteam, gemeente="Lindewaarde")
    jeugdteam = OrganisatieFactory(name="Jeugdteam Hazelbroek", national=False)
    Werkgebied.objects.create(organisatie=jeugdteam, gemeente="Hazelbroek")
    OrganisatieFactory(name="Loket voor de hele regio", national=False)

    page = client.get(reverse("informeren:organisaties") + "?gemeente=Hazelbroek").text
    assert "Jeugdteam Hazelbroek" in page
    assert "Landelijke Hulplijn" in page
    assert "Loket voor de hele regio" in page
    assert "Wijkteam Lindewaarde" not in page
    assert '<option value="Hazelbroek" selected>' in page

    everything = client.get(reverse("informeren:organisaties")).text
    assert "Wijkteam Lindewaarde" in everything and "Jeugdteam Hazelbroek" in everything
    # A gemeente that is not in the region is ignored, not an error.
    unknown = client.get(reverse("informeren:organisaties") + "?gemeente=Atlantis")
    assert unknown.status_code == 200 and "Wijkteam Lindewaarde" in unknown.text


def test_an_organisation_with_address_hours_and_gemeenten_is_published_after_approval(
    redacteur, validator, client
):
    SchoolFactory(gemeente="Veldmeer")
    client_for(redacteur).post(
        reverse("informeren:organisatie_new"),
        {
            "name": "Jeugdteam Veldmeer",
            "soort": "wijkteam",
            "summary": "Helpt gezinnen met vragen over opvoeden en school.",
            "for_whom": "gezinnen met kinderen tot 18 jaar",
            "address": "Dorpsstraat 4\r\n9998 BA Veldmeer",
            "opening_hours": "maandag tot en met donderdag, 9 tot 16 uur",
            "gemeenten": ["Veldmeer"],
        },
    )
    change = Wijziging.objects.get()
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))
    organisatie = Organisatie.objects.get(name="Jeugdteam Veldmeer")
    page = client.get(organisatie.get_absolute_url()).text
    assert "Dorpsstraat 4" in page
    assert "maandag tot en met donderdag" in page
    assert "gezinnen met kinderen tot 18 jaar" in page
    assert "In de gemeenten Veldmeer." in page
    assert "Jeugdteam Veldmeer" in client.get("/organisaties/?gemeente=Veldmeer").text


def test_feestdagen_are_kept_in_the_redactie_and_audited(redacteur, coordinator, outsider):
    page = client_for(coordinator).post(
        reverse("informeren:feestdag_list"), {"date": "2027-04-27", "name": ""}
    )
    assert "Vul de naam van de feestdag in." in page.text
    assert 'value="2027-04-27"' in page.text
    client_for(coordinator).post(
        reverse("informeren:feestdag_list"), {"date": "2027-04-27", "name": "Koningsdag"}
    )
    holiday = Feestdag.objects.get()
    assert holiday.date == date(2027, 4, 27)
    again = client_for(redacteur).post(
        reverse("informeren:feestdag_list"), {"date": "2027-04-27", "name": "Nog eens"}
    )
    assert "Op deze datum staat al een feestdag." in again.text
    assert client_for(outsider).get(reverse("informeren:feestdag_list")).status_code == 403
    client_for(redacteur).post(reverse("informeren:feestdag_delete", args=[holiday.pk]))
    assert not Feestdag.objects.exists()
    assert list(
        AuditEntry.objects.filter(object_id=str(holiday.pk)).values_list("action", "actor")
    ) == [
        (AuditAction.HOLIDAY_REMOVED, redacteur.pk),
        (AuditAction.HOLIDAY_ADDED, coordinator.pk),
    ]


def test_a_checklist_change_keeps_every_item_linked_to_its_topic(redacteur, validator, client):
    topic = published_topic("aanmelden", title="Aanmelden")
    data = {
        "title": "Voor het gesprek",
        "intro": "Neem dit mee.",
        "punten-TOTAL_FORMS": "2",
        "punten-INITIAL_FORMS": "0",
        "punten-0-text": "Vragen opgeschreven",
        "punten-0-topic": str(topic.pk),
        "punten-1-text": "",
    }
    client_for(redacteur).post(reverse("informeren:checklist_new"), data)
    change = Wijziging.objects.get()
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))
    page = client.get("/checklists/voor-het-gesprek/").text
    assert "Vragen opgeschreven" in page
    assert topic.get_absolute_url() in page


def test_two_new_terms_with_the_same_name_cannot_both_be_published(redacteur, validator):
    _propose_term(redacteur)
    _propose_term(redacteur, explanation="Een andere uitleg van hetzelfde begrip.")
    first, second = Wijziging.objects.order_by("pk")
    for change in (first, second):
        client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
        client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[first.pk]))
    response = client_for(validator).post(
        reverse("informeren:change_publish", args=[second.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Er staat al een begrip met deze naam op de website: OPP." in response.text
    second.refresh_from_db()
    assert second.status == "goedgekeurd"
    assert Begrip.objects.get().explanation == EXPLANATION


def test_two_new_organisations_with_the_same_name_cannot_both_be_published(redacteur, validator):
    for summary in ("Helpt gezinnen met vragen.", "Helpt ouders en jongeren."):
        client_for(redacteur).post(
            reverse("informeren:organisatie_new"),
            {"name": "Jeugdteam Veldmeer", "soort": "wijkteam", "summary": summary},
        )
    first, second = Wijziging.objects.order_by("pk")
    for change in (first, second):
        client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
        client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[first.pk]))
    response = client_for(validator).post(
        reverse("informeren:change_publish", args=[second.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Er staat al een organisatie met deze naam op de website" in response.text
    second.refresh_from_db()
    assert second.status == "goedgekeurd"
    assert Organisatie.objects.get().summary == "Helpt gezinnen met vragen."


def _publish_checklist(redacteur, validator, lines, pk=None):
    data = {"title": "Voor het gesprek", "intro": "Neem dit mee."}
    # As the form sends it: the items already there are its first forms.
    shown = ChecklistItem.objects.filter(checklist_id=pk).count() if pk else 0
    total = max(len(lines), shown)
    data |= {"punten-TOTAL_FORMS": str(total), "punten-INITIAL_FORMS": str(shown)}
    for number in range(total):
        line = lines[number] if number < len(lines) else ""
        data |= {f"punten-{number}-text": line, f"punten-{number}-topic": ""}
        if not line:
            data[f"punten-{number}-DELETE"] = "on"
    url = reverse("informeren:checklist_edit", args=[pk]) if pk else None
    client_for(redacteur).post(url or reverse("informeren:checklist_new"), data)
    change = Wijziging.objects.get(status="concept")
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))
    return Checklist.objects.get()


def test_a_checklist_change_keeps_the_ticks_visitors_set(redacteur, validator, client):
    checklist = _publish_checklist(redacteur, validator, ["Vragen opgeschreven", "Rapport mee"])
    first, second = checklist.items.order_by("position")
    # The browser keeps a visitor's ticks by the number of each item.
    page = client.get("/checklists/voor-het-gesprek/").text
    assert f'data-item="{first.pk}"' in page and f'data-item="{second.pk}"' in page

    _publish_checklist(
        redacteur,
        validator,
        ["Vragen opgeschreven", "Rapport en OPP mee", "Iemand die meegaat"],
        pk=checklist.pk,
    )
    items = list(checklist.items.order_by("position"))
    assert [item.pk for item in items[:2]] == [first.pk, second.pk]
    assert [item.text for item in items] == [
        "Vragen opgeschreven",
        "Rapport en OPP mee",
        "Iemand die meegaat",
    ]
    page = client.get("/checklists/voor-het-gesprek/").text
    assert f'data-item="{first.pk}"' in page and "Rapport en OPP mee" in page

    _publish_checklist(redacteur, validator, ["Vragen opgeschreven"], pk=checklist.pk)
    assert list(checklist.items.values_list("pk", "text")) == [(first.pk, "Vragen opgeschreven")]


def test_the_django_admin_cannot_change_an_organisation_past_the_second_person(db):
    organisatie = OrganisatieFactory(name="Jeugdteam Veldmeer")
    admin = client_for(UserFactory(is_superuser=True, is_staff=True))
    change_url = reverse("admin:informeren_organisatie_change", args=[organisatie.pk])
    page = admin.get(change_url)
    assert page.status_code == 200  # to look at only
    assert 'name="_save"' not in page.text
    response = admin.post(change_url, {"name": "Iets anders", "soort": "wijkteam"})
    assert response.status_code == 403
    assert admin.post(reverse("admin:informeren_organisatie_add"), {}).status_code == 403
    delete_url = reverse("admin:informeren_organisatie_delete", args=[organisatie.pk])
    assert admin.post(delete_url, {"post": "yes"}).status_code == 403
    organisatie.refresh_from_db()
    assert organisatie.name == "Jeugdteam Veldmeer"
