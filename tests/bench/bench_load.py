"""Load benchmark: what a visitor gets from the portal as production runs it.

Printed, not asserted. What it does:

1. A fresh PostgreSQL database with the demo region plus volume: 2,000
   published pages, 2,000 schools, 50,000 cases; Redis as the shared cache;
   the static files collected (tests/bench/common.py).
2. Production as shipped: bin/serve (granian) with its default workers (one
   per CPU) behind nginx running deploy/nginx.conf (tests/bench/proxy.py),
   on loopback; wrk (Debian's package) drives it. Nothing is pinned: the
   server, the proxy, PostgreSQL and wrk share the machine's cores.
3. Every answer is checked (tests/bench/load.lua): a status outside 2xx, or a
   body without the text that page must show, is an error, whatever its speed.
4. Two ratios of the highest throughput, each pair measured in turns (the
   machine's speed drifts over a run):
   - through the proxy, the information page from the proxy's cache against
     a static file of the same bytes that nginx reads from disk;
   - the app alone (no proxy), the information page made fresh against a
     constant view of the same size through all middleware (tests/bench/urls.py).
5. Latency at 70 % of the highest throughput (a fixed rate for 30 s) of what
   is never kept, through the proxy: the question form (2,000 schools),
   submitting a question and the staff inbox (50,000 cases). Each submit is
   what a browser posts: the form of a page one visitor loaded (in the
   question form's runs), with that visitor's CSRF cookie, csrfmiddlewaretoken
   and submission_token (tests/bench/browser.py), and must be a stored question.
6. The weight of each public page as the proxy sends it: compressed HTML,
   CSS and JavaScript.

Each row also says how much of the machine's CPU time went elsewhere while it
ran (from /proc): steal, given by the host to other virtual machines, and
others, taken by processes on this machine that are not the benchmark's
(server, proxy, wrk and the PostgreSQL backends of its database). A figure
measured while either is high is partly waiting for a CPU.

Run it with `bin/bench load`. Knobs: BENCH_SECONDS (per run at the most,
default 10), BENCH_STEADY_SECONDS (per run at the fixed rate, default 30),
BENCH_CONNECTIONS (default 16), BENCH_ROUNDS (of each ratio, default 3);
BENCH_WEB_CONCURRENCY and BENCH_WEB_THREADS run bin/serve with other than its
default workers and threads (to compare them).
"""

import gzip
import html
import io
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from common import bench_database
from volume import add_cases, add_pages, add_schools

