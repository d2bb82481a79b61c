"""The public pages in six languages: each under its own prefix, Dutch without one.

A page's language comes from its path alone (steunpunt/languages.py), so one
URL is one page in one language, for every visitor and every cache.
The translations are compiled by bin/setup (compilemessages).
"""

import re

import pytest
from django.core import mail
from django.test import Client

from steunen import actions
from steunen.models import Case
from tests.conftest import client_for
from tests.informeren.helpers import published_topic
from tests.steunen.helpers import ask, code_data, form_data

pytestmark = pytest.mark.django_db

# Per language: the home page's heading and the question form's first label.
LANGUAGES = {
    "nl": ("Hulp bij passend onderwijs", "Wie stelt de vraag?", "ltr"),
    "en": ("Help with passend onderwijs", "Who is asking the question?", "ltr"),
    "ar": ("مساعدة في passend onderwijs", "من يطرح السؤال؟", "rtl"),
    "tr": ("konusunda yardım", "Soruyu kim soruyor?", "ltr"),
    "pl": ("Pomoc w sprawie passend onderwijs", "Kto zadaje pytanie?", "ltr"),
    "uk": ("Допомога щодо passend onderwijs", "Хто ставить запитання?", "ltr"),
}
NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "uk": "Українська",
}


def prefix(code: str) -> str:
    return "" if code == "nl" else f"/{code}"


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_its_home_and_question_form_with_lang_and_dir(client, code):
    heading, label, direction = LANGUAGES[code]
    home = client.get(f"{prefix(code)}/")
    assert home.status_code == 200
    expected = f'<html lang="{code}"' + (' dir="rtl">' if direction == "rtl" else ">")
    assert html_tag(home.text) == expected
    assert heading in home.text
    assert home["Content-Language"] == code

    form = client.get(f"{prefix(code)}/vraag/")
    assert form.status_code == 200
    assert html_tag(form.text) == expected
    assert label in form.text
    # The form is sent to the page in the same language.
    assert f'action="{prefix(code)}/vraag/"' in form.text


