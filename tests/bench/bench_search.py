"""Search over 2,000 published pages and the glossary on PostgreSQL (printed, not asserted).

Target: p95 under 50 ms per search request.
"""

import time

from common import bench_database, report, timed
from volume import add_pages

PAGES = 2000


def main() -> None:
    with bench_database("search"):
        from django.test import Client

        started = time.perf_counter()
        add_pages(PAGES)
        print(f"Generated {PAGES} published pages in {time.perf_counter() - started:.1f} s\n")
        client = Client()
        queries = [
            "aanmelden",
            "thuiszitten",
            "ontwikkelingsperspectief",
            "school kiezen",
            "geschil",
            "zorgplicht scholen",
            "onderwijsconsulent",
            "xyzzy",
        ]
        print(f"{'search /zoeken/?q=':<44} {'p50 ms':>8} {'p95 ms':>8}")
        worst = 0.0
        for query in queries:
            worst = max(
                worst, report(query, timed(lambda q=query: client.get("/zoeken/", {"q": q})))
            )
        print(f"\nWorst p95: {worst:.1f} ms  (target < 50 ms)")


if __name__ == "__main__":
    main()
