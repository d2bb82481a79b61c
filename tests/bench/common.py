"""Shared pieces of the benchmarks: a throwaway PostgreSQL database and timing."""

import os
import secrets
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
RUNS = int(os.environ.get("BENCH_RUNS", "60"))


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def bench_database(name: str):
    """A fresh, migrated database; dropped afterwards unless BENCH_KEEP is set."""
    db_name = f"steunpunt_bench_{name}_{os.getpid()}"
    admin(f'CREATE DATABASE "{db_name}"')
    try:
        os.environ["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + f"/{db_name}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steunpunt.settings")
        os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
        os.environ["SECURE_SSL_REDIRECT"] = "0"
        os.environ.setdefault("ALLOW_DERIVED_FIELD_KEY", "1")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()  # locmem mail, 'testserver' allowed
        call_command("migrate", verbosity=0)
        # Pages name their CSS and JavaScript by the manifest: a fresh clone has none.
        call_command("collectstatic", interactive=False, verbosity=0)
        yield db_name
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP"):
            print(f"Kept database {db_name}")
        else:
            admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(fn, runs: int = RUNS) -> list[float]:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> float:
    p95 = percentile(samples, 95)
    print(f"{name:<44} {statistics.median(samples):8.1f} {p95:8.1f}")
    return p95