def test_an_unprefixed_url_is_dutch_whatever_the_browser_says(client):
    client.cookies["django_language"] = "ar"
    for path in ("/", "/vraag/", "/privacy/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="ar,tr;q=0.8,en;q=0.5")
        assert html_tag(page.text) == '<html lang="nl">', path
        assert page["Content-Language"] == "nl"
        assert "Accept-Language" not in page.get("Vary", "")
    assert "Hulp bij passend onderwijs" in client.get("/", HTTP_ACCEPT_LANGUAGE="ar").text


def test_a_prefixed_url_is_its_own_language_whatever_the_browser_says(client):
    page = client.get("/tr/", HTTP_ACCEPT_LANGUAGE="nl")
    assert html_tag(page.text) == '<html lang="tr">'
    assert "Accept-Language" not in page.get("Vary", "")


def test_the_switcher_links_to_the_same_page_in_each_language_named_in_itself(client):
    page = client.get("/ar/vraag/terug/").text
    switcher = page.split('class="language-switch"', 1)[1].split("</nav>", 1)[0]
    for code, name in NAMES.items():
        link = re.search(rf'<a href="([^"]+)" lang="{code}"[^>]*>([^<]+)</a>', switcher)
        assert link, code
        assert link.group(1) == f"{prefix(code)}/vraag/terug/"
        assert link.group(2) == name
    assert 'lang="ar" hreflang="ar" dir="rtl" aria-current="true"' in switcher


def test_a_public_page_in_another_language_may_be_kept_under_its_own_url(client):
    page = client.get("/pl/privacy/")
    assert page.status_code == 200
    assert "public" in page["Cache-Control"]
    assert "Prywatność" in page.text
    assert "Accept-Language" not in page.get("Vary", "")  # the URL alone says the language


def test_what_is_kept_for_one_language_is_never_shown_in_another(client):
    # The layout's header and footer and the empty question form are kept per
    # process (steunpunt/cache.py); each language has its own.
    for _ in range(2):
        dutch, turkish, arabic = (client.get(f"{p}/vraag/").text for p in ("", "/tr", "/ar"))
        assert "Wie stelt de vraag?" in dutch and "Soruyu kim soruyor?" not in dutch
        assert "Direct naar de inhoud" in dutch
        assert "Soruyu kim soruyor?" in turkish and "Wie stelt de vraag?" not in turkish
        assert "Doğrudan içeriğe git" in turkish
        assert "من يطرح السؤال؟" in arabic and "Soruyu kim soruyor?" not in arabic
        assert "Hoofdmenu" in dutch and "Ana menü" in turkish


def test_a_staff_page_under_a_language_prefix_goes_to_the_dutch_one(client):
    response = client.get("/ar/medewerkers/vragen/?status=nieuw")
    assert response.status_code == 302
    assert response["Location"] == "/medewerkers/vragen/?status=nieuw"
    login = client.get("/en/account/login/")
    assert (login.status_code, login["Location"]) == (302, "/account/login/")
    assert 'class="language-switch"' not in client.get("/account/login/").text


def test_a_question_asked_in_turkish_is_kept_with_its_language_and_mails_go_out_in_turkish(
    client, medewerker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = client.post(
            "/tr/vraag/",
            form_data(contact_preference="email", email="veli@voorbeeld.nl"),
        )
    assert receipt.status_code == 200
    assert "Sorunuz gönderildi" in receipt.text
    assert 'href="/tr/vraag/terug/"' in receipt.text
    case = Case.objects.get()
    assert case.language == "tr"

    # Staff see it, in Dutch.
    staff = client_for(medewerker).get(f"/medewerkers/vragen/{case.pk}/").text
    assert "Gesteld in het Turks" in staff

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_answer(case=case, by=medewerker, body="Het antwoord.")
    sent = mail.outbox[-1]
    assert sent.to == ["veli@voorbeeld.nl"]
    assert sent.subject == "Yeni bir cevap var"
    assert "Merhaba," in sent.body
    assert "/tr/vraag/terug/" in sent.body
    assert "Hallo" not in sent.body

    # Staff are told in Dutch, with a Dutch link.
    (to_staff,) = [m for m in mail.outbox if m.to != ["veli@voorbeeld.nl"]]
    assert to_staff.subject.startswith("Nieuwe vraag")
    assert f"/medewerkers/vragen/{case.pk}/" in to_staff.body and "/tr/" not in to_staff.body


def test_a_dutch_question_mails_in_dutch(client, medewerker, django_capture_on_commit_callbacks):
    client.post("/vraag/", form_data(contact_preference="email", email="ouder@voorbeeld.nl"))
    case = Case.objects.get()
    assert case.language == "nl"
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_answer(case=case, by=medewerker, body="Het antwoord.")
    assert mail.outbox[-1].subject == "Er is een nieuw antwoord"


def test_the_asker_returns_with_the_code_in_their_language(client):
    receipt = client.post("/uk/vraag/", form_data())
    code = receipt.text.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()
    opened = client.post("/uk/vraag/terug/", code_data(code))
    assert opened.status_code == 302
    assert opened["Location"].startswith("/uk/vraag/terug/gesprek/")
    conversation = client.get(opened["Location"])
    assert html_tag(conversation.text) == '<html lang="uk">'
    assert "Моє запитання" in conversation.text


def test_a_topic_without_a_translation_shows_the_dutch_text_marked_dutch_and_says_so(client):
    published_topic("zorgplicht", title="Zorgplicht", body="<p>De school zoekt een plek.</p>")
    page = client.get("/ar/informatie/zorgplicht/").text
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert '<h1 lang="nl" dir="ltr">Zorgplicht</h1>' in page
    assert "هذا النص غير متوفر بلغتك بعد" in page
    assert re.search(r'<div class="prose" lang="nl" dir="ltr">\s*<p>De school zoekt', page)
    # "Lees voor": a place the script fills, hidden without it, labelled in Arabic.
    assert 'data-read-aloud hidden data-label-read="اقرأ بصوت عالٍ"' in page
    assert "js/read-aloud" in page
    dutch = client.get("/informatie/zorgplicht/").text
    assert "<h1>Zorgplicht</h1>" in dutch
    assert "hierboven" not in dutch.split("Zorgplicht</h1>")[0]
    assert "Deze tekst is er nog niet in uw taal" not in dutch


def test_an_error_page_speaks_the_language_of_its_url(client):
    page = client.get("/pl/bestaat-niet/")
    assert page.status_code == 404
    assert html_tag(page.text) == '<html lang="pl">'
    assert "Ta strona nie istnieje" in page.text


# The public pages added later in the day: each one under every prefix, in its language.
NEWER_PUBLIC_PAGES = [
    "/afspraak/",
    "/jongeren/",
    "/kinderen/",
    "/jaarverslag/",
    "/vraag/kind/",
    "/wegwijzer/",
    "/scholen/",
    "/organisaties/",
    "/bijeenkomsten/",
]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_newer_public_pages_answer_in_each_language(client, code):
    direction = LANGUAGES[code][2]
    expected = f'<html lang="{code}"' + (' dir="rtl">' if direction == "rtl" else ">")
    for page in NEWER_PUBLIC_PAGES:
        response = client.get(f"{prefix(code)}{page}")
        assert response.status_code == 200, page
        assert html_tag(response.text) == expected, page


def test_the_newer_pages_speak_their_language_not_dutch(client):
    appointments = client.get("/en/afspraak/").text
    assert "Would you rather talk than write?" in appointments
    assert "Wilt u liever praten" not in appointments
    summary = client.get("/tr/jaarverslag/").text
    assert "Yıllık rapor: ebeveynler ve gençler ne sordu?" in summary
    child = client.get("/pl/vraag/kind/").text
    assert "Co chcesz zapytać albo powiedzieć?" in child


def test_the_evaluation_page_answers_in_ukrainian(medewerker):
    case, code = ask()
    actions.assign(case=case, by=medewerker, assignee=medewerker)
    actions.close(case=case, by=medewerker, outcome="informatie")
    asker = Client()
    opened = asker.post("/uk/vraag/terug/", code_data(code))
    assert opened["Location"].startswith("/uk/")
    page = asker.get("/uk/vraag/terug/beoordeling/")
    assert page.status_code == 200
    assert html_tag(page.text) == '<html lang="uk">'
