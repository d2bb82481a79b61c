"""Demo appointments: four weeks of times from this week on, and some bookings on them.

Fictional and deterministic per day: every run of the demo shows a filled
"Mijn dag" today and free times to book in the coming weeks.
"""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from steunen import appointments
from steunen.afspraken import Booking, Slot, SlotKind
from steunen.appointments import SeriesPlan
from steunen.models import AskerType, Case, hash_code

DEMO_PLACE = "Bibliotheek Lindewaard, spreekkamer 2"
DEMO_VIDEO = "https://video.voorbeeld.nl/steunpunt-spreekuur"


def generate_appointments(*, weeks: int = 4) -> int:
    """Publish demo series and book some of the times; returns the number of bookings."""
    if Slot.objects.exists():
        return Booking.objects.count()
    users = get_user_model().objects
    medewerker = users.filter(username="medewerker").first()
    coordinator = users.filter(username="coordinator").first()
    by = coordinator or medewerker
    if by is None:  # no demo users (load_demo makes them first)
        return 0
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    plans = [
        # Every Tuesday morning: phone calls with Sanne.
        SeriesPlan(kind=SlotKind.PHONE, first_day=monday + timedelta(days=1), start=time(9),
                   end=time(12), slot_minutes=30, buffer_minutes=0, capacity=1, weeks=weeks,
                   staff=medewerker),
        # Every Thursday afternoon: a spreekuur in the library, for the team, with a pause.
        SeriesPlan(kind=SlotKind.PLACE, first_day=monday + timedelta(days=3), start=time(13),
                   end=time(16), slot_minutes=45, buffer_minutes=15, capacity=1, weeks=weeks,
                   place=DEMO_PLACE),
        # Every Wednesday evening: a walk-in hour by video, three places.
        SeriesPlan(kind=SlotKind.VIDEO, first_day=monday + timedelta(days=2), start=time(19),
                   end=time(20), slot_minutes=60, buffer_minutes=0, capacity=3, weeks=weeks,
                   video_url=DEMO_VIDEO),
        # Today, whatever day it is: a few calls with Sanne, so "Mijn dag" has something.
        SeriesPlan(kind=SlotKind.PHONE, first_day=today, start=time(20), end=time(22),
                   slot_minutes=30, buffer_minutes=0, capacity=1, weeks=1, staff=medewerker),
    ]  # fmt: skip
    for plan in plans:
        appointments.create_series(plan=plan, by=by)
    free = list(Slot.objects.bookable())
    demo_case = Case.objects.filter(code_hash=hash_code("LNDW-VRAG-2345-6789")).first()
    people = [
        ("M. de Boer", "", "0612345678", AskerType.OUDER, demo_case),
        ("", "", "", AskerType.OUDER, None),
        ("Yara", "", "", AskerType.JONGERE, None),
        ("P. Smit", "ouder.smit@voorbeeld.nl", "", AskerType.OUDER, None),
        ("", "", "0687654321", AskerType.OUDER, None),
    ]
    made = 0
    # Every third free time gets a booking, the first ones (today's) included.
    for (name, email, phone, asker_type, case), slot in zip(people, free[::3], strict=False):
        appointments.book(
            slot=slot, name=name, email=email, phone=phone, asker_type=asker_type, case=case
        )
        made += 1
    return made
