"""School finder with 2,000 schools, and the cost of counting reads (printed, not asserted).

Targets: school finder p95 under 50 ms with all filters; a published page
with read counting on at least 0.95 of the throughput with counting off.
"""

import statistics
import time

from common import RUNS, bench_database, report, timed
from volume import add_schools

SCHOOLS = 2000


def main() -> None:
    with bench_database("regional"):
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.db import connection
        from django.test import Client

        from informeren import demo

        add_schools(SCHOOLS)
        demo.load_content(
            author=User.objects.create(username="r"), validator=User.objects.create(username="v")
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        client = Client()
        print(f"{'school finder (' + str(SCHOOLS) + ' schools)':<44} {'p50 ms':>8} {'p95 ms':>8}")
        views = {
            "no filter": {},
            "gemeente": {"gemeente": "Gemeente 3"},
            "gemeente + autisme": {"gemeente": "Gemeente 3", "ondersteuning": "autisme"},
            "all filters": {
                "gemeente": "Gemeente 3",
                "soort": ["bao", "sbo"],
                "ondersteuning": ["autisme", "dyslexie"],
                "toegankelijk": ["lift", "rolstoel"],
            },
            "page 40": {"pagina": "40"},
        }
        worst = max(
            report(name, timed(lambda p=params: client.get("/scholen/", p)))
            for name, params in views.items()
        )
        print(f"Worst p95: {worst:.1f} ms  (target < 50 ms)\n")

        url = "/informatie/zorgplicht/"
        # Interleaved request by request (on, off, on, off, ...) so drift in the
        # machine's speed hits both alike; throughput ratio = inverse latency ratio.
        samples = {True: [], False: []}
        for _ in range(RUNS * 10):
            for counting in (True, False):
                settings.COUNT_READS = counting
                start = time.perf_counter()
                client.get(url)
                samples[counting].append(time.perf_counter() - start)
        ratio = statistics.median(samples[False]) / statistics.median(samples[True])
        print(
            f"Published page, throughput with read counting on / off: {ratio:.3f} (target >= 0.95)"
        )


if __name__ == "__main__":
    main()
