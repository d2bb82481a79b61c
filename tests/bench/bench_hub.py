"""The national hub under its regions: 150 regions pull the feed from one hub server.

Printed, not asserted. What it does:

1. A hub of its own (tests/servers.py: a private PostgreSQL cluster, Redis
   database 9, NATIONAL_HUB=1) with the demo content plus generated pages up
   to BENCH_HUB_PAGES published pages (default 200), served by bin/serve
   (granian, DEBUG off) on loopback with BENCH_HUB_WORKERS workers (default 2).
2. The first request builds the feed (once per content version); its cost is
   printed apart.
3. 150 simulated regions (threads, BENCH_HUB_PARALLEL at a time, default 10)
   each pull the whole feed and check its signature with the hub's public
   key, as ``informeren/subscription.py`` does; then each pulls again with the
   version it has (If-None-Match: 304, what an hourly pull costs when nothing
   changed).
4. The hub's cost per pull: wall time per request (median, p95) and the CPU
   time the hub's processes (the server and its PostgreSQL backends) used,
   from /proc, divided by the number of pulls.

Run it with `.venv/bin/python tests/bench/bench_hub.py`. The machine it ran on is
shared (2 cores, other work beside it): compare figures of one run, not runs.
"""

import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.servers import Portal, production_database, shell  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/9"
REGIONS = 150
PAGES = int(os.environ.get("BENCH_HUB_PAGES", "200"))
WORKERS = int(os.environ.get("BENCH_HUB_WORKERS", "2"))
PARALLEL = int(os.environ.get("BENCH_HUB_PARALLEL", "10"))
TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid: (parent pid, command line, CPU seconds used) of every process."""
    found = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry)] = (int(fields[1]), command, (int(fields[11]) + int(fields[12])) / TICK)
    return found


def hub_cpu(server_pid: int, postgres_port: str) -> float:
    """CPU seconds used so far by the server's process tree and its PostgreSQL cluster."""
    processes = _processes()
    roots = {server_pid} | {
        pid
        for pid, (_parent, command, _cpu) in processes.items()
        if command.startswith(("postgres", "/usr/lib/postgresql"))
        and f"-p {postgres_port}" in command
    }
    total, seen = 0.0, set()
    for pid in processes:
        current = pid
        while current in processes and current not in roots and current > 1:
            current = processes[current][0]
        if current in roots and pid not in seen:
            seen.add(pid)
            total += processes[pid][2]
    return total


def pull(url: str, key: str, etag: str | None = None) -> tuple[float, int, int]:
    """One region's pull: (seconds, status, bytes), the signature checked on a full answer."""
    from steunpunt.signing import verify

    headers = {"If-None-Match": etag} if etag else {}
    started = time.perf_counter()
    request = urllib.request.Request(url + "/landelijk/feed/", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            signature = response.headers["X-Steunpunt-Signature"]
            status = response.status
    except urllib.error.HTTPError as error:
        if error.code != 304:
            raise
        return time.perf_counter() - started, 304, 0
    elapsed = time.perf_counter() - started
    verify(body, signature, key)  # the region's work, after the hub answered
    return elapsed, status, len(body)


def run(url: str, key: str, server_pid: int, port: str, etag: str | None) -> None:
    before = hub_cpu(server_pid, port)
    started = time.perf_counter()
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda _n: pull(url, key, etag), range(REGIONS)))
    wall = time.perf_counter() - started
    cpu = hub_cpu(server_pid, port) - before
    times = sorted(r[0] * 1000 for r in results)
    statuses = {r[1] for r in results}
    label = "conditional (304)" if etag else "full feed"
    print(
        f"{label:18} {REGIONS} pulls in {wall:5.2f} s, {PARALLEL} at a time, status {statuses}: "
        f"median {statistics.median(times):6.1f} ms, p95 {times[int(0.95 * len(times))]:6.1f} ms,"
        f" hub CPU {cpu * 1000 / REGIONS:5.1f} ms per pull, {REGIONS / wall:5.1f} pulls/s"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steunpunt.settings")
    with production_database(
        REDIS_URL, NATIONAL_HUB="1", SECRET_KEY="bench-hub-" + "b" * 60
    ) as env:
        shell(f"from tests.bench.volume import add_pages; add_pages({PAGES})", env)
        shell("from steunpunt.cache import content_changed; content_changed()", env)
        key = shell("from steunpunt.signing import public_key; print(public_key())", env)
        port = env["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0]
        with Portal(env, workers=WORKERS) as hub:
            assert hub.process is not None
            started = time.perf_counter()
            built = pull(hub.url, key)
            print(
                f"hub: {PAGES} published pages, {WORKERS} workers; feed {built[2] / 1024:.0f} KiB;"
                f" first request (builds the feed): {(time.perf_counter() - started) * 1000:.0f} ms"
            )
            with urllib.request.urlopen(hub.url + "/landelijk/feed/") as response:
                etag = response.headers["ETag"]
            run(hub.url, key, hub.process.pid, port, None)
            run(hub.url, key, hub.process.pid, port, etag)
    print(f"machine: {os.cpu_count()} CPUs, shared; figures of one run, not asserted")


if __name__ == "__main__":
    # Importing steunpunt.signing needs settings; the hub's own come from its env.
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "steunpunt.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-client-" + "c" * 60,
            "ALLOW_DERIVED_FIELD_KEY": "1",
        }
    )
    import django

    django.setup()
    main()
