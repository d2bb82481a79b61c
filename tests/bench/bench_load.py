"""Load benchmark: the portal as production runs it, under a real load generator.

Printed, not asserted. What it does:

1. A fresh PostgreSQL database with the demo region plus volume: 2,000
   published pages, 2,000 schools, 50,000 cases. Redis as the shared cache.
2. The production server, bin/serve (granian, DEBUG off, whitenoise), on
   loopback, pinned to CPU 0; wrk (Debian's package) pinned to CPU 1.
3. Per endpoint: the highest throughput wrk reaches, then latency at a fixed
   rate of 70 % of that (tests/bench/load.lua paces the requests).
   Each row also says how much CPU time the host gave to other machines
   during it (steal, from /proc/stat): a p95 measured while that is high is
   partly waiting for the host. And the longest pause of the server's garbage
   collector in the fixed-rate run (tests/bench/collector.py): no request is
   answered during one. And how busy the server was in the fixed-rate run
   (its CPU time over the run's length, per worker): about 70 % is expected.
   Near 100 % it had no headroom left at that rate, because the machine ran
   slower than in the run that set the rate or because requests at a steady
   pace cost it more CPU each than back to back (seen here: 10-30 % more),
   and the p95 is then mostly the queue that follows.
4. Two references from the same server in the same run: a static file as
   large as the information page (the physical limit) and a view returning a
   constant response of that size through all middleware (the framework).
   The uncached information page comes from the same server restarted with
   the page cache off; its ratio to the constant view is taken from runs of
   the two in turns on that server (the machine's speed drifts over the
   many minutes of a whole run).
5. The weight of each public page as a browser loads it: compressed HTML,
   CSS and JavaScript.
6. The choice of server: granian against gunicorn (tests/bench/gunicorn_conf.py)
   on the same views.

Run it with `bin/bench load` (or `bin/bench` for every benchmark).
Knobs: BENCH_SECONDS (per run at the most, default 10), BENCH_STEADY_SECONDS
(per run at the fixed rate, default 30), BENCH_WORKERS (default 1),
BENCH_CONNECTIONS (default 16), BENCH_SERVER (granian or gunicorn),
BENCH_COMPARE_SERVERS (0 to skip 6.).
"""

import gzip
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from common import bench_database
from volume import add_cases, add_pages, add_schools

