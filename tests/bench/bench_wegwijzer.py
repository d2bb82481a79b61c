"""The wegwijzer's result page with the demo region, 2,000 pages and 2,000 schools.

Printed, not asserted. Every audience x situation is answered (with a
gemeente, a school type and a route of the redactie), and a few without a
route, where the topics of the theme are looked up among 2,000 pages.
Target: p95 < 20 ms for the result page; the questions themselves too.
Set REDIS_URL to measure with the shared cache production uses (the
content version is looked up there on every page).
"""

from urllib.parse import urlencode

from common import bench_database, report, timed
from volume import add_pages, add_schools

PAGES = 2000
SCHOOLS = 2000


def main() -> None:
    with bench_database("wegwijzer"):
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from informeren.models import (
            Thema,
            Topic,
            WegwijzerAudience,
            WegwijzerRoute,
            WegwijzerSituation,
        )
        from steunpunt.cache import content_changed

        call_command("load_demo", "--force", verbosity=0)
        add_pages(PAGES)
        add_schools(SCHOOLS)
        # Every generated page in one theme: the fallback's hardest case.
        theme = Thema.objects.get(slug="niet-goed")
        theme.topics.add(*Topic.objects.filter(slug__startswith="pagina-"))
        # No route for "we disagree" (parents): the topics of the theme instead.
        WegwijzerRoute.objects.filter(audience="ouder", situation="oneens").delete()
        content_changed()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

        client = Client()

        def answered(wie: str, wat: str, school: str, gemeente: str) -> str:
            query = urlencode({"wie": wie, "wat": wat, "school": school, "gemeente": gemeente})
            return f"/wegwijzer/?{query}"

        def get(url: str, *, text: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, url
            assert text in response.text, url

        print(f"{'wegwijzer (demo + 2,000 pages, 2,000 schools)':<44} {'p50 ms':>8} {'p95 ms':>8}")
        results = [
            answered(wie, wat, school, "Lindewaarde")
            for wie in WegwijzerAudience.values
            for wat in WegwijzerSituation.values
            for school in ("vo" if wie != "kind" else "bao",)
        ]
        every = []
        for url in results:
            every += timed(lambda u=url: get(u, text='<h2 id="ww-lezen">'), runs=20)
        worst = report("result, all 15 audience x situation", every)
        worst = max(
            worst,
            report(
                "result, parent at home (route, gemeente)",
                timed(
                    lambda: get(answered("ouder", "thuis", "vo", "Lindewaarde"), text="Wijkteam")
                ),
            ),
            report(
                "result, no route (theme of 2,000 pages)",
                timed(lambda: get(answered("ouder", "oneens", "", ""), text="ww-lezen")),
            ),
            report(
                "result, no gemeente",
                timed(lambda: get(answered("jongere", "thuis", "", ""), text="Jongerenpanel")),
            ),
        )
        steps = {
            "question 1": ("/wegwijzer/", "Wie zoekt er hulp?"),
            "question 4 (29 gemeenten)": (
                "/wegwijzer/?wie=ouder&wat=thuis&school=vo",
                "In welke gemeente woont u?",
            ),
            "question 2, htmx": ("/wegwijzer/?wie=ouder", "Wat is er aan de hand?"),
        }
        for name, (url, text) in steps.items():
            headers = {"HX-Request": "true"} if "htmx" in name else {}
            worst = max(
                worst,
                report(name, timed(lambda u=url, t=text, h=headers: _check(client, u, t, h))),
            )
        print(f"Worst p95: {worst:.1f} ms  (target < 20 ms)")


def _check(client, url: str, text: str, headers: dict) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == 200 and text in response.text, url


if __name__ == "__main__":
    main()
