"""Appointments: staff publish times, askers book, move and cancel them, and come back."""

import threading
from datetime import date, datetime, time, timedelta

import icalendar
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import appointments
from steunen.afspraken import Booking, BookingStatus, Slot, SlotKind
from steunen.appointments import BookingError, SeriesPlan
from steunen.models import CaseEvent, EventKind
from tests.conftest import client_for
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db


def slot(*, days: int = 2, hour: int = 10, kind: str = SlotKind.PHONE, capacity: int = 1, **kw):
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(hour))
    )
    return Slot.objects.create(
        kind=kind, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=capacity, **kw
    )


def book_url(s: Slot) -> str:
    return reverse("steunen:afspraak_book", args=[s.pk])


def form(**overrides) -> dict:
    return {"asker_type": "ouder", "name": "", "email": "", "phone": "", **overrides}


# --- Booking ------------------------------------------------------------------------


def test_a_parent_books_anonymously_and_gets_a_code_a_link_and_a_calendar_file():
    s = slot()
    page = Client().post(book_url(s), form(submission_token="t1"))
    assert page.status_code == 200
    assert "Uw afspraak staat" in page.text
    booking = Booking.objects.get()
    assert booking.slot == s and booking.is_active and booking.name == ""
    # A new case with a code of its own; the code is on the page once.
    assert booking.case.code_hash
    code = page.context["code"]
    assert code and code in page.text
    assert "U belt ons zelf" in page.text  # a phone slot without a number: they call us
    ics_url = reverse("steunen:afspraak_ics", args=[page.context["token"]])
    assert ics_url in page.text
    assert EventKind.BOOKING_MADE in booking.case.events.values_list("kind", flat=True)


