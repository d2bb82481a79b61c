"""A parent or youth asks a question, anonymously if they want."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from informeren.models import Thema
from steunen.models import Case, Message, Sender, Status, hash_code, normalise_code
from steunpunt.cache import content_changed
from steunpunt.roles import Role
from tests.factories import SchoolFactory, UserFactory
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db
ASK = "/vraag/"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "steunpunt.css"
# A one-page PDF, as small as a real one can be.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


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
    assert 'action="/vraag/?voor=jongere"' in page


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


def test_an_empty_question_says_what_to_do_and_keeps_what_was_typed(client):
    response = client.post(
        ASK,
        form_data(
            question="   ", name="Fatima", contact_preference="email", email="f@voorbeeld.nl"
        ),
    )
    assert response.status_code == 200
    page = response.text
    assert "Schrijf uw vraag op." in page
    assert 'value="Fatima"' in page
    assert 'value="f@voorbeeld.nl"' in page
    assert 'value="email" id="id_contact_preference_1" required checked' in page
    assert Case.objects.count() == 0

    youth = client.post(f"{ASK}?voor=jongere", form_data(asker_type="jongere", question="")).text
    assert "Schrijf je vraag op." in youth
    assert "Controleer wat je hebt ingevuld" in youth


def test_the_title_starts_with_fout_when_the_form_has_errors(client):
    assert title(client.get(ASK).text).startswith("Stel uw vraag")
    assert title(client.post(ASK, form_data(question="")).text).startswith("Fout: Stel uw vraag")
    youth = client.post(f"{ASK}?voor=jongere", form_data(asker_type="jongere", question=""))
    assert title(youth.text).startswith("Fout: Stel je vraag")
    assert title(client.get(ASK, {"voor": "jongere"}).text).startswith("Stel je vraag")


def title(page: str) -> str:
    return page[page.index("<title>") + len("<title>") : page.index("</title>")]


def test_the_error_summary_links_to_each_field_with_an_error(client):
    page = client.post(ASK, form_data(question="", contact_preference="post")).text
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert '<a href="#id_question">' in summary
    # A group of radios: straight to its first option, which takes the focus.
    assert '<a href="#id_contact_preference_0">' in summary
    assert "Kies hoe u ons antwoord wilt krijgen." in summary


def test_contact_fields_follow_the_choice_without_javascript(client):
    page = client.get(ASK).text
    email_option = page.index('value="email" id="id_contact_preference_1"')
    phone_option = page.index('value="telefoon" id="id_contact_preference_2"')
    end = page.index("</fieldset>", phone_option)
    # Each field stands right after its own choice, in the same item as its radio...
    assert 'name="email"' in page[email_option:phone_option]
    assert 'name="phone"' not in page[email_option:phone_option]
    assert 'name="phone"' in page[phone_option:end]
    assert 'name="phone_times"' in page[phone_option:end]
    assert page.count('name="email"') == 1 and page.count('name="phone"') == 1
    # ...so CSS alone shows it only while that radio is checked: no script, no :has().
    css = CSS.read_text(encoding="utf-8")
    assert ".radios__item > input:not(:checked) ~ .radios__reveal { display: none; }" in css
    item = page[page.rindex('<div class="radios__item">', 0, email_option) : phone_option]
    assert item.index("<input") < item.index("<label") < item.index('class="radios__reveal"')
    # Once chosen, the address is needed: its label does not say it is optional.
    assert "Uw e-mailadres</label>" in page
    assert "Uw telefoonnummer</label>" in page
    assert "Wanneer kunnen wij u het beste bellen? <span" in page


def test_a_mistake_in_a_way_of_contact_not_chosen_does_not_hold_the_question_back(client):
    response = client.post(
        ASK, form_data(contact_preference="geen", email="geen-adres", phone="bel me")
    )
    assert "Dit is uw code" in response.text
    case = Case.objects.get()
    assert case.email == "" and case.phone == ""


def test_youth_messages_say_je(client):
    page = client.post(
        f"{ASK}?voor=jongere", form_data(asker_type="jongere", contact_preference="email")
    ).text
    assert "Vul je e-mailadres in, of kies een andere manier van contact." in page
    assert "Vul uw" not in page


def test_name_email_and_phone_say_what_they_are_for_autofill(client):
    page = client.get(ASK).text
    assert 'name="name" autocomplete="name"' in page
    assert 'name="email" autocomplete="email"' in page
    assert 'name="phone" autocomplete="tel"' in page
    # A youth's phone may be shared: a nickname, not a parent's full name.
    youth = client.get(ASK, {"voor": "jongere"}).text
    assert 'name="name" autocomplete="nickname"' in youth


def test_a_hint_follows_its_control_and_is_read_with_it(client):
    page = client.get(ASK).text
    field = page[page.index('id="div_id_question"') :]
    control = field.index("<textarea")
    assert 'aria-describedby="id_question_helptext"' in field[control : field.index(">", control)]
    assert control < field.index('<p class="field__hint" id="id_question_helptext">')


def test_optional_is_said_once_in_the_label(client):
    page = client.get(ASK).text
    fields = page.split('<div class="field')[1:]
    assert all(field.lower().count("niet verplicht") <= 1 for field in fields)
    attachment = next(f for f in fields if 'id="div_id_attachment"' in f)
    assert 'Bestand toevoegen <span class="field__optional">(niet verplicht)</span>' in attachment


@pytest.mark.parametrize(
    "path",
    [
        "/vraag/?voor=jongere",
        "/vraag/kind/",
        "/vraag/terugbellen/",
        "/vraag/terugbellen/?voor=jongere",
    ],
)
def test_no_form_says_twice_that_a_field_may_stay_empty(client, path):
    fields = client.get(path).text.split('<div class="field')[1:]
    for field in fields:
        said = field.lower().count("niet verplicht") + field.lower().count("hoeft niet")
        assert said <= 1, field[:300]


def test_a_chosen_file_must_be_chosen_again_when_the_form_comes_back(client):
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    page = client.post(ASK, {**form_data(question=""), "attachment": upload}).text
    assert "Kies uw bestand opnieuw" in page
    assert "Kies uw bestand opnieuw" not in client.post(ASK, form_data(question="")).text


def test_receipt_links_to_mijn_vraag(client, settings):
    settings.QUESTIONS_PER_HOUR = 100
    mijn_vraag = reverse("steunen:return")
    page = client.post(ASK, form_data()).text
    receipt = page[page.index('class="receipt"') : page.index('class="copy-status"')]
    assert f'<a href="{mijn_vraag}">Mijn vraag</a>' in receipt
    assert f"testserver<wbr>{mijn_vraag}" in receipt  # the address is on a photo of it too
    assert "Ons antwoord leest u op" in receipt

    youth = client.post(
        f"{ASK}?voor=jongere", form_data(asker_type="jongere", submission_token="t2")
    ).text
    main = youth[youth.index("<main") : youth.index("</main>")]
    # The youth's way back says "je" too.
    assert f'<a href="{mijn_vraag}?voor=jongere">Mijn vraag</a>' in main
    assert "Ons antwoord lees je op" in main
    assert "Dit is je code" in main and "Vul daar je code in." in main
    assert " uw " not in main.lower() and "Uw " not in main


def test_the_code_on_the_receipt_is_one_unbroken_line(client):
    page = client.post(ASK, form_data()).text
    code = receipt_code(page)
    assert f'id="return-code">{code}</p>' in page  # nothing to break it up
    css = CSS.read_text(encoding="utf-8")
    rule = css[css.index(".return-code {") :]
    assert "white-space: nowrap;" in rule[: rule.index("}")]
    # Typed back with spaces instead of dashes, it is the same code.
    assert normalise_code(code.replace("-", " ").lower()) == normalise_code(code)


def receipt_code(page: str) -> str:
    return page.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()


def test_very_long_question_is_refused_but_kept_in_the_form(client):
    text = "a" * 50_000
    response = client.post(ASK, form_data(question=text))
    assert "Uw vraag is te lang: maximaal 5000 tekens, u heeft er 50000." in response.text
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
    assert f'<a href="{reverse("steunen:return")}">Mijn vraag</a>' in response.text
    assert Case.objects.count() == 1
    youth = client.post(f"{ASK}?voor=jongere", form_data(submission_token="same")).text
    assert "Je vraag is al verstuurd" in youth and "Heb je de code?" in youth


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
    content_changed()  # as the admin does when a theme is saved
    assert "Leerlingenvervoer" in client.get(ASK).text
