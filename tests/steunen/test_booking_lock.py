"""Booking holds the slot's lock briefly and still books exactly one (issue 23, benchmark).

A refused booker reads the places taken with the lock and writes nothing; the winner
writes the case, the booking and the timeline. Every way a booking ends gives its place
back. The speed itself is measured in tests/bench/bench_booking.py.
"""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from steunen import actions, appointments
from steunen.afspraken import Booking, Slot
from steunen.appointments import BookingError
from steunen.models import Case, CaseEvent, EventKind
from tests.steunen.helpers import ask
from tests.steunen.test_appointments import slot

pytestmark = pytest.mark.django_db


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


def places_taken(s: Slot) -> int:
    s.refresh_from_db()
    return s.booked


def test_a_refused_booker_writes_nothing_and_leaves_no_case():
    s = slot()
    appointments.book(slot=s, submission_token="first")
    cases = Case.objects.count()
    with CaptureQueriesContext(connection) as refused, pytest.raises(BookingError) as error:
        appointments.book(slot=s, name="Tweede ouder", submission_token="second")
    assert error.value.reason == "taken"
    assert writes(refused.captured_queries) == []
    assert Case.objects.count() == cases
    assert Booking.objects.filter(slot=s).count() == 1
    assert places_taken(s) == 1


def test_the_booking_makes_one_case_with_its_timeline_in_order():
    s = slot()
    booked = appointments.book(slot=s, name="Fatima", submission_token="one")
    case = booked.booking.case
    assert booked.code and actions.find_case_by_code(booked.code) == case
    assert list(case.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.BOOKING_MADE,
    ]
    assert case.response_due_at is not None and case.attention_at <= s.starts_at
    assert case.assignee_id == s.staff_id


def test_a_form_sent_again_after_it_filled_the_slot_hears_it_was_made():
    s = slot()
    appointments.book(slot=s, submission_token="same")
    with pytest.raises(BookingError) as error:
        appointments.book(slot=s, submission_token="same")
    assert error.value.reason == "twice"  # not "taken": it was this form that took it


def test_a_form_sent_again_while_there_is_room_books_nothing_more():
    s = slot(capacity=3)
    appointments.book(slot=s, submission_token="same")
    with pytest.raises(BookingError) as error:
        appointments.book(slot=s, submission_token="same")
    assert error.value.reason == "twice"
    assert Booking.objects.filter(slot=s).count() == 1
    assert places_taken(s) == 1  # the second try's place went back with its rollback
    assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 1


def test_a_cancelled_slot_is_refused_before_any_lock_or_write():
    s = slot()
    s.cancelled_at = s.starts_at
    s.save()
    with CaptureQueriesContext(connection) as refused, pytest.raises(BookingError) as error:
        appointments.book(slot=s, submission_token="x")
    assert error.value.reason == "cancelled"
    assert writes(refused.captured_queries) == []
    assert not any("FOR UPDATE" in q["sql"] for q in refused.captured_queries)


def test_joining_an_existing_case_with_its_code_still_books_into_that_case():
    case, _code = ask("Mag ik een gesprek?")
    booked = appointments.book(slot=slot(), case=case, submission_token="with-code")
    assert booked.booking.case == case and booked.code == ""
    assert case.events.filter(kind=EventKind.BOOKING_MADE).count() == 1


def test_every_way_a_booking_ends_gives_its_place_back(medewerker):
    full = slot()
    booked = appointments.book(slot=full, submission_token="a")
    assert places_taken(full) == 1 and full.is_full
    appointments.cancel_booking(booking=booked.booking)
    assert places_taken(full) == 0
    # Moved to another time: the first is free again, the second full.
    again = appointments.book(slot=full, submission_token="b")
    other = slot(hour=12)
    appointments.move_booking(booking=again.booking, to=other)
    assert (places_taken(full), places_taken(other)) == (0, 1)
    with pytest.raises(BookingError) as error:
        appointments.book(slot=other, submission_token="c")
    assert error.value.reason == "taken"
    # The case erased: its coming appointment is cancelled and the place is free.
    actions.erase_personal_data(case=again.booking.case, reason="test")
    assert places_taken(other) == 0
    assert appointments.book(slot=other, submission_token="d").booking.slot == other
    # The slot cancelled by the steunpunt: no places taken on it any more.
    appointments.cancel_slot(slot=other, by=medewerker)
    assert places_taken(other) == 0


def test_the_database_itself_refuses_more_bookings_than_places():
    s = slot()
    appointments.book(slot=s, submission_token="only")
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=s.pk).update(booked=2)
    assert places_taken(s) == 1


def test_the_booking_page_offers_the_place_freed_by_a_cancellation():
    s = slot(capacity=2)
    first = appointments.book(slot=s, submission_token="one")
    appointments.book(slot=s, submission_token="two")
    assert s not in Slot.objects.bookable()
    appointments.cancel_booking(booking=first.booking)
    assert s in Slot.objects.bookable()
    assert appointments.book(slot=s, submission_token="three").booking.slot == s
    assert places_taken(s) == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_calls_of_the_action_book_exactly_one():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite runs one writer")
    s = slot()
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def booker(n: int) -> None:
        try:
            start.wait()
            try:
                appointments.book(slot=s, submission_token=f"action-{n}")
                outcomes.append("booked")
            except BookingError as error:
                outcomes.append(error.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=booker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] + ["taken"] * 19
    assert Booking.objects.filter(slot=s).count() == 1
    assert Case.objects.count() == 1  # the 19 refused left no case behind