def test_the_calendar_file_is_rfc_5545_with_the_time_and_no_personal_data():
    s = slot(kind=SlotKind.PLACE, place="Buurthuis De Linde, Kerkstraat 1; zaal 2")
    booked = appointments.book(slot=s, name="J. de Vries", email="ouder@voorbeeld.nl")
    response = Client().get(reverse("steunen:afspraak_ics", args=[booked.token]))
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert b"\r\n" in raw and raw.replace(b"\r\n", b"").count(b"\n") == 0  # CRLF only
    text = raw.decode()
    for line in ("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "DTSTAMP:", "UID:afspraak-"):
        assert line in text
    assert "De Linde\\, Kerkstraat 1\\; zaal 2" in text  # escaped text
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert event.decoded("dtstart") == s.starts_at
    assert event.decoded("dtend") == s.ends_at
    assert "de Vries" not in text and "ouder@" not in text


def test_a_walk_in_hour_takes_as_many_as_its_capacity_and_then_says_it_is_taken():
    s = slot(kind=SlotKind.PLACE, place="Bibliotheek", capacity=3)
    for n in range(3):
        appointments.book(slot=s, name=f"Ouder {n}")
    page = Client().post(book_url(s), form(name="Vierde ouder", email="vier@voorbeeld.nl"))
    assert page.status_code == 409
    assert "Dit tijdstip is net door iemand anders gekozen" in page.text
    # What was typed stays; nothing was booked or made.
    assert 'value="Vierde ouder"' in page.text and 'value="vier@voorbeeld.nl"' in page.text
    assert s.bookings.count() == 3


def test_a_full_slot_offers_other_free_times_on_the_same_form_keeping_what_was_typed():
    full, free = slot(), slot(hour=11)
    appointments.book(slot=full)
    typed = form(name="Noor", email="noor@voorbeeld.nl", submission_token="n1")
    page = Client().post(book_url(full), typed)
    assert page.status_code == 409
    assert f'name="ander" value="{free.pk}"' in page.text
    assert 'value="Noor"' in page.text
    again = Client().post(book_url(full), typed | {"ander": free.pk})
    assert again.status_code == 200 and "Uw afspraak staat" in again.text
    assert [(b.name, b.slot) for b in Booking.objects.filter(slot=free)] == [("Noor", free)]


@pytest.mark.parametrize("state", ["past", "cancelled"])
def test_a_past_or_cancelled_slot_cannot_be_booked(state):
    s = slot(days=-1) if state == "past" else slot(cancelled_at=timezone.now())
    slot(hour=14)  # another free time to offer
    page = Client().post(book_url(s), form(name="A.B."))
    assert page.status_code == 409
    words = "al voorbij" if state == "past" else "gaat niet door"
    assert words in page.text
    assert not Booking.objects.exists()
    # Asked for before typing: the page says so at once.
    assert words in Client().get(book_url(s)).text


def test_sending_the_booking_form_twice_makes_one_booking():
    s = slot(capacity=2)
    client = Client()
    first = client.post(book_url(s), form(submission_token="same"))
    second = client.post(book_url(s), form(submission_token="same"))
    assert first.status_code == 200
    assert second.status_code == 409 and "al gemaakt" in second.text
    assert s.bookings.count() == 1


def test_a_wrong_email_comes_back_with_a_dutch_message_and_what_was_typed():
    s = slot()
    page = Client().post(book_url(s), form(name="Fatima", email="geen-adres", phone="06"))
    assert page.status_code == 200
    assert "Dit e-mailadres klopt niet" in page.text
    assert "Dit telefoonnummer klopt niet" in page.text
    assert 'value="Fatima"' in page.text
    assert not Booking.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_bookers_on_one_slot_make_exactly_one_booking():
    """Each booker on a connection of its own; the slot's row lock lets one through."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite runs one writer")
    s = slot()
    other = slot(hour=15)
    start = threading.Barrier(20)
    answers: list[tuple[int, str]] = []

    def booker(n: int) -> None:
        try:
            start.wait()
            page = Client(REMOTE_ADDR=f"127.0.0.{n + 1}").post(
                book_url(s), form(name=f"Ouder {n}", submission_token=f"parallel-{n}")
            )
            answers.append((page.status_code, page.text))
        finally:
            connection.close()

    threads = [threading.Thread(target=booker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Booking.objects.filter(slot=s).count() == 1
    assert sorted(code for code, _text in answers) == [200] + [409] * 19
    refused = [text for code, text in answers if code == 409]
    assert all("Dit tijdstip is net door iemand anders gekozen" in text for text in refused)
    assert all(f'name="ander" value="{other.pk}"' in text for text in refused)
    # No case was left behind by a booker who lost: one booking, one case.
    assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 1


# --- Cancel and move ----------------------------------------------------------------


def test_the_asker_cancels_with_the_link_and_the_place_is_free_again():
    s = slot()
    booked = appointments.book(slot=s)
    client = Client()
    page = client.post(reverse("steunen:afspraak_cancel", args=[booked.token]), follow=True)
    assert "Uw afspraak is afgezegd" in page.text
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert Slot.objects.bookable().filter(pk=s.pk).exists()
    kinds = list(booked.booking.case.events.values_list("kind", flat=True))
    assert EventKind.BOOKING_CANCELLED in kinds


def test_the_asker_moves_to_another_time_and_not_to_a_full_one():
    first, later, full = slot(), slot(hour=13), slot(hour=16)
    booked = appointments.book(slot=first)
    appointments.book(slot=full)
    move_url = reverse("steunen:afspraak_move", args=[booked.token])
    refused = Client().post(move_url, {"slot": full.pk})
    assert refused.status_code == 409 and "net door iemand anders gekozen" in refused.text
    assert Booking.objects.get(pk=booked.booking.pk).slot == first
    moved = Client().post(move_url, {"slot": later.pk}, follow=True)
    assert "Uw afspraak is verzet" in moved.text
    assert Booking.objects.get(pk=booked.booking.pk).slot == later
    assert Slot.objects.bookable().filter(pk=first.pk).exists()
    empty = Client().post(move_url, {})
    assert "Kies eerst een nieuw tijdstip" in empty.text


def test_a_past_booking_can_no_longer_be_moved_or_cancelled():
    s = slot()
    booked = appointments.book(slot=s)
    with time_machine.travel(s.starts_at + timedelta(minutes=5)), pytest.raises(BookingError):
        appointments.cancel_booking(booking=booked.booking)
    assert Booking.objects.get().is_active


def test_a_made_up_link_opens_nothing():
    assert Client().get(reverse("steunen:afspraak_manage", args=["verzonnen"])).status_code == 404


# --- The case -----------------------------------------------------------------------


def test_with_the_code_open_the_booking_joins_that_case_and_shows_in_the_conversation():
    case, code = ask("Mag de school mijn zoon naar huis sturen?")
    s = slot(kind=SlotKind.VIDEO, video_url="https://video.voorbeeld.nl/kamer-1")
    client = Client()
    client.post(reverse("steunen:return"), code_data(code))
    page = client.post(book_url(s), form())
    assert page.status_code == 200 and not page.context["code"]  # no new code
    assert Booking.objects.get().case == case
    assert "https://video.voorbeeld.nl/kamer-1" in page.text
    conversation = client.get(reverse("steunen:conversation")).text
    assert "Uw afspraken" in conversation and s.when in conversation


def test_a_new_booking_makes_a_case_staff_see_on_its_timeline(medewerker):
    s = slot(staff=medewerker)
    booked = appointments.book(slot=s, name="R.")
    page = client_for(medewerker).get(reverse("steunen:case", args=[booked.booking.case.pk]))
    assert "Afspraak gemaakt" in page.text
    assert booked.booking.case.assignee == medewerker


def test_the_asker_returns_with_the_code_of_the_booking_and_sees_it():
    s = slot()
    page = Client().post(book_url(s), form())
    client = Client()
    conversation = client.post(
        reverse("steunen:return"), code_data(page.context["code"]), follow=True
    )
    assert s.when in conversation.text


# --- Reminders ----------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_once_and_only_with_an_email(
    django_capture_on_commit_callbacks,
):
    s = slot(days=1)
    question_case, _code = ask("Mijn dochter krijgt geen hulp meer op school.")
    appointments.book(slot=s, email="ouder@voorbeeld.nl", case=question_case)
    appointments.book(slot=slot(days=1, hour=11), name="Zonder mail")
    appointments.book(slot=slot(days=3), email="later@voorbeeld.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert appointments.send_appointment_reminders.call() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert appointments.send_appointment_reminders.call() == 0  # a second run: no more
    assert [m.to for m in mail.outbox] == [["ouder@voorbeeld.nl"]]
    body = mail.outbox[0].body
    assert "Morgen heeft u een afspraak" in body
    assert "geen hulp" not in body  # never the question
    assert reverse("steunen:afspraak_manage", args=["x"]).removesuffix("x/") in body


def test_the_scheduler_runs_the_reminders():
    from crontask import scheduler

    import steunen.tasks  # noqa: F401

    (job,) = [job for job in scheduler.get_jobs() if job.name == "send_appointment_reminders"]
    # Every hour from the morning to the evening: a booking made for tomorrow at
    # noon still gets its reminder today.
    fires = [job.trigger.get_next_fire_time(None, timezone.make_aware(datetime(2026, 12, 8, h)))
             for h in range(24)]  # fmt: skip
    hours = sorted({timezone.localtime(at).hour for at in fires})
    assert hours == list(range(8, 21))


def test_a_booking_made_after_the_morning_run_for_tomorrow_is_reminded_once(
    django_capture_on_commit_callbacks,
):
    appointments.send_appointment_reminders.call()  # the morning's run: nothing yet
    s = slot(days=1)
    appointments.book(slot=s, email="laat@voorbeeld.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert appointments.send_appointment_reminders.call() == 1  # the next hour's run
        assert appointments.send_appointment_reminders.call() == 0  # and never again
    assert [m.to for m in mail.outbox] == [["laat@voorbeeld.nl"]]


# --- Staff --------------------------------------------------------------------------


def test_staff_publish_a_series_every_tuesday_for_four_weeks(medewerker):
    tuesday = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    page = client_for(medewerker).post(
        reverse("steunen:afspraak_series"),
        {
            "kind": SlotKind.PLACE,
            "place": "Bibliotheek Centrum",
            "video_url": "",
            "staff": str(medewerker.pk),
            "first_day": tuesday.isoformat(),
            "start": "09:00",
            "end": "12:00",
            "slot_minutes": 30,
            "buffer_minutes": 0,
            "capacity": 1,
            "weeks": 4,
        },
        follow=True,
    )
    assert "24 tijden staan klaar" in page.text
    made = Slot.objects.order_by("starts_at")
    assert made.count() == 24
    assert {timezone.localtime(x.starts_at).weekday() for x in made} == {1}
    assert timezone.localtime(made[0].starts_at).time() == time(9)
    assert timezone.localtime(made.last().ends_at).time() == time(12)


def test_a_series_sent_twice_or_over_ones_own_times_is_refused_and_keeps_what_was_typed(
    medewerker,
):
    tuesday = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    series = {
        "kind": SlotKind.PHONE, "place": "", "video_url": "", "staff": str(medewerker.pk),
        "first_day": tuesday.isoformat(), "start": "09:00", "end": "11:00",
        "slot_minutes": 30, "buffer_minutes": 0, "capacity": 1, "weeks": 2,
    }  # fmt: skip
    client = client_for(medewerker)
    client.post(reverse("steunen:afspraak_series"), series)
    assert Slot.objects.count() == 8
    again = client.post(reverse("steunen:afspraak_series"), series)  # a double click
    assert again.status_code == 200
    assert "staat al een tijd voor dezelfde persoon" in again.text
    assert Slot.objects.count() == 8  # nothing made twice
    # Half an hour later overlaps too; the form keeps what was typed.
    later = client.post(
        reverse("steunen:afspraak_series"), series | {"start": "10:30", "end": "12:00"}
    )
    assert "staat al een tijd voor dezelfde persoon" in later.text and 'value="10:30"' in later.text
    assert Slot.objects.count() == 8
    # After the last one ends, and for the team, it is fine.
    client.post(reverse("steunen:afspraak_series"), series | {"start": "11:00", "end": "12:00"})
    client.post(reverse("steunen:afspraak_series"), series | {"staff": ""})
    assert Slot.objects.count() == 8 + 4 + 8


def test_a_buffer_leaves_time_between_appointments():
    plan = SeriesPlan(
        kind=SlotKind.PHONE, first_day=date(2030, 1, 8), start=time(9), end=time(11),
        slot_minutes=30, buffer_minutes=10, capacity=1, weeks=1,
    )  # fmt: skip
    starts = [timezone.localtime(start).time() for start, _end in plan.times()]
    assert starts == [time(9), time(9, 40), time(10, 20)]


def test_the_series_form_says_what_is_missing(medewerker):
    page = client_for(medewerker).post(
        reverse("steunen:afspraak_series"),
        {
            "kind": SlotKind.VIDEO,
            "first_day": "2000-01-01",
            "start": "12:00",
            "end": "09:00",
            "slot_minutes": 30,
            "buffer_minutes": 0,
            "capacity": 1,
            "weeks": 4,
        },
    )
    assert "Vul de link voor het videogesprek in" in page.text
    assert "De eerste dag ligt in het verleden" in page.text
    assert "De eindtijd moet na de begintijd liggen" in page.text
    assert not Slot.objects.exists()


def test_cancelling_a_slot_cancels_its_booking_and_tells_the_asker(
    medewerker, django_capture_on_commit_callbacks
):
    s = slot(staff=medewerker)
    booked = appointments.book(slot=s, email="ouder@voorbeeld.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(medewerker).post(reverse("steunen:afspraak_slot_cancel", args=[s.pk]))
    assert Slot.objects.get().is_cancelled
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["ouder@voorbeeld.nl"]]
    assert not Slot.objects.bookable().exists()
    assert Client().get(reverse("steunen:afspraak_slots")).text.count(book_url(s)) == 0
    assert EventKind.BOOKING_CANCELLED in booked.booking.case.events.values_list("kind", flat=True)


@pytest.fixture
def morning(time_machine):
    """Eight in the morning today, so today's evening times are still to come whenever
    the suite runs (a test run after 21.00 found them past)."""
    today = timezone.localdate()
    time_machine.move_to(timezone.make_aware(datetime.combine(today, time(8))))


def test_mijn_dag_shows_ones_own_and_the_teams_appointments(medewerker, coordinator, morning):
    mine = slot(days=0, hour=23, staff=medewerker)
    team = slot(days=0, hour=22)
    theirs = slot(days=0, hour=21, staff=coordinator)
    appointments.book(slot=mine, name="Ouder Een", phone="0612345678")
    appointments.book(slot=theirs, name="Ouder Twee")
    client = client_for(medewerker)
    day = client.get(reverse("steunen:afspraak_day")).text
    assert "Ouder Een" in day and "0612345678" in day
    assert "Ouder Twee" not in day
    assert team.starts_at.astimezone(timezone.get_current_timezone()).strftime("%H.%M") in day
    whole_team = client.get(reverse("steunen:afspraak_day") + "?wie=team").text
    assert "Ouder Een" in whole_team and "Ouder Twee" in whole_team


def test_the_public_cannot_see_the_day_and_the_board_neither(bestuur):
    url = reverse("steunen:afspraak_day")
    assert Client().get(url).status_code == 302
    assert client_for(bestuur).get(url).status_code == 403


def test_the_slot_list_shows_only_free_future_times():
    free, full, past = slot(), slot(hour=12), slot(days=-1)
    appointments.book(slot=full)
    page = Client().get(reverse("steunen:afspraak_slots")).text
    assert book_url(free) in page
    assert book_url(full) not in page and book_url(past) not in page


def test_erasing_the_case_removes_who_booked_and_frees_the_place():
    from steunen import actions

    s = slot()
    booked = appointments.book(slot=s, name="J. Jansen", email="j@voorbeeld.nl", phone="0612345678")
    actions.erase_personal_data(case=booked.booking.case, reason="op verzoek van de vrager")
    booking = Booking.objects.get()
    assert (booking.name, booking.email, booking.phone) == ("", "", "")
    assert booking.status == BookingStatus.CANCELLED
    assert Slot.objects.bookable().filter(pk=s.pk).exists()
    assert appointments.find_booking(booked.token) is None


def test_a_merge_takes_the_booking_along_and_undoing_it_brings_it_back(medewerker):
    from steunen import actions

    question_case, _code = ask()
    booked = appointments.book(slot=slot())
    record = actions.merge(source=booked.booking.case, target=question_case, by=medewerker)
    assert Booking.objects.get().case == question_case
    actions.undo_merge(record=record, by=medewerker)
    assert Booking.objects.get().case == booked.booking.case


def test_the_demo_has_weeks_of_times_and_some_bookings(medewerker):
    from steunen.afspraak_demo import generate_appointments

    medewerker.username = "medewerker"
    medewerker.save()
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=timezone.get_current_timezone())):
        made = generate_appointments()
        assert made == 5
        assert Slot.objects.bookable().count() > 20
        assert {s.kind for s in Slot.objects.all()} == set(SlotKind.values)
        assert generate_appointments() == 5  # a second run adds nothing
        today = appointments.day_schedule(timezone.localdate(), staff=medewerker)
        assert any(bookings for _slot, bookings in today)


def test_every_appointment_page_is_valid_html_with_unique_ids(medewerker, morning):
    from tests.signaleren.test_annual_summary import html_errors

    s = slot(days=0, hour=23, staff=medewerker, kind=SlotKind.PLACE, place="Buurthuis")
    slot(hour=11)
    full = slot(hour=12)
    appointments.book(slot=full)
    youth_slot = slot(hour=13)
    client = Client()
    receipt = client.post(book_url(s), form(name="A.B.", email="a@voorbeeld.nl"))
    token = receipt.context["token"]
    staff = client_for(medewerker)
    pages = {
        "slots": Client().get(reverse("steunen:afspraak_slots")),
        "book": Client().get(book_url(s)),
        "taken": Client().post(book_url(full), form(name="Typed")),
        "receipt": receipt,
        "manage": Client().get(reverse("steunen:afspraak_manage", args=[token])),
        "day": staff.get(reverse("steunen:afspraak_day")),
        "team": staff.get(reverse("steunen:afspraak_day") + "?wie=team"),
        "series": staff.get(reverse("steunen:afspraak_series")),
        "youth slots": Client().get(reverse("steunen:afspraak_slots") + "?voor=jongere"),
        "youth book": Client().get(book_url(s) + "?voor=jongere"),
        "youth receipt": Client().post(book_url(youth_slot) + "?voor=jongere", form(asker_type="")),
        "cancel a time": staff.get(reverse("steunen:afspraak_slot_cancel", args=[s.pk])),
        "case with its appointment": staff.get(
            reverse("steunen:case", args=[s.bookings.get().case_id])
        ),
    }
    assert "Je afspraak staat" in pages["youth receipt"].text
    for name, page in pages.items():
        assert html_errors(page.text) == [], name
        ids = [part.split('"', 1)[0] for part in page.text.split(' id="')[1:]]
        assert len(ids) == len(set(ids)), f"an id is used twice on {name}"


def test_three_visitors_in_turn_each_get_their_own_receipt():
    s = slot(kind=SlotKind.PLACE, place="Bibliotheek", capacity=3)
    Client().get(reverse("steunen:afspraak_slots"))  # warm
    codes = []
    for n, visitor in enumerate((Client(), Client(), Client())):
        page = visitor.post(book_url(s), form(name=f"Bezoeker {n}", submission_token=f"v{n}"))
        assert page.status_code == 200
        assert f"Bezoeker {n}" not in page.text  # the name is not repeated back
        assert all(code not in page.text for code in codes)
        codes.append(page.context["code"])
    assert len(set(codes)) == 3
    assert {b.name for b in Booking.objects.all()} == {"Bezoeker 0", "Bezoeker 1", "Bezoeker 2"}
    assert len({b.case_id for b in Booking.objects.all()}) == 3


# --- The conversation held -----------------------------------------------------------


def test_a_case_that_starts_with_an_appointment_promises_that_conversation(time_machine):
    """An appointment in three weeks is not 'te laat' after two working days."""
    far = slot(days=21)
    case = appointments.book(slot=far).booking.case
    assert case.response_due_at == far.ends_at
    time_machine.move_to(timezone.now() + timedelta(days=7))
    case.refresh_from_db()
    assert case.response_state() == "op_tijd"
    time_machine.move_to(far.ends_at + timedelta(hours=1))
    assert case.response_state() == "te_laat"  # the time passed and nobody recorded it


def test_moving_such_an_appointment_later_moves_its_promise_along():
    booking = appointments.book(slot=slot(days=3)).booking
    later = slot(days=30)
    appointments.move_booking(booking=booking, to=later)
    booking.case.refresh_from_db()
    assert booking.case.response_due_at == later.ends_at


def test_a_booking_that_joins_a_question_leaves_its_promise_alone():
    case, _ = ask("Mijn zoon zit thuis.")
    promised = case.response_due_at
    appointments.book(slot=slot(days=30), case=case)
    case.refresh_from_db()
    assert case.response_due_at == promised


def test_staff_record_the_conversation_from_their_day_and_it_counts_as_the_answer(
    medewerker, time_machine
):
    s = slot(days=1, staff=medewerker, kind=SlotKind.PHONE)
    booking = appointments.book(slot=s, name="Ouder Een", phone="0612345678").booking
    client = client_for(medewerker)
    day_url = reverse("steunen:afspraak_day") + f"?dag={timezone.localdate(s.starts_at)}"
    assert "Gesprek gehouden" not in client.get(day_url).text  # not begun yet

    time_machine.move_to(s.starts_at + timedelta(minutes=20))
    client = client_for(medewerker)  # logged in again: a staff session lasts a working day
    day = client.get(day_url).text
    assert "Gesprek gehouden" in day
    held_url = reverse("steunen:case_booking_held", args=[booking.case_id, booking.pk])
    back = client.post(held_url, {"terug": "dag"}, follow=True)
    assert back.redirect_chain[-1][0] == day_url
    assert f"Gesprek gehouden met {booking.case.reference}" in back.text
    case = booking.case
    case.refresh_from_db()
    booking.refresh_from_db()
    assert booking.held_at and booking.held_by == medewerker
    assert case.first_response_at and case.response_state() == ""
    assert case.events.filter(kind=EventKind.BOOKING_HELD, actor=medewerker).exists()
    # Twice is refused with a message, nothing recorded twice.
    again = client.post(held_url, {"terug": "dag"}, follow=True)
    assert "Dit gesprek kan niet worden vastgelegd" in again.text
    assert case.events.filter(kind=EventKind.BOOKING_HELD).count() == 1


def test_the_case_page_lists_its_appointments_with_the_button_once_begun(medewerker, time_machine):
    s = slot(days=1, kind=SlotKind.PLACE, place="Bibliotheek Oost")
    booking = appointments.book(slot=s, name="Ouder Twee").booking
    client = client_for(medewerker)
    page = client.get(reverse("steunen:case", args=[booking.case_id])).text
    assert "Bibliotheek Oost" in page and "Gepland" in page
    assert "Gesprek gehouden" not in page
    time_machine.move_to(s.ends_at + timedelta(hours=2))
    client = client_for(medewerker)
    page = client.get(reverse("steunen:case", args=[booking.case_id])).text
    assert "Nog niet vastgelegd" in page and "Gesprek gehouden" in page
    held_url = reverse("steunen:case_booking_held", args=[booking.case_id, booking.pk])
    swapped = client.post(held_url, headers={"HX-Request": "true"})
    assert "Gesprek gehouden: het staat op de tijdlijn." in swapped.text
    assert "Nog niet vastgelegd" not in swapped.text


def test_a_buddy_or_the_public_cannot_record_a_conversation(bestuur, time_machine):
    s = slot(days=1)
    booking = appointments.book(slot=s).booking
    time_machine.move_to(s.starts_at + timedelta(minutes=5))
    held_url = reverse("steunen:case_booking_held", args=[booking.case_id, booking.pk])
    assert Client().post(held_url).status_code == 302  # to the login
    assert client_for(bestuur).post(held_url).status_code in (403, 404)
    booking.refresh_from_db()
    assert booking.held_at is None


def test_cancelling_a_time_first_says_whose_appointments_go(medewerker):
    s = slot(staff=medewerker)
    appointments.book(slot=s, name="Ouder Een", email="een@voorbeeld.nl")
    appointments.book(slot=slot(staff=medewerker, hour=11), name="Ouder Twee")
    client = client_for(medewerker)
    day = client.get(reverse("steunen:afspraak_day") + f"?dag={timezone.localdate(s.starts_at)}")
    cancel_url = reverse("steunen:afspraak_slot_cancel", args=[s.pk])
    assert f'href="{cancel_url}"' in day.text  # a link to the question, not a button that acts
    confirm = client.get(cancel_url)
    assert "Op deze tijd staat 1 afspraak. Die wordt afgezegd:" in confirm.text
    assert "Ouder Een" in confirm.text and "krijgt een e-mail" in confirm.text
    assert not Slot.objects.get(pk=s.pk).is_cancelled  # looking cancels nothing
    client.post(cancel_url)
    assert Slot.objects.get(pk=s.pk).is_cancelled


# --- Finding it, and a youth's own words -----------------------------------------------


def test_the_home_page_and_both_question_forms_lead_to_the_appointments(client):
    slots_url = reverse("steunen:afspraak_slots")
    assert f'href="{slots_url}"' in client.get("/").text
    assert f'href="{slots_url}"' in client.get(reverse("steunen:ask")).text
    youth_form = client.get(reverse("steunen:ask") + "?voor=jongere").text
    assert f'href="{slots_url}?voor=jongere"' in youth_form


def test_a_youth_books_in_je_words_from_start_to_end():
    s = slot(kind=SlotKind.PHONE)
    youth = Client()
    slots_page = youth.get(reverse("steunen:afspraak_slots") + "?voor=jongere").text
    assert "Praat je liever dan dat je schrijft?" in slots_page
    assert f'href="{book_url(s)}?voor=jongere"' in slots_page
    form_page = youth.get(book_url(s) + "?voor=jongere").text
    assert "Je naam of voorletters" in form_page and "Uw naam" not in form_page
    assert "Wie maakt de afspraak?" not in form_page  # a youth books for themselves
    receipt = youth.post(book_url(s) + "?voor=jongere", form(asker_type="", submission_token="j1"))
    assert receipt.status_code == 200
    assert "Je afspraak staat" in receipt.text and "Dit is je code" in receipt.text
    assert "Je belt ons zelf op dit tijdstip" in receipt.text
    assert " uw " not in receipt.text.split("<main", 1)[1].split("</main>", 1)[0]
    booking = Booking.objects.get()
    assert booking.case.asker_type == "jongere"
    manage = youth.get(reverse("steunen:afspraak_manage", args=[receipt.context["token"]]))
    assert "<h1>Je afspraak</h1>" in manage.text
    moved = youth.post(
        reverse("steunen:afspraak_move", args=[receipt.context["token"]]),
        {"slot": slot(hour=14).pk},
        follow=True,
    )
    assert "Je afspraak is verzet naar" in moved.text