from tests.bench.browser import Browser, form_fields, multipart
from tests.bench.proxy import Proxy
from tests.servers import Portal, clean_env, with_puzzle_solved

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# The fixed-rate run is longer: its p95 rests on the slowest 5 % of requests,
# which in 10 s may all come from one hiccup of the machine.
STEADY_SECONDS = int(os.environ.get("BENCH_STEADY_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
STEADY_SHARE = 0.7
PAGES, SCHOOLS, CASES = 2000, 2000, 50000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LUA = Path(__file__).with_name("load.lua")


def hidden_inputs(page: str) -> list[tuple[str, str]]:
    """The hidden inputs of a page as load.lua reads them from each question form it loads."""
    found = []
    for tag in re.findall(r'<input type="hidden"[^>]*>', page):
        name, value = re.search(r' name="([^"]*)"', tag), re.search(r' value="([^"]*)"', tag)
        if name:
            found.append((name.group(1), html.unescape(value.group(1)) if value else ""))
    return found


QUESTION = "Mijn zoon krijgt geen extra hulp meer. Wat kan ik doen?"
RECEIPT = 'id="return-code"'
FORM = 'name="submission_token"'


# This benchmark's own processes (the server, the proxy); with their children.
OURS: set[int] = set()


def _ticks() -> tuple[list[int], int] | None:
    """The machine's CPU time counters and the CPU time of this benchmark's processes
    (server, proxy, wrk, the PostgreSQL backends of its database), in clock ticks."""
    try:
        with open("/proc/stat") as stat:
            machine = [int(n) for n in stat.readline().split()[1:9]]
        parents, ticks = {}, {}
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            parents[int(entry)] = int(fields[1])
            ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, ValueError):
        return None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        tree = OURS | {pid for (pid,) in cursor.fetchall()}
    while more := {pid for pid, parent in parents.items() if parent in tree} - tree:
        tree |= more
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it ended
    ours = sum(ticks.get(pid, 0) for pid in tree)
    ours += round((children.ru_utime + children.ru_stime) * os.sysconf("SC_CLK_TCK"))
    return machine, ours


def shares(before, after) -> tuple[float | None, float | None]:
    """Of the machine's CPU time in between: the host's steal (given to other virtual
    machines), and what other processes on this machine took (not this benchmark)."""
    if not before or not after:
        return None, None
    spent = [b - a for a, b in zip(before[0], after[0], strict=True)]
    total = sum(spent)  # user nice system idle iowait irq softirq steal
    if not total:
        return None, None
    busy = total - spent[3] - spent[4] - spent[7]
    return spent[7] / total, max(0, busy - (after[1] - before[1])) / total


def percent(share: float | None) -> str:
    return "" if share is None else f"{share:6.0%}"


def wrk(
    url: str,
    paths: list[str],
    *,
    marker: str,
    rate: int = 0,
    seconds: int = SECONDS,
    cookie: str = "-",
    requests: Path | None = None,
    capture: Path | None = None,
) -> dict:
    command = [
        *("wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s"),
        *("-s", str(LUA), url, "--", str(rate), "|".join(paths), cookie, marker),
        str(requests or "-"),
        str(capture or "-"),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    result["errors"] = result["bad_status"] + result["bad_body"] + result["socket_errors"]
    return result


class Submissions:
    """Prepared posts of the question form, one per page a visitor loaded.

    load.lua wrote each form page's csrftoken cookie and hidden inputs to
    ``captured`` (in the question form's runs, and in more untimed loads when
    those are not enough); each post is the form as a browser sends it (the
    fields of a form page loaded the same way) with that page's values. Every
    run gets forms no run used before.
    """

    def __init__(self, url: str, captured: Path, folder: Path, form_rps: float):
        template = Browser(url).get("/vraag/").text
        form = form_fields(template, "vraagformulier")
        self.action = form.action or "/vraag/"
        self.fields = form.filled(question=QUESTION)
        self.hidden_at = form.hidden_at
        on_page = hidden_inputs(template)
        self.names = [name for name, _ in on_page]
        # Where each hidden input of the form is among those load.lua saw.
        self.positions, start = [], 0
        for index in self.hidden_at:
            pos = on_page.index(self.fields[index], start)  # ValueError: load.lua misses it
            self.positions.append(pos)
            start = pos + 1
        self.url, self.captured, self.folder, self.form_rps = url, captured, folder, form_rps
        self.lines = captured.read_text().splitlines()
        self.used = 0

    def __len__(self) -> int:
        return max(0, len(self.lines) - self.used)

    def top_up(self, needed: int) -> None:
        """Load more forms, untimed, until ``needed`` are there that no run used."""
        self.used = min(self.used, len(self.lines))  # past the end: forms never loaded
        while len(self) < needed:
            seconds = math.ceil((needed - len(self)) / self.form_rps * 1.2)
            wrk(self.url, ["/vraag/"], marker=FORM, seconds=seconds, capture=self.captured)
            self.lines = self.captured.read_text().splitlines()

    def file_for_run(self, count: int) -> Path:
        self.top_up(count)
        path = self.folder / f"posts-{self.used}.txt"
        with path.open("wb") as out:
            for line in self.lines[self.used : self.used + count]:
                cookie, *pairs = line.split("\t")
                values = [pair.split("=", 1) for pair in pairs]
                if not cookie or [name for name, _ in values] != self.names:
                    raise AssertionError(f"a question form unlike the others: {line[:200]}")
                fields = list(self.fields)
                for index, pos in zip(self.hidden_at, self.positions, strict=True):
                    fields[index] = (fields[index][0], html.unescape(values[pos][1]))
                # Solved as the page's script does (steunpunt/puzzle.py).
                content_type, body = multipart(with_puzzle_solved(fields))
                out.write(f"{self.action}\n{cookie}\n{content_type}\n{len(body)}\n".encode())
                out.write(body)
        return path

    def sent(self, result: dict) -> None:
        # Requests still open when wrk stopped were sent too (and may be stored).
        self.used += result["requests"] + 2 * CONNECTIONS


@dataclass
class Row:
    name: str
    peak_rps: float
    rate: int
    p50: float
    p95: float
    p99: float
    errors: int
    steal: float | None
    others: float | None
    answers: int  # good answers in both runs


def measure(
    name: str,
    url: str,
    paths: list[str],
    *,
    marker: str,
    submissions: Submissions | None = None,
    **options,
) -> Row:
    """The highest throughput, then latency at a fixed 70 % of it."""
    before = _ticks()

    def run(rate: int, seconds: int, forms: int) -> dict:
        if submissions is not None:
            options["requests"] = submissions.file_for_run(forms + 2 * CONNECTIONS)
        result = wrk(url, paths, marker=marker, rate=rate, seconds=seconds, **options)
        if submissions is not None:
            submissions.sent(result)
        return result

    peak = run(0, SECONDS, len(submissions or ()))
    discarded = []
    while peak["reused"]:  # more submits than forms loaded: again, with enough of them
        print(f"{'':<36}(forms ran out at {peak['rps']:.0f} submits/s: again with more)")
        discarded.append(peak)
        peak = run(0, SECONDS, int(peak["rps"] * SECONDS * 2))
    rate = max(1, int(peak["rps"] * STEADY_SHARE))
    steady = run(rate, STEADY_SECONDS, rate * STEADY_SECONDS)
    steal, others = shares(before, _ticks())
    row = Row(
        name,
        peak["rps"],
        rate,
        steady["p50"],
        steady["p95"],
        steady["p99"],
        peak["errors"] + steady["errors"],
        steal,
        others,
        # Receipts of the discarded runs too: their questions were stored.
        sum(r["requests"] - r["bad_status"] - r["bad_body"] for r in (*discarded, peak, steady)),
    )
    print(
        f"{row.name:<34} {row.peak_rps:8.0f} {row.rate:7d} {row.p50:7.1f} {row.p95:7.1f} "
        f"{row.p99:7.1f} {row.errors:7d} {percent(steal):>7} {percent(others):>7}",
        flush=True,
    )
    for run, result in (("max", peak), ("70%", steady)):
        if result["errors"]:
            print(
                f"{'':<36}{run}: status {result['bad_status']}, without the page's text "
                f"{result['bad_body']} (forms ran out {result['reused']} times), "
                f"socket {result['socket_errors']}"
            )
    return row


def in_turns(
    name: str, url: str, measured: tuple[str, str], markers: tuple[str, str]
) -> tuple[float, float, int]:
    """Highest throughput of two paths, in turns for ROUNDS rounds: (mean, mean, errors)."""
    before = _ticks()
    totals, errors, answers, hits = [0.0, 0.0], 0, [0, 0], [0, 0]
    for _ in range(ROUNDS):
        for n, (path, marker) in enumerate(zip(measured, markers, strict=True)):
            result = wrk(url, [path], marker=marker)
            totals[n] += result["rps"]
            errors += result["errors"]
            answers[n] += result["requests"]
            hits[n] += result["hits"]
    steal, others = shares(before, _ticks())
    means = [total / ROUNDS for total in totals]
    # What the proxy answered from its cache (X-Cache-Status: HIT), of the first path.
    cached = f"{hits[0] / answers[0]:6.1%}" if hits[0] else "-"
    print(
        f"{name:<34} {means[0]:8.0f} {means[1]:8.0f} {means[0] / means[1]:8.2f} {errors:8d} "
        f"{percent(steal):>8} {percent(others):>8} {cached:>8}",
        flush=True,
    )
    return means[0], means[1], errors


def prepare_data() -> tuple[str, str]:
    """Demo region plus volume; the information page's path and its title."""
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
    return topic.get_absolute_url(), topic.title


def page_bytes(path: str) -> int:
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(response.content)


def staff_cookie(url: str) -> str:
    """A staff member past both login steps, through the proxy: the Cookie header."""
    from django_otp.oath import TOTP

    from steunpunt.management.commands.load_demo import DEMO_PASSWORD, demo_totp_key

    staff = Browser(url)
    staff.get("/account/login/")
    staff.submit(username="medewerker", password=DEMO_PASSWORD)
    staff.get("/account/tweestaps/")
    key = bytes.fromhex(demo_totp_key("medewerker"))
    verified = staff.submit(token=f"{TOTP(key).token():06d}")
    assert verified.status == 302, "the staff login did not pass the second step"
    return f"sessionid={staff.cookie('sessionid')}; csrftoken={staff.cookie('csrftoken')}"


STYLESHEET = r'<link rel="stylesheet" href="([^"]+)"'
SCRIPT = r'<script src="([^"]+)"'


def kilobytes(url: str) -> tuple[float, bytes]:
    """Kilobytes on the wire as a browser gets them, and the body unpacked."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        raw = response.read()
        encoding = response.headers.get("Content-Encoding")
    return len(raw) / 1024, gzip.decompress(raw) if encoding == "gzip" else raw


def weigh(url: str, paths: list[str]) -> int:
    """Print each page's weight; the number of pages that did not answer 200."""
    print(f"\n{'page weight (compressed)':<34} {'HTML':>7} {'CSS':>7} {'JS':>7} {'total':>7}")
    worst_total = worst_js = 0.0
    failed = 0
    for path in paths:
        try:
            html_kb, page = kilobytes(url + path)
        except urllib.error.HTTPError as error:
            print(f"{path:<34} status {error.code}: not weighed")
            failed += 1
            continue
        text = page.decode()
        css_kb = sum(kilobytes(url + href)[0] for href in re.findall(STYLESHEET, text))
        js_kb = sum(kilobytes(url + src)[0] for src in re.findall(SCRIPT, text))
        total = html_kb + css_kb + js_kb
        worst_total, worst_js = max(worst_total, total), max(worst_js, js_kb)
        print(f"{path:<34} {html_kb:6.1f}K {css_kb:6.1f}K {js_kb:6.1f}K {total:6.1f}K")
    print(
        f"Heaviest page {worst_total:.1f} KB (budget 150 KB), "
        f"most JavaScript {worst_js:.1f} KB (budget 30 KB)"
    )
    return failed


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (bin/bench does this as root)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    # bin/serve's default: one worker per CPU
    workers = int(os.environ.get("BENCH_WEB_CONCURRENCY", os.cpu_count() or 1))
    with bench_database("load") as db_name, tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        info_page, title = prepare_data()
        title_marker = f"<h1>{html.escape(title)}</h1>"
        from steunen.models import Case

        env = clean_env(
            DATABASE_URL=os.environ["DATABASE_URL"],
            DJANGO_SETTINGS_MODULE="tests.bench.settings",
            # The key the demo's secrets (second-factor keys, case texts) were sealed with.
            SECRET_KEY=os.environ["SECRET_KEY"],
            REDIS_URL=REDIS_URL,
            TASKS_BACKEND="database",
            # Every submit must be a stored question, not "too many questions".
            QUESTIONS_PER_HOUR="1000000000",
            # The senders' puzzle small: this times the portal, which checks any
            # puzzle with one hash, not the visitors' browsers solving it.
            PUZZLE_BITS="4",
            LOG_LEVEL="WARNING",
            # As behind deploy/nginx.conf in production.
            BEHIND_TLS_PROXY="1",
            TRUSTED_PROXIES="1",
        )
        if "BENCH_WEB_THREADS" in os.environ:
            env["WEB_THREADS"] = os.environ["BENCH_WEB_THREADS"]
        env["BENCH_PAGE_BYTES"] = str(page_bytes(info_page))  # the constant view's size
        static = "/bench/page.html"  # the information page's bytes, from disk
        extra = f"    location = {static} {{ alias {{base}}/page.html; }}\n"
        with (
            Portal(env, workers=workers) as portal,
            Proxy(f"127.0.0.1:{portal.port}", workers="auto", extra=extra) as proxy,
        ):
            with urllib.request.urlopen(portal.url + info_page) as response:
                page = response.read()
            (proxy.base / "page.html").write_bytes(page)
            (proxy.base / "page.html").chmod(0o644)
            OURS.update({portal.process.pid, proxy.process.pid})
            print(
                f"bin/serve with {workers} workers, {env.get('WEB_THREADS', 4)} threads each, "
                "behind nginx (deploy/nginx.conf, "
                f"worker_processes auto), wrk with {CONNECTIONS} connections, {SECONDS} s at "
                f"the most, {STEADY_SECONDS} s at the fixed rate; nothing pinned; "
                f"database {db_name}"
            )
            print(f"Information page {info_page}: {len(page)} bytes of HTML\n")

            columns = ("req/s", "req/s", "ratio", "errors", "steal", "others", "hits")
            print(f"{'ratio (max, in turns)':<34} " + " ".join(f"{c:>8}" for c in columns))
            cached, from_disk, errors = in_turns(
                "proxy: cached page / static file",
                proxy.url,
                (info_page, static),
                (title_marker, title_marker),
            )
            fresh, constant, more = in_turns(
                "app alone: page / constant view",
                portal.url,
                (info_page, "/bench/constant/"),
                (title_marker, "xxxxxxxxxx"),
            )
            errors += more

            print()
            columns = ("req/s", "@70%", "p50", "p95", "p99", "errors", "steal", "others")
            print(
                f"{'through the proxy':<34} {columns[0]:>8} "
                + " ".join(f"{c:>7}" for c in columns[1:])
            )
            print(" " * 35 + "(max)   (rate)   (ms, at the fixed rate)          (host) (others)")
            captured = folder / "forms.txt"
            rows = {
                "ask": measure(
                    "question form (2,000 schools)",
                    proxy.url,
                    ["/vraag/"],
                    marker=FORM,
                    capture=captured,
                )
            }
            submissions = Submissions(proxy.url, captured, folder, rows["ask"].peak_rps)
            print(f"{'':<36}forms loaded for the submits: {len(submissions)}")
            stored_before = Case.objects.count()
            rows["submit"] = measure(
                "submit a question",
                proxy.url,
                ["/vraag/"],
                marker=RECEIPT,
                submissions=submissions,
            )
            stored = Case.objects.count() - stored_before
            receipts = rows["submit"].answers
            # A request still open when a run ends is stored but not counted,
            # so up to 2 x CONNECTIONS more may be stored than counted.
            print(f"{'':<36}receipts counted: {receipts}, questions stored: {stored}")
            rows["inbox"] = measure(
                "staff inbox (50,000 cases)",
                proxy.url,
                ["/medewerkers/vragen/", "/medewerkers/vragen/?status=nieuw"],
                marker="<h1>Vragen</h1>",
                cookie=staff_cookie(proxy.url),
            )
            errors += sum(row.errors for row in rows.values())
            errors += weigh(
                proxy.url,
                [
                    "/",
                    "/informatie/",
                    info_page,
                    "/zoeken/?q=aanmelden",
                    "/scholen/",
                    "/organisaties/",
                    "/bijeenkomsten/",
                    "/checklists/",
                    "/begrippen/",
                    "/vraag/",
                    "/vraag/terug/",
                ],
            )

        every_submit_stored = rows["submit"].errors == 0 and stored >= receipts > 0
        print("\nTargets:")
        for label, value, target, met in (
            ("proxy: cached page / static file", cached / from_disk, ">= 0.5", None),
            ("app alone: page / constant view", fresh / constant, ">= 0.4", None),
            ("question form, p95 ms at 70 %", rows["ask"].p95, "< 50", None),
            ("submit a question, p95 ms at 70 %", rows["submit"].p95, "< 50", None),
            ("staff inbox, p95 ms at 70 %", rows["inbox"].p95, "< 100", None),
            ("errors in all runs", errors, "0", errors == 0),
        ):
            if met is None:
                bound = float(target.split()[1])
                met = value >= bound if target.startswith(">=") else value < bound
            print(f"  {label:<34} {value:8.2f}  (target {target}: {verdict(met)})")
        print(
            f"  {'every submit a stored question':<34} {verdict(every_submit_stored):>8}  "
            f"({receipts} receipts, {stored} stored)"
        )


if __name__ == "__main__":
    main()
