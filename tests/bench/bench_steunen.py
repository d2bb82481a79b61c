"""Benchmark of the steunen pillar on PostgreSQL (printed, not asserted).

- The staff inbox with 50,000 cases: p50/p95 for the default view, each
  filter, and a deep page (keyset pagination) against the first page, as a
  staff member past both login steps (each view checked to be the inbox).
- Submitting a question: p50/p95 (mail runs after commit, in the
  background task, and is not part of what a visitor waits for). Every
  submit timed must be a stored question with its receipt: the rate limit
  is raised for the benchmark, and any other answer stops it.

Run it with `bin/bench`. It makes its own database and drops it afterwards.
"""

import os
import statistics
import time

from common import RUNS, bench_database, percentile, timed
from volume import add_cases

CASES = int(os.environ.get("BENCH_CASES", "50000"))
# Each timed submit is a question from the same client: no "too many questions" (429).
os.environ["QUESTIONS_PER_HOUR"] = "1000000000"


def main() -> None:
    with bench_database("steunen"):
        from django.db import connection
        from django.test import Client

        started = time.perf_counter()
        add_cases(CASES)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"Generated {CASES} cases in {time.perf_counter() - started:.1f} s\n")
        run(Client)


def run(client_class) -> None:
    from django.contrib.auth.models import User
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from steunen.models import Case
    from steunen.staff import PAGE_SIZE, _encode_cursor

    client = client_class()
    staff = User.objects.get(username="staff0")
    client.force_login(staff)
    # Past the second factor, as a correct code leaves the session: without it
    # every staff page is a redirect to the second step.
    device, _ = StaticDevice.objects.get_or_create(user=staff, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    inbox = "/medewerkers/vragen/"
    open_cases = Case.objects.open().in_attention_order()
    deep_open = max(0, (open_cases.count() - 1) // PAGE_SIZE * PAGE_SIZE - 1)  # the last page
    deep_case = open_cases[deep_open]
    deep_all = Case.objects.in_attention_order()[min(30_000, Case.objects.count() - 1)]
    views = {
        "inbox, default (open cases)": {},
        "filter status=nieuw": {"status": "nieuw"},
        "filter thema=aanmelden": {"thema": "aanmelden"},
        "filter behandelaar=ik": {"behandelaar": "ik"},
        "filter behandelaar=niemand": {"behandelaar": "niemand"},
        "filter spoed": {"spoed": "on"},
        "filter wachttijd=te_laat": {"wachttijd": "te_laat"},
        "filter wachttijd=week": {"wachttijd": "week"},
        "all statuses, first page": {"status": "alle"},
        "open cases, last page (keyset)": {"na": _encode_cursor(deep_case)},
        "all statuses, row 30,000 (keyset)": {"status": "alle", "na": _encode_cursor(deep_all)},
    }
    print(f"{'view':<40} {'p50 ms':>8} {'p95 ms':>8}")
    results = {}
    for name, params in views.items():
        answer = client.get(inbox, params)
        if answer.status_code != 200 or b"<h1>Vragen</h1>" not in answer.content:
            raise SystemExit(f"the inbox ({name}) answered {answer.status_code}, not the inbox")
        samples = timed(lambda params=params: client.get(inbox, params))
        results[name] = samples
        print(f"{name:<40} {statistics.median(samples):8.1f} {percentile(samples, 95):8.1f}")
    # The ratio is measured interleaved (first, deep, first, deep, ...) so that
    # drift in the machine's speed hits both alike.
    first_params = views["all statuses, first page"]
    deep_params = views["all statuses, row 30,000 (keyset)"]
    first_samples, deep_samples = [], []
    for _ in range(RUNS * 2):
        for params, samples in ((first_params, first_samples), (deep_params, deep_samples)):
            start = time.perf_counter()
            client.get(inbox, params)
            samples.append((time.perf_counter() - start) * 1000)
    ratio = statistics.median(deep_samples) / statistics.median(first_samples)
    print(f"\nDeep page / first page (median, interleaved): {ratio:.2f}  (target <= 1.2)")
    worst = max(percentile(s, 95) for s in results.values())
    print(f"Worst p95 of the inbox views: {worst:.1f} ms  (target < 100 ms)\n")

    from steunpunt import puzzle

    visitor = client_class()
    counter = iter(range(10**9))
    # What each page gave the visitor and its script solved, made before the timing:
    # a submit without them comes back as the form, not as a receipt.
    solved = iter(
        [(made, puzzle.solve(made)) for made in (puzzle.issue() for _ in range(RUNS + 1))]
    )

    def submit() -> None:
        made, solution = next(solved)
        answer = visitor.post(
            "/vraag/",
            {
                "submission_token": f"bench-{next(counter)}",
                "puzzle": made,
                "puzzle_answer": solution,
                "asker_type": "ouder",
                "question": "Mag de school mijn kind zomaar naar huis sturen?",
                "contact_preference": "geen",
            },
        )
        if answer.status_code != 200 or b'id="return-code"' not in answer.content:
            raise SystemExit(f"submitting gave {answer.status_code}, not a receipt")

    stored_before = Case.objects.count()
    samples = timed(submit)
    stored = Case.objects.count() - stored_before
    p50, p95 = statistics.median(samples), percentile(samples, 95)
    print(f"{'submit a question':<40} {p50:8.1f} {p95:8.1f}")
    print(f"Submit p95: {percentile(samples, 95):.1f} ms  (target < 100 ms)")
    print(f"Questions stored: {stored} of {len(samples) + 1} submits (one to warm up)")


if __name__ == "__main__":
    main()
