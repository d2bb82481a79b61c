"""Search over 2,000 published pages and the glossary on PostgreSQL (printed, not asserted).

Target: p95 under 50 ms per search request.
"""

import random
import time

from common import bench_database, report, timed

PAGES = 2000


def generate() -> None:
    from django.contrib.auth.models import User
    from django.db import connection

    from informeren import demo
    from informeren.models import Revision, RevisionStatus, Topic
    from informeren.rendering import plain_text
    from informeren.search import topic_vector

    author = User.objects.create(username="redacteur")
    validator = User.objects.create(username="validator")
    demo.load_content(author=author, validator=validator)  # 26 real pages + glossary
    sources = list(Revision.objects.filter(status=RevisionStatus.GEPUBLICEERD))
    rng = random.Random(11)
    topics = []
    for n in range(PAGES - len(sources)):
        source = rng.choice(sources)
        topics.append(
            Topic(
                slug=f"pagina-{n}",
                title=f"{source.title} ({n})",
                summary=source.summary,
                search_text=plain_text(source.national_ouders + "\n" + source.regional_ouders),
            )
        )
    created = Topic.objects.bulk_create(topics)
    revisions = Revision.objects.bulk_create(
        Revision(
            topic=topic,
            number=1,
            status=RevisionStatus.GEPUBLICEERD,
            title=topic.title,
            summary=topic.summary,
            national_ouders=topic.search_text,
        )
        for topic in created
    )
    for topic, revision in zip(created, revisions, strict=True):
        topic.published_revision = revision
    Topic.objects.bulk_update(created, ["published_revision"], batch_size=500)
    Topic.objects.update(search_vector=topic_vector())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    with bench_database("search"):
        from django.test import Client

        started = time.perf_counter()
        generate()
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
