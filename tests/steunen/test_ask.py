"""A parent or youth asks a question, anonymously if they want."""

import pytest
from django.core import mail
from django.urls import reverse

from informeren.models import Thema
from steunen.models import Case, Message, Sender, Status, hash_code, normalise_code
from steunpunt.cache import content_changed
from steunpunt.roles import Role
from tests.factories import SchoolFactory, UserFactory
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db
ASK = "/vraag/"


def test_ask_page_explains_anonymity_independence_and_promise(client):
    page = client.get(ASK).text
    assert "Uw naam geven hoeft niet" in page
    assert "onafhankelijk" in page
    assert "twee werkdagen" in page
    assert "Wat doen wij met uw gegevens?" in page


def test_youth_mode_speaks_plainer_words(client):
    page = client.get(ASK, {"voor": "jongere"}).text
    assert "Stel je vraag" in page
    assert "Wie ben jij?" in page
    assert 'action="?voor=jongere"' in page


def test_anonymous_question_creates_a_case_and_shows_the_code_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, form_data())
    assert response.status_code == 200
    assert "Dit is uw code" in response.text
    case = Case.objects.get()
    assert case.status == Status.NIEUW
    assert case.name == "" and case.email == "" and case.phone == ""
    code = response.text.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()
    assert len(normalise_code(code)) == 16
    assert case.code_hash == hash_code(code)
    assert code not in str(Case.objects.values().get())
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]


def test_the_code_has_at_least_80_bits_and_no_look_alikes(client, settings):
    settings.QUESTIONS_PER_HOUR = 100
    codes = set()
    for n in range(20):
        response = client.post(ASK, form_data(submission_token=f"t{n}"))
        code = response.text.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert not set(code) & set("01OI")
        codes.add(code)
    assert len(codes) == 20


def test_question_is_kept_as_the_first_message_of_the_conversation(client):
    client.post(ASK, form_data(question="Hoe werkt een OPP?"))
    message = Message.objects.get()
    assert message.sender == Sender.ASKER
    assert message.body == "Hoe werkt een OPP?"


def test_school_brings_its_swv_and_themes_are_kept(client):
    school = SchoolFactory()
    themes = list(Thema.objects.all()[:2])
    client.post(ASK, form_data(school=str(school.pk), themes=[t.pk for t in themes]))
    case = Case.objects.get()
    assert case.school == school
    assert case.samenwerkingsverband == school.samenwerkingsverband
    assert set(case.themes.all()) == set(themes)


def test_thuiszitter_gets_priority(client):
    client.post(ASK, form_data(thuiszitter="on"))
    assert Case.objects.get().urgent


def test_email_contact_needs_an_address_and_keeps_only_that(client):
    response = client.post(ASK, form_data(contact_preference="email", phone="0612345678"))
    assert "Vul uw e-mailadres in" in response.text
    assert Case.objects.count() == 0
    client.post(
        ASK, form_data(contact_preference="email", email="ouder@voorbeeld.nl", phone="0612345678")
    )
    case = Case.objects.get()
    assert case.email == "ouder@voorbeeld.nl"
    assert case.phone == ""


def test_invalid_email_and_phone_get_dutch_messages(client):
    response = client.post(ASK, form_data(contact_preference="email", email="geen-adres"))
    assert "Dit e-mailadres klopt niet" in response.text
    response = client.post(ASK, form_data(contact_preference="telefoon", phone="bel me"))
    assert "Dit telefoonnummer klopt niet" in response.text


def test_empty_question_is_refused_and_what_was_typed_is_kept(client):
    response = client.post(ASK, form_data(question="   ", name="Fatima"))
    assert response.status_code == 200
    assert "Schrijf hier uw bericht." in response.text
    assert 'value="Fatima"' in response.text
    assert Case.objects.count() == 0


def test_very_long_question_is_refused_but_kept_in_the_form(client):
    text = "a" * 50_000
    response = client.post(ASK, form_data(question=text))
    assert "Uw bericht is te lang" in response.text
    assert text in response.text
    assert Case.objects.count() == 0


def test_unknown_school_is_a_clear_error(client):
    response = client.post(ASK, form_data(school="999999"))
    assert "Kies een school uit de lijst." in response.text
    response = client.post(ASK, form_data(school="<script>"))
    assert "Kies een school uit de lijst." in response.text
    assert Case.objects.count() == 0


def test_school_list_follows_edits_and_keeps_the_choice_when_the_form_comes_back(client):
    school = SchoolFactory(name="Basisschool Het Kompas", place="Lindewaarde")
    assert "Basisschool Het Kompas (Lindewaarde)" in client.get(ASK).text
    school.name = "Basisschool De Kompasroos"
    school.save()
    content_changed()  # as every path that edits a school does (admin, import)
    page = school_select(client.get(ASK).text)
    assert "De Kompasroos (Lindewaarde)" in page and "Het Kompas" not in page
    assert '<option value="" selected>' in page
    back = school_select(client.post(ASK, form_data(question="", school=str(school.pk))).text)
    assert f'<option value="{school.pk}" selected>' in back
    assert '<option value="" selected>' not in back


def school_select(page: str) -> str:
    start = page.index('<select name="school"')
    return page[start : page.index("</select>", start)]


def test_html_in_a_question_is_stored_as_written_and_shown_harmless(client, medewerker):
    client.post(ASK, form_data(question='<script>alert("x")</script> help'))
    case = Case.objects.get()
    staff = UserFactory(roles=[Role.MEDEWERKER])
    from tests.conftest import client_for

    page = client_for(staff).get(reverse("steunen:case", args=[case.pk])).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_sending_the_same_form_twice_makes_one_case(client):
    client.post(ASK, form_data(submission_token="same"))
    response = client.post(ASK, form_data(submission_token="same"))
    assert "al verstuurd" in response.text
    assert "Dit is uw code" not in response.text
    assert Case.objects.count() == 1


def test_staff_get_an_email_without_content_for_a_new_question(
    client, medewerker, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ASK, form_data(question="Geheime inhoud over mijn kind"))
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert set(sent.to) == {medewerker.email, coordinator.email}
    assert "Nieuwe vraag" in sent.subject
    assert "Geheime inhoud" not in sent.body
    case = Case.objects.get()
    assert reverse("steunen:case", args=[case.pk]) in sent.body


def test_question_text_is_never_logged(client, caplog):
    with caplog.at_level("DEBUG"):
        client.post(ASK, form_data(question="Zeer persoonlijk verhaal"))
    assert "Zeer persoonlijk verhaal" not in caplog.text


def test_the_form_kept_per_process_gives_every_visit_its_own_token_and_follows_themes(client):
    def token(page: str) -> str:
        marker = 'name="submission_token" value="'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    first, second = client.get(ASK).text, client.get(ASK).text
    # A shared token would make the second question look like a resend of the first.
    assert token(first) != token(second)
    Thema.objects.create(slug="vervoer", name="Leerlingenvervoer", position=99)
    assert "Leerlingenvervoer" in client.get(ASK).text