from tests.servers import Portal, Visitor, clean_env

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# The fixed-rate run is longer: its p95 rests on the slowest 5 % of requests,
# which in 10 s may all come from one hiccup of the machine.
STEADY_SECONDS = int(os.environ.get("BENCH_STEADY_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
SERVER = os.environ.get("BENCH_SERVER", "granian")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
STEADY_SHARE = 0.7
PAGES, SCHOOLS, CASES = 2000, 2000, 50000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LUA = Path(__file__).with_name("load.lua")
TWO_CORES = (os.cpu_count() or 1) >= 2
SERVER_CPU, LOAD_CPU = ("0", "1") if TWO_CORES else (None, None)


@dataclass
class Row:
    name: str
    peak_rps: float
    rate: int
    p50: float
    p95: float
    p99: float
    errors: int
    steal: float | None  # share of CPU time the host gave to other machines meanwhile
    gc_ms: float | None  # the garbage collector's longest pause in the fixed-rate run
    requests: int  # answered in both runs
    busy: float | None  # share of one core the server used in the fixed-rate run


def cpu_times() -> list[int] | None:
    """The machine's CPU time counters (Linux /proc/stat), or None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            return [int(n) for n in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def process_tree_ticks(root: int) -> int | None:
    """CPU time (clock ticks) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    try:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            parents[int(entry)] = int(fields[1])
            ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
    except OSError:
        return None
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(ticks.get(pid, 0) for pid in tree) if root in ticks else None


def steal_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """How much of the CPU time in between a virtual machine's host gave to others."""
    if not before or not after or len(before) < 8:
        return None
    spent = [b - a for a, b in zip(before, after, strict=False)]
    total = sum(spent[:8])  # user nice system idle iowait irq softirq steal
    return spent[7] / total if total else None


_runs = itertools.count(1)


def wrk(
    base_url: str,
    paths: list[str],
    *,
    rate: int = 0,
    seconds: int = SECONDS,
    cookie: str = "-",
    form: str = "-",
):
    if form != "-":
        # Unique across runs too: a token sent before gets the cheap "already
        # received" page instead of a new question (load.lua numbers per run).
        form = form.replace("{n}", f"{os.getpid()}-{next(_runs)}-{{n}}")
    command = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        base_url,
        "--",
        str(rate),
        "|".join(paths),
        cookie,
        form,
    ]
    if LOAD_CPU:
        command = ["taskset", "-c", LOAD_CPU, *command]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    # wrk's own words about errors: "Non-2xx or 3xx responses", "Socket errors".
    result["detail"] = "; ".join(
        line.strip() for line in output.splitlines() if "errors" in line or "Non-2xx" in line
    )
    return result


def gc_pauses(portal: Portal) -> dict | None:
    """The server's garbage collector pauses since the last ask (tests/bench/collector.py).

    With several workers this is the one worker that answered.
    """
    try:
        with urllib.request.urlopen(portal.url + "/bench/gc/", timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


def measure(name: str, portal: Portal, paths: list[str], **options) -> Row:
    before = cpu_times()
    peak = wrk(portal.url, paths, **options)
    rate = max(1, int(peak["rps"] * STEADY_SHARE))
    gc_pauses(portal)  # count from here
    server_before, started = process_tree_ticks(portal.process.pid), time.monotonic()
    steady = wrk(portal.url, paths, rate=rate, seconds=STEADY_SECONDS, **options)
    server_after, elapsed = process_tree_ticks(portal.process.pid), time.monotonic() - started
    pauses = gc_pauses(portal)
    busy = None
    if server_before is not None and server_after is not None:
        busy = (server_after - server_before) / os.sysconf("SC_CLK_TCK") / elapsed / WORKERS
    steal = steal_share(before, cpu_times())
    errors = peak["status_errors"] + peak["socket_errors"]
    errors += steady["status_errors"] + steady["socket_errors"]
    gc_ms = pauses["longest_ms"] if pauses else None
    answered = peak["requests"] + steady["requests"]
    row = Row(
        name,
        peak["rps"],
        rate,
        steady["p50"],
        steady["p95"],
        steady["p99"],
        errors,
        steal,
        gc_ms,
        answered,
        busy,
    )
    print(
        f"{row.name:<34} {row.peak_rps:8.0f} {row.rate:7d} {row.p50:7.1f} {row.p95:7.1f} "
        f"{row.p99:7.1f} {row.errors:7d} {'' if steal is None else f'{steal:6.0%}':>7} "
        f"{'' if gc_ms is None else f'{gc_ms:6.1f}':>7} "
        f"{'' if busy is None else f'{busy:6.0%}':>7}",
        flush=True,
    )
    for run, result in (("max", peak), ("70%", steady)):
        if result["status_errors"] or result["socket_errors"]:
            print(f"{'':<36}{run}: {result['detail']}")
    return row


def in_turns(portal: Portal, path: str, reference: str, rounds: int = 3) -> tuple[float, float]:
    """Highest throughput of ``path`` and ``reference``, measured in turns; summed over rounds."""
    totals = {path: 0.0, reference: 0.0}
    for _ in range(rounds):
        for measured in totals:
            totals[measured] += wrk(portal.url, [measured])["rps"]
    print(
        f"{'  in turns (uncached, constant)':<34} {totals[path] / rounds:8.0f} "
        f"{totals[reference] / rounds:7.0f}  (req/s, mean of {rounds} rounds each)"
    )
    return totals[path], totals[reference]


def prepare_data() -> tuple[str, int]:
    """Demo region plus volume; returns the information page's path and a school's pk."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    from informeren.models import School, Topic

    started = time.perf_counter()
    call_command("load_demo", force=True, verbosity=0, stdout=io.StringIO())
    add_pages(PAGES)
    add_schools(SCHOOLS)
    add_cases(CASES)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # Write the bulk load out now, not in a checkpoint halfway through the runs
        # (needs a superuser or pg_checkpoint; without it the runs just may meet one).
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError:
            print("No CHECKPOINT allowed for this database user: a checkpoint may fall in a run")
    print(
        f"Data: {Topic.objects.published().count()} published pages, "
        f"{School.objects.count()} schools, {CASES} generated cases "
        f"({time.perf_counter() - started:.0f} s)"
    )
    # A real page of the demo, with a regional supplement.
    topic = Topic.objects.published().exclude(slug__startswith="pagina-").order_by("position")[0]
    school = School.objects.filter(brin__startswith="99").order_by("pk")[0]
    return topic.get_absolute_url(), school.pk


def page_bytes(path: str) -> int:
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(response.content)


def static_copy(size: int) -> str:
    """A static file of ``size`` bytes, served by whitenoise like the site's CSS."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    folder = Path(settings.STATIC_ROOT) / "bench"
    folder.mkdir(exist_ok=True)
    (folder / "page.html").write_bytes(b"x" * size)
    return settings.STATIC_URL + "bench/page.html"


def staff_cookie(portal: Portal) -> str:
    from django_otp.oath import TOTP

    from steunpunt.management.commands.load_demo import DEMO_PASSWORD, demo_totp_key

    staff = Visitor(portal.url)
    staff.get("/account/login/")
    staff.post("/account/login/", {"username": "medewerker", "password": DEMO_PASSWORD})
    staff.get("/account/tweestaps/")  # Visitor submits the form of the page it shows
    key = bytes.fromhex(demo_totp_key("medewerker"))
    verified = staff.post("/account/tweestaps/", {"token": f"{TOTP(key).token():06d}"})
    assert verified.status == 302, "the staff login did not pass the second step"
    return f"sessionid={staff.cookie('sessionid')}; csrftoken={staff.cookie('csrftoken')}"


def question_form(portal: Portal) -> tuple[str, str]:
    parent = Visitor(portal.url)
    parent.get("/vraag/")
    token = parent.cookie("csrftoken")
    body = (
        f"csrfmiddlewaretoken={token}&submission_token=bench-{{n}}&asker_type=ouder"
        "&question=Mijn+zoon+krijgt+geen+extra+hulp+meer.+Wat+kan+ik+doen%3F"
        "&contact_preference=geen"
    )
    return f"csrftoken={token}", body


STYLESHEET = r'<link rel="stylesheet" href="([^"]+)"'
SCRIPT = r'<script src="([^"]+)"'


def asset_kb(portal: Portal, path: str) -> float:
    """Kilobytes on the wire: whitenoise sends the Brotli or gzip copy it made."""
    request = urllib.request.Request(portal.url + path, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        return len(response.read()) / 1024


def weigh(portal: Portal, paths: list[str]) -> None:
    print(f"\n{'page weight (compressed)':<34} {'HTML':>7} {'CSS':>7} {'JS':>7} {'total':>7}")
    worst_total = worst_js = 0.0
    for path in paths:
        request = urllib.request.Request(portal.url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            raw = response.read()
            sent_compressed = response.headers.get("Content-Encoding") == "gzip"
        html = raw if not sent_compressed else gzip.decompress(raw)
        # The portal leaves compressing HTML to the proxy in front (see README):
        # count what that proxy sends, gzip at level 6.
        html_kb = len(raw if sent_compressed else gzip.compress(html, 6)) / 1024
        page = html.decode()
        css_kb = sum(asset_kb(portal, href) for href in re.findall(STYLESHEET, page))
        js_kb = sum(asset_kb(portal, src) for src in re.findall(SCRIPT, page))
        total = html_kb + css_kb + js_kb
        worst_total, worst_js = max(worst_total, total), max(worst_js, js_kb)
        print(f"{path:<34} {html_kb:6.1f}K {css_kb:6.1f}K {js_kb:6.1f}K {total:6.1f}K")
    print(
        f"Heaviest page {worst_total:.1f} KB (budget 150 KB), "
        f"most JavaScript {worst_js:.1f} KB (budget 30 KB)"
    )


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    met = value >= target if higher_is_better else value < target
    return "met" if met else "NOT MET"


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (bin/bench does this as root)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with bench_database("load") as db_name:
        info_page, school_pk = prepare_data()
        from steunen.models import Case

        size = page_bytes(info_page)
        static_file = static_copy(size)
        env = clean_env(
            DATABASE_URL=os.environ["DATABASE_URL"],
            DJANGO_SETTINGS_MODULE="tests.bench.settings",
            BENCH_PAGE_BYTES=str(size),
            REDIS_URL=REDIS_URL,
            TASKS_BACKEND="database",
            QUESTIONS_PER_HOUR="1000000000",
            LOG_LEVEL="WARNING",
        )
        print(
            f"Server: {SERVER}, {WORKERS} workers on CPU {SERVER_CPU}; wrk on CPU {LOAD_CPU}, "
            f"{CONNECTIONS} connections, {SECONDS} s at the most, {STEADY_SECONDS} s at the fixed "
            "rate; PostgreSQL and Redis unpinned; "
            f"database {db_name}"
        )
        print(f"Information page {info_page}: {size} bytes of HTML\n")
        columns = ("req/s", "@70%", "p50", "p95", "p99", "errors", "steal", "gc", "busy")
        print(f"{'endpoint':<34} {columns[0]:>8} " + " ".join(f"{c:>7}" for c in columns[1:]))
        print(
            " " * 35 + "(max)   (rate)   (ms, at the fixed rate)          (host) (ms, max) (server)"
        )
        rows: dict[str, Row] = {}
        with Portal(env, workers=WORKERS, cpus=SERVER_CPU, server=SERVER) as portal:
            cookie, form = question_form(portal)
            staff = staff_cookie(portal)
            rows["static"] = measure("static file (same size)", portal, [static_file])
            rows["constant"] = measure("constant view (framework)", portal, ["/bench/constant/"])
            rows["home"] = measure("home page", portal, ["/"])
            rows["cached"] = measure("information page, cached", portal, [info_page])
            rows["search"] = measure(
                "search",
                portal,
                [
                    "/zoeken/?q=aanmelden",
                    "/zoeken/?q=thuiszitten",
                    "/zoeken/?q=zorgplicht+scholen",
                    "/zoeken/?q=ontwikkelingsperspectief",
                    "/zoeken/?q=geschil",
                ],
            )
            rows["finder"] = measure(
                "school finder",
                portal,
                [
                    "/scholen/?gemeente=Gemeente+3",
                    "/scholen/?gemeente=Gemeente+7&ondersteuning=autisme",
                    "/scholen/?soort=bao&toegankelijk=lift",
                    "/scholen/?pagina=12",
                    "/scholen/",
                ],
            )
            rows["school"] = measure("school page", portal, [f"/scholen/{school_pk}/"])
            rows["ask"] = measure("question form (2,000 schools)", portal, ["/vraag/"])
            stored_before = Case.objects.count()
            rows["submit"] = measure(
                "submit a question", portal, ["/vraag/"], cookie=cookie, form=form
            )
            # Every answer must be a new question, not the page for one sent twice.
            stored = Case.objects.count() - stored_before
            # wrk counts answers; a request still open when a run ends is stored
            # but not counted, so up to 2 x CONNECTIONS more may be stored.
            print(f"{'':<36}questions stored: {stored}, answers counted: {rows['submit'].requests}")
            rows["inbox"] = measure(
                "staff inbox (50,000 cases)",
                portal,
                ["/medewerkers/vragen/", "/medewerkers/vragen/?status=nieuw"],
                cookie=staff,
            )
            public_pages = [
                "/",
                "/informatie/",
                info_page,
                "/zoeken/?q=aanmelden",
                "/scholen/",
                f"/scholen/{school_pk}/",
                "/organisaties/",
                "/bijeenkomsten/",
                "/checklists/",
                "/begrippen/",
                "/vraag/",
                "/vraag/terug/",
            ]
        uncached_env = {**env, "PAGE_CACHE_SECONDS": "0"}
        with Portal(uncached_env, workers=WORKERS, cpus=SERVER_CPU, server=SERVER) as portal:
            rows["uncached"] = measure("information page, uncached", portal, [info_page])
            # For the ratio: the fresh page and the constant view in turns on this
            # same server, since the machine's speed drifts over a long run.
            fresh, framework = in_turns(portal, info_page, "/bench/constant/")
            weigh(portal, public_pages)

        static, constant = rows["static"].peak_rps, rows["constant"].peak_rps
        cached = rows["cached"].peak_rps
        print("\nRatios of throughput (targets from issue 8):")
        for label, value, target in (
            ("cached page / static file", cached / static, 0.5),
            ("cached page / constant view", cached / constant, 0.8),
            ("uncached page / constant view", fresh / framework, 0.4),
        ):
            print(f"  {label:<32} {value:5.2f}  (target >= {target}: {verdict(value, target)})")
        worst = max(rows.values(), key=lambda row: row.p95)
        errors = sum(row.errors for row in rows.values())
        print(
            f"  worst p95 at 70 %: {worst.p95:.1f} ms, {worst.name} "
            f"(target < 50 ms: {verdict(worst.p95, 50, higher_is_better=False)})"
        )
        print(f"  errors in all runs: {errors} (target 0: {verdict(-errors, 0)})")
        steals = [row.steal for row in rows.values() if row.steal is not None]
        if steals:
            # A virtual machine's host may hand CPU time to other machines: the
            # server then waits without working, which shows in the latencies.
            print(
                f"  CPU time the host gave to other machines (steal): "
                f"{sum(steals) / len(steals):.0%} on average, up to {max(steals):.0%} in one row"
            )
        # At 70 % of the maximum the server should be busy about 70 % of the
        # time; near 100 % a queue builds (see the docstring for why).
        saturated = [row.name for row in rows.values() if row.busy is not None and row.busy >= 0.9]
        if saturated:
            print(
                "  server busy 90 % of the time or more at the fixed rate (no headroom left): "
                + ", ".join(saturated)
            )
        paused = [row for row in rows.values() if row.gc_ms is not None]
        if paused:
            longest = max(paused, key=lambda row: row.gc_ms or 0)
            print(
                f"  longest pause of the garbage collector at a fixed rate: "
                f"{longest.gc_ms:.1f} ms, {longest.name}"
            )

        if os.environ.get("BENCH_COMPARE_SERVERS", "1") == "1":
            compare_servers(env, static_file, info_page)


SERVERS = {
    "gunicorn sync": ("gunicorn", {}),
    "gunicorn gthread": ("gunicorn", {"WEB_WORKER_CLASS": "gthread", "WEB_THREADS": "4"}),
    "granian": ("granian", {}),
}


def compare_servers(env: dict[str, str], static_file: str, info_page: str) -> None:
    """The candidate servers with the same workers and CPU, highest throughput only."""
    try:
        import granian  # noqa: F401
    except ImportError:
        print("\n(granian not installed: no server comparison)")
        return
    print(f"\n{'server choice (req/s, max)':<34} " + " ".join(f"{n:>17}" for n in SERVERS))
    results = {}
    for name, (server, extra) in SERVERS.items():
        with Portal({**env, **extra}, workers=WORKERS, cpus=SERVER_CPU, server=server) as portal:
            results[name] = [
                wrk(portal.url, [path])["rps"]
                for path in (static_file, "/bench/constant/", info_page)
            ]
    for n, label in enumerate(("static file", "constant view", "information page, cached")):
        print(f"{label:<34} " + " ".join(f"{results[name][n]:17.0f}" for name in SERVERS))


if __name__ == "__main__":
    main()
