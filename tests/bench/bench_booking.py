"""Benchmark of booking an appointment: 20 bookers at once on one slot (printed, not asserted).

Two measures, each in rounds of one new slot with one place:

- the booking action itself (steunen.appointments.book, which locks the
  slot's row and reads its places taken with that lock): 20 threads, each
  on a database connection of its own that stays open between rounds (as a
  worker's connection does in production), call it at once; target p95 < 50 ms;
- the whole press through the portal as production runs it (bin/serve on
  PostgreSQL and Redis): 20 visitors open the slot's booking page
(each with a session and CSRF token of its own), wait at a barrier and press
"book" together. The booking locks the slot's row and reads its places taken
with that lock, so exactly one of them gets the receipt and the other 19 the message that the
time was just taken, with other times to choose. This includes the
queue for the server's workers (20 requests at once on two cores) and
rendering the page.

Every round checks that exactly one booking was made and stored.

Run it with `bin/bench booking`. It makes its own database and drops it afterwards.
"""

import gc
import http.client
import os
import re
import statistics
import threading
import time
import urllib.parse
from datetime import timedelta

from common import bench_database, percentile

from tests.servers import Portal, clean_env

BOOKERS = int(os.environ.get("BENCH_BOOKERS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TARGET_P95_MS = 50
RECEIPT = "Uw afspraak staat"
TAKEN = "Dit tijdstip is net door iemand anders gekozen"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')


class Booker:
    """One visitor: its own connection, session cookie and form."""

    def __init__(self, port: int, path: str):
        self.port, self.path = port, path
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]

    def open_form(self) -> None:
        self.connection.request("GET", self.path, headers={"Cookie": self._cookie_header()})
        response = self.connection.getresponse()
        page = response.read().decode()
        self._keep_cookies(response)
        if response.status != 200:
            raise SystemExit(f"the booking page answered {response.status}")
        self.form = {
            "csrfmiddlewaretoken": TOKEN.search(page).group(1),
            "submission_token": SUBMISSION.search(page).group(1),
            "asker_type": "ouder",
            "name": "",
            "email": "",
            "phone": "",
        }

    def book(self) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(self.form)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": self._cookie_header(),
            "Referer": f"http://127.0.0.1:{self.port}{self.path}",
            "Origin": f"http://127.0.0.1:{self.port}",
        }
        start = time.perf_counter()
        self.connection.request("POST", self.path, body=body, headers=headers)
        response = self.connection.getresponse()
        page = response.read().decode()
        elapsed = (time.perf_counter() - start) * 1000
        self.connection.close()
        return response.status, page, elapsed


def one_round(port: int) -> list[float]:
    from django.utils import timezone

    from steunen.afspraken import Booking, Slot, SlotKind

    start = timezone.now() + timedelta(days=3)
    slot = Slot.objects.create(
        kind=SlotKind.PHONE, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=1
    )
    # Another free time, so every refused booker is offered one (as in real life).
    Slot.objects.create(
        kind=SlotKind.PHONE,
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=1, minutes=30),
    )
    bookers = [Booker(port, f"/afspraak/{slot.pk}/") for _ in range(BOOKERS)]
    for booker in bookers:
        booker.open_form()
    barrier = threading.Barrier(BOOKERS)
    results: list[tuple[int, str, float]] = []
    lock = threading.Lock()

    def press(booker: Booker) -> None:
        barrier.wait()
        outcome = booker.book()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=press, args=(b,)) for b in bookers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made = [r for r in results if r[0] == 200 and RECEIPT in r[1]]
    taken = [r for r in results if r[0] == 409 and TAKEN in r[1]]
    stored = Booking.objects.filter(slot=slot).count()
    if len(made) != 1 or len(taken) != BOOKERS - 1 or stored != 1:
        answers = sorted(r[0] for r in results)
        raise SystemExit(
            f"expected 1 booking and {BOOKERS - 1} refusals; got answers {answers}, "
            f"{len(made)} receipts, {stored} bookings stored"
        )
    return [r[2] for r in results]


