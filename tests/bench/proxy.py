"""The shipped nginx configuration (deploy/nginx.conf), run in front of a test portal.

``Proxy`` renders deploy/nginx.conf with three things replaced: the upstream
(the portal's address), the listen lines (a free loopback port, plain http)
and the cache folder (a folder of its own). Everything else is the file as
shipped. It wraps it in the few lines Debian's /etc/nginx/nginx.conf gives
it in production (events, the http block, mime types) and runs nginx in the
foreground with its own prefix, so it touches nothing of a system nginx.
Used by tests/steunpunt/test_proxy.py and tests/bench/bench_load.py.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.servers import ROOT, free_port

SHIPPED = ROOT / "deploy" / "nginx.conf"
UPSTREAM = "server 127.0.0.1:8000;"
LISTEN = ("listen 80;", "listen [::]:80;")
CACHE = "/var/cache/nginx/steunpunt"


def nginx_binary() -> str | None:
    """nginx lives in /usr/sbin on Debian, which is not on every user's PATH."""
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
        None,
    )


def render(upstream: str, port: int, cache: Path, extra: str = "") -> str:
    """deploy/nginx.conf for a test: ``extra`` goes into the server block before ``location /``."""
    text = SHIPPED.read_text()
    for original in (UPSTREAM, CACHE, "    location / {"):
        if text.count(original) != 1:
            raise AssertionError(f"deploy/nginx.conf no longer has one {original!r}")
    text = text.replace(UPSTREAM, f"server {upstream};")
    text = text.replace(CACHE, str(cache))
    main_listen, ipv6_listen = (f"\n    {line}\n" for line in LISTEN)
    if text.count(main_listen) != 1 or text.count(ipv6_listen) != 1:
        raise AssertionError("deploy/nginx.conf no longer has one listen 80 pair in its server")
    text = text.replace(main_listen, f"\n    listen 127.0.0.1:{port};\n", 1)
    text = text.replace(ipv6_listen, "\n", 1)
    return text.replace("    location / {", f"{extra}\n    location / {{", 1)


class Proxy:
    """nginx with the shipped configuration in front of ``upstream`` (host:port)."""

    def __init__(self, upstream: str, *, workers: int | str = 1, extra: str = ""):
        """``extra``: lines for the server block, with ``{base}`` for the proxy's own folder."""
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        self.binary = binary
        # Not pytest's tmp_path: nginx's workers (nobody) must be able to reach it.
        self.base = Path(tempfile.mkdtemp(prefix="steunpunt-nginx-"))
        self.base.chmod(0o755)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cache = self.base / "cache"
        site = render(upstream, self.port, self.cache, extra.replace("{base}", str(self.base)))
        (self.base / "steunpunt.conf").write_text(site)
        temp = " ".join(
            f"{kind}_temp_path {self.base / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # What Debian's /etc/nginx/nginx.conf gives the site in production.
        (self.base / "nginx.conf").write_text(
            f"worker_processes {workers};\n"
            f"error_log {self.base / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            "    sendfile on;\n"
            "    tcp_nopush on;\n"
            f"    {temp}\n"
            f"    include {self.base / 'steunpunt.conf'};\n"
            "}\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> "Proxy":
        command = [
            self.binary,
            "-p",
            str(self.base),
            "-c",
            str(self.base / "nginx.conf"),
            "-g",
            f"daemon off; pid {self.base / 'nginx.pid'};",
        ]
        self.log = open(self.base / "stderr.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {self.errors()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start within 20 s: {self.errors()}")

    def errors(self) -> str:
        logs = (self.base / "stderr.log", self.base / "error.log")
        return "".join(log.read_text() for log in logs if log.exists())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # nginx's fast shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "Proxy":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
