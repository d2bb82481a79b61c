"""Journeys for appointments (/afspraak/): three visitors in turn, after a passer-by
warmed the pages, book a place on one walk-in hour, come back with their own code or
link, move and cancel only their own appointment; through the test client and the real
server (the fixtures and helpers of tests/steunpunt/test_journeys.py)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from steunen.afspraken import Booking, Slot, SlotKind
from tests.servers import return_code
from tests.steunpunt.test_journeys import (  # noqa: F401 (site and real_server are fixtures)
    CODE,
    VISITORS,
    expect,
    link,
    open_form,
    open_question,
    others,
    real_server,
    site,
    unique,
    warm_up,
)


def make_times(place: str) -> dict[str, object]:
    """A walk-in hour with a place for each visitor at ``place``, and a phone time for
    each to move to, the day after tomorrow. Run where the site keeps its data."""
    day = timezone.localdate() + timedelta(days=2)
    start = timezone.make_aware(datetime.combine(day, time(10)))
    walk_in = Slot.objects.create(
        kind=SlotKind.PLACE, place=place, capacity=VISITORS,
        starts_at=start, ends_at=start + timedelta(hours=1),
    )  # fmt: skip
    phone = []
    for n in range(VISITORS):
        begins = start + timedelta(hours=3, minutes=30 * n)
        phone.append(
            Slot.objects.create(
                kind=SlotKind.PHONE, starts_at=begins, ends_at=begins + timedelta(minutes=30)
            )
        )
    return {"walk_in": walk_in.pk, "phone": [s.pk for s in phone], "place": place}


def bookings_of(names: list[str]) -> list[dict[str, object]]:
    """Per name, where its booking stands now: the slot's pk and whether it is active."""
    found = {b.name: b for b in Booking.objects.select_related("slot")}
    return [{"slot": found[n].slot_id, "active": found[n].is_active} for n in names]


def test_three_parents_in_turn_book_come_back_move_and_cancel_only_their_own(site):  # noqa: F811
    times = site.run(make_times, unique(["Buurthuis De Linde"])[0])
    walk_in = f"/afspraak/{times['walk_in']}/"
    warm_up(site, "/afspraak/", walk_in)
    names = unique(["Ouder A.", "Ouder B.", "Ouder C."])
    parents = [site.visitor() for _ in range(VISITORS)]
    codes: list[str] = []
    manage: list[str] = []
    for parent, name in zip(parents, names, strict=True):
        slots = expect(parent.get("/afspraak/"), 200, "Maak een afspraak")
        assert f'href="{walk_in}"' in slots.text, "the walk-in hour is not on the list"
        open_form(parent, walk_in, "Afspraak maken", times["place"])
        receipt = parent.post(walk_in, {"name": name}, form="afspraakformulier")
        expect(receipt, 200, "Uw afspraak staat", "Dit is uw code", absent=tuple(codes))
        code = return_code(receipt.text)
        assert code and CODE.fullmatch(code), f"no return code on the receipt: {code!r}"
        codes.append(code)
        manage.append(link(receipt, "Verzet of zeg de afspraak af"))
    assert len(set(codes)) == len(set(manage)) == VISITORS

    # Each comes back with their own code and sees the appointment on Mijn vraag.
    for parent, code in zip(parents, codes, strict=True):
        mine = open_question(parent, code)
        expect(mine, 200, "Uw afspraken", times["place"], "verzetten of afzeggen")

    # Each moves their own appointment to a phone time of their own.
    for n, (parent, path) in enumerate(zip(parents, manage, strict=True)):
        open_form(parent, path, "Uw afspraak", "Verzetten naar een ander tijdstip")
        to = str(times["phone"][n])
        moved = parent.post(path + "verzetten/", {"slot": to})
        expect(moved, 302, to=path)
        expect(parent.get(path), 200, "Uw afspraak is verzet naar", "Telefonisch")
    placed = site.run(bookings_of, names)
    assert [b["slot"] for b in placed] == times["phone"]

    # The first cancels; the other two keep theirs.
    first = parents[0]
    open_form(first, manage[0], "Zeg mijn afspraak af")
    cancelled = first.post(manage[0] + "afzeggen/", {})
    expect(cancelled, 302, to=manage[0])
    expect(first.get(manage[0]), 200, "Uw afspraak is afgezegd", "Deze afspraak is afgezegd.")
    assert [b["active"] for b in site.run(bookings_of, names)] == [False, True, True]
    for n in (1, 2):
        page = expect(parents[n].get(manage[n]), 200, "Zeg mijn afspraak af", "Telefonisch")
        assert "Deze afspraak is afgezegd." not in page.text
        mine = open_question(parents[n], codes[n])
        expect(mine, 200, "verzetten of afzeggen", absent=others(manage, n))
