"""Computing a quarterly board report from the raw tables (printed, not asserted).

PostgreSQL: 1,000,000 questions with time entries and outcomes, target < 1 s.
SQLite: 100,000 questions, target < 5 s.
Also the PDF of a full report: time and size.
"""

import os
import tempfile
import time
from datetime import date

from common import bench_database

PG_CASES = int(os.environ.get("BENCH_REPORT_CASES", "1000000"))
SQLITE_CASES = int(os.environ.get("BENCH_REPORT_SQLITE_CASES", "100000"))

# Questions spread over four years, most closed, with one theme and one time entry each.
INSERT_CASES = """
INSERT INTO steunen_case (
    code_hash, channel, asker_type, school_type, thuiszitter, urgent, name, contact_preference,
    email, phone, phone_times, status, outcome, created_at, response_due_at, first_response_at,
    closed_at, unanswered_reply
)
SELECT md5(i::text),
       (ARRAY['web','web','telefoon','email','inloop'])[1 + i %% 5],
       (ARRAY['ouder','ouder','ouder','jongere','ander','kind'])[1 + i %% 6],
       (ARRAY['bao','sbo','so','vo','vso','pro',''])[1 + i %% 7],
       i %% 13 = 0, i %% 13 = 0, '', 'geen', '', '', '', 'afgerond',
       (ARRAY['informatie','terug_naar_school','onderwijsconsulent','gesprek_school','buddy','klachtroute','anders'])[1 + i %% 7],
       ts, ts + interval '2 days', ts + (i %% 70) * interval '1 hour', ts + (1 + i %% 30) * interval '1 day', false
FROM (SELECT i, timestamp with time zone '2023-01-01' + (i::float / %(n)s) * interval '1400 days' AS ts
      FROM generate_series(1, %(n)s) AS i) AS s
"""
INSERT_TIME = """
INSERT INTO steunen_timeentry (case_id, minutes, activity, date, created_at)
SELECT id, 10 + id % 80, (ARRAY['gesprek','telefoon','email','uitzoeken','meegaan'])[1 + id % 5],
       (created_at + interval '1 day')::date, created_at
FROM steunen_case
"""
INSERT_THEMES = """
INSERT INTO steunen_case_themes (case_id, thema_id)
SELECT c.id, t.id FROM steunen_case c
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM informeren_thema) t
  ON t.k = c.id % t.n
"""


def time_report(label: str) -> dict:
    from signaleren.figures import Period, compute

    quarter = Period(date(2025, 4, 1), date(2025, 6, 30))
    compute(quarter, None)  # warm up
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        figures = compute(quarter, None)
        runs.append(time.perf_counter() - start)
    total = next(t for t in figures["tables"] if t["key"] == "asker_type")["total"]["display"]
    print(
        f"{label}: quarterly report in {min(runs):.2f} s (best of 3; {total} questions in the quarter)"
    )
    return figures


def postgres() -> None:
    with bench_database("reports"):
        from django.db import connection

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(INSERT_CASES, {"n": PG_CASES})
            cursor.execute(INSERT_TIME)
            cursor.execute(INSERT_THEMES)
            cursor.execute("VACUUM ANALYZE")
        print(
            f"PostgreSQL: generated {PG_CASES:,} questions in {time.perf_counter() - started:.0f} s"
        )
        figures = time_report(f"PostgreSQL, {PG_CASES:,} questions (target < 1 s)")
        pdf_timing(figures)


def pdf_timing(figures: dict) -> None:
    from django.utils import timezone

    from signaleren.charts import bar_chart
    from signaleren.models import Report
    from signaleren.pdf import report_pdf

    report = Report(title="Rapportage", period_start=date(2025, 4, 1), period_end=date(2025, 6, 30))
    report.published_at = timezone.now()
    charts = [
        (table, bar_chart(table["rows"], title=table["title"])) for table in figures["tables"]
    ]
    start = time.perf_counter()
    pdf = report_pdf({"report": report, "figures": figures, "charts": charts})
    print(f"PDF of a full report: {time.perf_counter() - start:.2f} s, {len(pdf) / 1024:.0f} KB")


def sqlite() -> None:
    """Run in a child process: Django is set up once per process."""
    import subprocess
    import sys

    subprocess.run([sys.executable, __file__, "--sqlite"], check=True)


def sqlite_child() -> None:
    import secrets

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steunpunt.settings")
        os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
        os.environ.setdefault("ALLOW_DERIVED_FIELD_KEY", "1")
        import django

        django.setup()
        from datetime import timedelta

        from django.core.management import call_command
        from django.utils import timezone

        from steunen.models import Case, TimeEntry

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        base = timezone.make_aware(timezone.datetime(2023, 1, 1))
        for offset in range(0, SQLITE_CASES, 10_000):
            cases = []
            for i in range(offset, min(offset + 10_000, SQLITE_CASES)):
                created = base + timedelta(days=1400 * i / SQLITE_CASES)
                cases.append(
                    Case(
                        code_hash=f"{i:064x}",
                        channel=["web", "telefoon", "email"][i % 3],
                        asker_type=["ouder", "jongere", "ander"][i % 3],
                        school_type=["bao", "vo", ""][i % 3],
                        status="afgerond",
                        outcome="informatie",
                        created_at=created,
                        response_due_at=created + timedelta(days=2),
                        first_response_at=created + timedelta(hours=i % 70),
                        closed_at=created + timedelta(days=1 + i % 30),
                    )
                )
            saved = Case.objects.bulk_create(cases)
            TimeEntry.objects.bulk_create(
                TimeEntry(case=c, minutes=30, activity="telefoon", date=c.created_at.date())
                for c in saved
            )
        print(
            f"SQLite: generated {SQLITE_CASES:,} questions in {time.perf_counter() - started:.0f} s"
        )
        time_report(f"SQLite, {SQLITE_CASES:,} questions (target < 5 s)")


if __name__ == "__main__":
    import sys

    if "--sqlite" in sys.argv:
        sqlite_child()
    else:
        postgres()
        sqlite()