class ActionBookers:
    """20 threads, each with its own database connection kept open from round to round.

    As in production (DB_CONN_MAX_AGE keeps a worker's connection), no round pays
    for opening a connection or for a database backend's first, cold queries:
    the first round warms them up. A thread closes its connection only at the end.
    """

    def __init__(self, count: int):
        self.count = count
        self.go = threading.Barrier(count + 1)
        self.done = threading.Barrier(count + 1)
        self.slot = None
        self.results: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.stop = False
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(count)]
        for thread in self.threads:
            thread.start()

    def _run(self, n: int) -> None:
        from django.db import connection

        from steunen import appointments

        try:
            while True:
                self.go.wait()
                if self.stop:
                    return
                slot = self.slot
                began = time.perf_counter()
                try:
                    appointments.book(slot=slot, submission_token=f"bench-{slot.pk}-{n}")
                    outcome = "booked"
                except appointments.BookingError as error:
                    outcome = error.reason
                with self.lock:
                    self.results.append((outcome, (time.perf_counter() - began) * 1000))
                self.done.wait()
        finally:
            connection.close()

    def round(self) -> list[float]:
        """One new slot with one place; all threads book it at once."""
        from django.utils import timezone

        from steunen.afspraken import Booking, Slot, SlotKind

        start = timezone.now() + timedelta(days=3)
        self.slot = Slot.objects.create(
            kind=SlotKind.PHONE, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=1
        )
        self.results = []
        self.go.wait()
        self.done.wait()
        outcomes = sorted(r[0] for r in self.results)
        stored = Booking.objects.filter(slot=self.slot).count()
        if outcomes != ["booked"] + ["taken"] * (self.count - 1) or stored != 1:
            raise SystemExit(f"expected 1 booking; got {outcomes}, {stored} stored")
        return [r[1] for r in self.results]

    def close(self) -> None:
        self.stop = True
        self.go.wait()
        for thread in self.threads:
            thread.join()


def main() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with bench_database("booking") as db_name:
        env = clean_env(
            DATABASE_URL=os.environ["DATABASE_URL"],
            SECRET_KEY=os.environ["SECRET_KEY"],
            REDIS_URL=REDIS_URL,
            TASKS_BACKEND="database",
            # A booking without a code makes a case, counted like a question:
            # raised, so every press is a booking attempt, not "too many".
            QUESTIONS_PER_HOUR="1000000000",
            LOG_LEVEL="WARNING",
        )
        # As steunpunt/wsgi.py does in every worker: what start-up made is kept out of
        # the collector's sight, so a full collection (over 100 ms here) does not land
        # in the middle of a round.
        gc.collect()
        gc.freeze()
        bookers = ActionBookers(BOOKERS)
        bookers.round()  # warm up: connections, the database's caches
        action: list[float] = []
        for _ in range(ROUNDS):
            action += bookers.round()
        bookers.close()
        action_p95 = percentile(action, 95)
        print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8}")
        name = f"booking action, {BOOKERS} threads at once"
        print(f"{name:<44} {statistics.median(action):8.1f} {action_p95:8.1f}")
        print(
            f"Every round: exactly 1 booking. p95 {action_p95:.1f} ms "
            f"(target < {TARGET_P95_MS} ms): "
            + ("met" if action_p95 < TARGET_P95_MS else "NOT met")
        )
        workers = os.cpu_count() or 1  # bin/serve's default
        with Portal(env, workers=workers) as portal:
            print(
                f"bin/serve with {workers} workers, database {db_name}; {ROUNDS} rounds of "
                f"{BOOKERS} bookers pressing 'book' at once on one slot with one place\n"
            )
            one_round(portal.port)  # warm up: connections, templates
            samples: list[float] = []
            for _ in range(ROUNDS):
                samples += one_round(portal.port)
        p95 = percentile(samples, 95)
        print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8}")
        name = f"press through bin/serve, {BOOKERS} at once"
        print(f"{name:<44} {statistics.median(samples):8.1f} {p95:8.1f}")
        print(
            f"Every round: exactly 1 booking, {BOOKERS - 1} refusals with other times "
            "(the whole page, queued for the workers)."
        )
        redis.Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    main()
