"""Call-back ("bel mij terug", issue 23 item 2): ask to be called in a window within
the opening hours; it lands in the inbox with its own promise and is marked late."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import actions, terugbel_actions
from steunen.models import AskerType, Case, CaseEvent, Channel, EventKind, Feestdag, Status
from steunen.terugbellen import CallbackRequest, CallbackStatus
from tests.conftest import client_for
from tests.servers import return_code
from tests.steunen.helpers import ask, code_data

URL = "/vraag/terugbellen/"
INBOX = "/medewerkers/vragen/"
# Monday 7 December 2026, 11.30 in the steunpunt's time zone; Tuesday is a holiday here.
NOW = (2026, 12, 7, 11, 30)
WEDNESDAY = "2026-12-09"


def at(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


@pytest.fixture(autouse=True)
def monday(db, time_machine):
    time_machine.move_to(at(*NOW), tick=False)
    Feestdag.objects.create(date=datetime(2026, 12, 8).date(), name="Steunpuntdag")


def form(**overrides) -> dict:
    data = {
        "phone": "06 1234 5678",
        "day": WEDNESDAY,
        "window": "10:00",
        "name": "",
        "note": "",
        "asker_type": "ouder",
        "submission_token": "",
    }
    data.update(overrides)
    return data


def test_three_parents_in_turn_ask_to_be_called_and_each_sees_only_their_own_request(
    medewerker,
):
    notes = ["Gesprek op school over het OPP", "Mijn zoon zit thuis", "Vraag over vervoer"]
    phones = ["06 1111 1111", "06 2222 2222", "06 3333 3333"]
    windows = ["10:00", "13:00", "16:00"]
    Client().get(URL)  # a passer-by first: whatever is kept of the page is warm
    parents = [Client(enforce_csrf_checks=False) for _ in notes]
    codes = []
    for n, parent in enumerate(parents):
        page = parent.get(URL)
        assert "Bel mij terug" in page.text and "woensdag 9 december" in page.text
        token = page.context["form"].initial["submission_token"]
        receipt = parent.post(
            URL,
            form(note=notes[n], phone=phones[n], window=windows[n], submission_token=token),
        )
        assert receipt.status_code == 200
        assert "Wij bellen u terug" in receipt.text and "Dit is uw code" in receipt.text
        assert "woensdag 9 december 2026, " + windows[n].replace(":", ".") in receipt.text
        for other in range(3):
            if other != n:
                assert notes[other] not in receipt.text and phones[other] not in receipt.text
        codes.append(return_code(receipt.text))
    assert len(set(codes)) == 3
    cases = list(Case.objects.order_by("pk"))
    assert [c.channel for c in cases] == [Channel.TELEFOON] * 3
    # The promise is the end of the chosen window.
    assert [timezone.localtime(c.response_due_at).hour for c in cases] == [11, 14, 17]
    for n, (parent, code) in enumerate(zip(parents, codes, strict=True)):
        parent.post(reverse("steunen:return"), code_data(code))
        conversation = parent.get(reverse("steunen:conversation"))
        assert "Terugbellen" in conversation.text and notes[n] in conversation.text
        assert all(notes[o] not in conversation.text for o in range(3) if o != n)
    inbox = client_for(medewerker).get(INBOX).text
    assert inbox.count("Terugbellen wo 9 dec") == 3


def test_staff_are_mailed_without_the_number_or_the_note(
    medewerker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(URL, form(note="Geheim onderwerp", phone="06 9876 5432"))
    (sent,) = [m for m in mail.outbox if "Terugbelverzoek" in m.subject]
    assert medewerker.email in sent.to
    assert "Geheim onderwerp" not in sent.body + sent.subject
    assert "9876" not in sent.body + sent.subject
    assert "09-12-2026 10.00-11.00" in sent.subject


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"window": "18:00"}, "Kies een tijd tussen 9.00 en 17.00 uur: dan zijn wij open."),
        ({"window": "07:00"}, "Kies een tijd tussen 9.00 en 17.00 uur: dan zijn wij open."),
        ({"day": "2026-12-04"}, "Deze dag is al voorbij."),
        (
            {"day": "2026-12-07", "window": "10:00"},
            "Deze tijd is vandaag al voorbij. Kies een latere tijd of een andere dag.",
        ),
        ({"day": "2026-12-08"}, "Op dinsdag 8 december is het Steunpuntdag: dan zijn wij dicht."),
        ({"day": "2026-12-12"}, "In het weekend zijn wij dicht."),
        ({"day": "2027-03-01"}, "Zo ver vooruit kan het nog niet."),
        ({"day": "morgen"}, "Kies een dag uit de lijst."),
        ({"phone": ""}, "Vul uw telefoonnummer in. Daarop bellen wij u."),
        ({"phone": "bel me maar"}, "Dit telefoonnummer klopt niet."),
        ({"phone": "12"}, "Dit telefoonnummer klopt niet."),
        ({"window": ""}, "Kies een tijd."),
    ],
)
def test_bad_input_gets_a_clear_dutch_message_and_keeps_what_was_typed(overrides, message):
    typed = form(name="J.", note="Over de plusklas van mijn dochter", **overrides)
    page = Client().post(URL, typed)
    assert page.status_code == 200
    assert message in page.text
    assert "Fout:" in page.text  # the title says so first
    assert "Over de plusklas van mijn dochter" in page.text
    if typed["phone"]:
        assert f'value="{typed["phone"]}"' in page.text
    assert CallbackRequest.objects.count() == 0 and Case.objects.count() == 0


def test_a_youth_is_spoken_to_in_je_and_asks_for_themselves():
    page = Client().get(URL + "?voor=jongere")
    assert "Bel me terug" in page.text and "Je telefoonnummer" in page.text
    assert "Uw telefoonnummer" not in page.text
    receipt = Client().post(URL + "?voor=jongere", form(asker_type="ouder"))
    assert "We bellen je terug" in receipt.text and "Dit is je code" in receipt.text
    assert Case.objects.get().asker_type == AskerType.JONGERE
    wrong = Client().post(URL + "?voor=jongere", form(phone=""))
    assert "Vul je telefoonnummer in. Daarop bellen we je." in wrong.text


def test_sending_the_form_twice_makes_one_request():
    client = Client()
    token = client.get(URL).context["form"].initial["submission_token"]
    assert client.post(URL, form(submission_token=token)).status_code == 200
    again = client.post(URL, form(submission_token=token))
    assert again.status_code == 409 and "Uw verzoek is al verstuurd" in again.text
    assert CallbackRequest.objects.count() == 1


def test_with_the_code_open_the_request_joins_that_case_and_shows_in_the_conversation(
    medewerker,
):
    case, code = ask("Mag de school mijn zoon naar huis sturen?")
    actions.send_answer(case=case, by=medewerker, body="Nee, dat mag niet zomaar.")
    case.refresh_from_db()
    assert case.status == Status.WACHT_OP_VRAGER
    client = Client()
    client.post(reverse("steunen:return"), code_data(code))
    page = client.get(URL)
    assert "Het verzoek komt bij de vraag die u met uw code opende." in page.text
    assert "Wie vraagt het?" not in page.text  # the case says so already
    receipt = client.post(URL, form(note="Liever even bellen"))
    assert "Het verzoek staat bij uw vraag" in receipt.text and "Dit is uw code" not in receipt.text
    assert Case.objects.count() == 1
    case.refresh_from_db()
    # Staff must act again, by the end of the window.
    assert case.status == Status.IN_BEHANDELING
    assert case.attention_at == at(2026, 12, 9, 11, 0)
    conversation = client.get(reverse("steunen:conversation")).text
    assert "woensdag 9 december 2026, 10.00-11.00" in conversation
    assert "Liever even bellen" in conversation


def _request(**kw) -> CallbackRequest:
    kw.setdefault("window_start", at(2026, 12, 7, 12, 0))
    kw.setdefault("window_end", at(2026, 12, 7, 13, 0))
    return terugbel_actions.request_callback(phone="0612345678", **kw).callback


def test_a_call_back_whose_window_passed_is_marked_late_in_the_inbox(medewerker, time_machine):
    callback = _request(window_start=at(2026, 12, 7, 11, 0), window_end=at(2026, 12, 7, 12, 0))
    staff = client_for(medewerker)
    inbox = staff.get(INBOX).text
    assert "Terugbellen ma 7 dec 11.00-12.00" in inbox and "12.00: te laat" not in inbox
    assert staff.get(INBOX, {"soort": "terugbellen_te_laat"}).context["cases"] == []
    time_machine.move_to(at(2026, 12, 7, 12, 15), tick=False)
    staff = client_for(medewerker)  # logged in anew: the idle time ran out meanwhile
    inbox = staff.get(INBOX).text
    assert "Terugbellen ma 7 dec 11.00-12.00: te laat" in inbox
    late = staff.get(INBOX, {"soort": "terugbellen_te_laat"}).context["cases"]
    assert [row.pk for row in late] == [callback.case_id]
    # Recording the call ends it: no longer marked, on the timeline, the first answer given.
    url = reverse("steunen:case_callback_called", args=[callback.case_id, callback.pk])
    assert staff.post(url).status_code == 302
    case = Case.objects.get(pk=callback.case_id)
    assert case.first_response_at == at(2026, 12, 7, 12, 15)
    assert case.assignee == medewerker and case.status == Status.IN_BEHANDELING
    assert "Terugbellen ma 7 dec" not in staff.get(INBOX).text
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert "Teruggebeld: 07-12-2026 11.00-12.00" in page


def test_not_reached_tries_again_in_another_window_or_stops(medewerker):
    callback = _request()
    staff = client_for(medewerker)
    url = reverse("steunen:case_callback_not_reached", args=[callback.case_id, callback.pk])
    prefix = f"terugbellen-{callback.pk}"
    missing = staff.post(url, {f"{prefix}-again": "on"})
    assert "Kies de dag waarop u het opnieuw probeert." in missing.text
    outside = staff.post(
        url, {f"{prefix}-again": "on", f"{prefix}-day": WEDNESDAY, f"{prefix}-window": "20:00"}
    )
    assert "Kies een tijd tussen 9.00 en 17.00 uur" in outside.text
    staff.post(
        url, {f"{prefix}-again": "on", f"{prefix}-day": WEDNESDAY, f"{prefix}-window": "14:00"}
    )
    callback.refresh_from_db()
    assert callback.attempts == 1 and callback.status == CallbackStatus.OPEN
    assert callback.window_end == at(2026, 12, 9, 15, 0)
    assert Case.objects.get(pk=callback.case_id).attention_at == at(2026, 12, 9, 15, 0)
    staff.post(url, {})  # not again
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.NOT_REACHED and callback.attempts == 2
    kinds = list(
        CaseEvent.objects.filter(case_id=callback.case_id).values_list("kind", "actor", "detail")
    )
    assert (
        EventKind.CALLBACK_NOT_REACHED,
        medewerker.pk,
        "poging 2 (09-12-2026 14.00-15.00), niet opnieuw",
    ) in kinds
    again = staff.post(
        reverse("steunen:case_callback_called", args=[callback.case_id, callback.pk])
    )
    assert again.status_code == 302  # refused with a message, nothing changed
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.NOT_REACHED


def test_the_inbox_reads_call_backs_in_its_one_query(medewerker, django_assert_max_num_queries):
    staff = client_for(medewerker)
    for _ in range(3):
        _request()
    staff.get(INBOX)
    with django_assert_max_num_queries(12) as few:
        staff.get(INBOX)
    for _ in range(20):
        _request()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff.get(INBOX).text.count("Terugbellen ma 7 dec") == 23


def test_erasing_the_case_removes_the_number_and_the_note(medewerker):
    callback = _request(note="Over de school van mijn kind")
    actions.erase_personal_data(case=callback.case, by=medewerker, reason="op verzoek")
    callback.refresh_from_db()
    assert callback.phone == "" and callback.note == ""
    assert callback.status == CallbackStatus.NOT_REACHED


def test_merging_takes_the_call_back_along(medewerker):
    callback = _request()
    other, _ = ask("Dezelfde ouder nog een keer")
    actions.merge(source=callback.case, target=other, by=medewerker)
    callback.refresh_from_db()
    assert callback.case_id == other.pk


def test_the_ways_in_link_to_the_call_back():
    assert URL in Client().get("/").text
    assert URL in Client().get("/vraag/").text
    assert URL + "?voor=jongere" in Client().get("/jongeren/").text
    assert URL + "?voor=jongere" in Client().get("/vraag/?voor=jongere").text


def test_the_board_and_buddies_never_record_a_call(bestuur, vrijwilliger):
    callback = _request()
    url = reverse("steunen:case_callback_called", args=[callback.case_id, callback.pk])
    for user in (bestuur, vrijwilliger):
        assert client_for(user).post(url).status_code in (403, 404)
    assert CallbackRequest.objects.get().status == CallbackStatus.OPEN


def test_a_day_offered_is_an_open_day_with_a_window_still_to_come(time_machine):
    page = Client().get(URL).text
    assert "maandag 7 december" in page  # 12.00 is still to come
    assert "dinsdag 8 december" not in page  # the holiday
    assert "zaterdag 12 december" not in page
    time_machine.move_to(at(2026, 12, 7, 16, 30), tick=False)
    assert "maandag 7 december" not in Client().get(URL).text
    assert timedelta(minutes=60)  # windows of an hour (CALLBACK_WINDOW_MINUTES)


@pytest.mark.parametrize(
    ("prefix", "parent", "youth"),
    [
        ("/en", "Would you rather talk to us?", "Would you rather talk than write?"),
        ("/tr", "Bizimle konuşmayı mı tercih edersiniz?", "Yazmak yerine konuşmayı mı"),
        ("/pl", "Wolą Państwo z nami porozmawiać?", "Wolisz porozmawiać niż pisać?"),
        ("/uk", "Бажаєте краще поговорити з нами?", "Хочеш краще поговорити, ніж писати?"),
        ("/ar", "هل تفضّل الكلام معنا؟", "هل تفضّل الكلام على الكتابة؟"),
    ],
)
def test_the_call_back_page_speaks_each_language(prefix, parent, youth):
    assert parent in Client().get(prefix + URL).text
    assert youth in Client().get(prefix + URL + "?voor=jongere").text
    wrong = Client().post(prefix + URL, form(window="18:00")).text
    assert "17.00" in wrong and "Kies een tijd tussen" not in wrong


def test_opening_hours_that_fit_no_window_offer_no_day_and_do_not_hang(settings):
    settings.STEUNPUNT_OPEN_FROM, settings.STEUNPUNT_OPEN_UNTIL = "17:00", "09:00"
    page = Client().get(URL)
    assert page.status_code == 200 and "woensdag 9 december" not in page.text
    assert "Kies een dag uit de lijst." not in page.text
    wrong = Client().post(URL, form())
    assert "Kies een tijd tussen 17.00 en 9.00 uur" in wrong.text
    assert CallbackRequest.objects.count() == 0
