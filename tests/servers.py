"""Real processes for the tests and benchmarks that need them.

- ``PrivatePostgres``: a PostgreSQL cluster of the test's own, which it may
  stop and start without touching the database the rest of the suite uses.
- ``Portal``: the portal as production runs it (bin/serve: granian, DEBUG
  off), on a free loopback port.
- ``Visitor``: a cookie-keeping HTTP client that fills in the CSRF token,
  for talking to a ``Portal`` the way a browser without JavaScript does.
"""

import contextlib
import glob
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Variables of the surrounding shell that must not leak into a portal we start.
OURS = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "SECURE_",
    "SESSION_",
    "CSRF_",
    "EMAIL_",
    "DJANGO_",
    "ALLOW_",
    "FIELD_",
    "REDIS_",
    "TASKS_",
    "PAGE_CACHE",
    "WEB_",
    "BIND",
)

PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECRET_KEY": "servers-" + "k" * 60,
    "ALLOW_DERIVED_FIELD_KEY": "1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Plain http on loopback: no redirect to https, cookies without Secure.
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env.update(PRODUCTION_LIKE, DJANGO_SETTINGS_MODULE="steunpunt.settings")
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str], timeout: int = 600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# --- PostgreSQL ---------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    return None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in ``base``, on a free loopback port."""

    def __init__(self):
        bindir = postgres_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.bindir = bindir
        # Not pytest's tmp_path: the postgres user must be able to reach it.
        self.base = Path(tempfile.mkdtemp(prefix="steunpunt-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        # PostgreSQL refuses to run as root: then it runs as the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def init(self) -> "PrivatePostgres":
        if self.as_user:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.base / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the cluster if it runs, and remove its files."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def create_database(self, name: str) -> str:
        self._run(
            str(self.bindir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            name,
        )
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


# --- The portal -----------------------------------------------------------------------


class Portal:
    """The portal as production runs it (bin/serve), or in gunicorn to compare."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        cpus: str | None = None,
        server: str = "granian",
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "PYTHON": sys.executable,
        }
        self.cpus = cpus
        self.server = server
        self.process: subprocess.Popen | None = None

    def _command(self) -> list[str]:
        if self.server == "granian":
            return ["bin/serve"]  # as production runs it
        # gunicorn only to compare with (tests/bench/bench_load.py)
        config = "python:tests.bench.gunicorn_conf"
        return [sys.executable, "-m", "gunicorn", "-c", config, "steunpunt.wsgi"]

    def start(self) -> "Portal":
        command = self._command()
        if self.cpus:
            command = ["taskset", "-c", self.cpus, *command]
        self.log = open(ROOT / "var" / f"portal-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.server} stopped: see {self.log.name}")
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return self
            except urllib.error.HTTPError:
                return self  # answering, even if unhealthy
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.server} did not start within a minute")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.log.close()

    def __enter__(self) -> "Portal":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- A visitor ------------------------------------------------------------------------


@dataclass
class Page:
    status: int
    text: str
    headers: Message  # names are case-insensitive, as servers differ in case


class Visitor:
    """A browser without JavaScript: keeps cookies, sends the CSRF token with forms."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read().decode()
                return Page(response.status, body, response.headers)
        except urllib.error.HTTPError as error:
            return Page(error.code, error.read().decode(errors="replace"), error.headers)

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path: str, data: dict[str, str]) -> Page:
        fields = {**data, "csrfmiddlewaretoken": self.cookie("csrftoken") or ""}
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")
        return self._open(request)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let the test see a redirect as it is."""

    def redirect_request(self, *args, **kwargs):
        return None


def hidden_field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    if not match:
        raise AssertionError(f"no hidden field {name!r} on the page")
    return match.group(1)


def return_code(page: str) -> str | None:
    """The return code on a receipt page, if the question was acknowledged."""
    if 'id="return-code"' not in page:
        return None
    return page.split('id="return-code"', 1)[1].split(">", 1)[1].split("<", 1)[0]


def ask_question(visitor: Visitor, question: str) -> tuple[int, str | None]:
    """Ask a question as a parent does; the status and the code if it was acknowledged."""
    form = visitor.get("/vraag/")
    if form.status != 200:
        return form.status, None
    page = visitor.post(
        "/vraag/",
        {
            "submission_token": hidden_field(form.text, "submission_token"),
            "asker_type": "ouder",
            "question": question,
            "contact_preference": "geen",
        },
    )
    return page.status, return_code(page.text) if page.status == 200 else None


def read_back(base_url: str, code: str) -> str:
    """Come back with the code; the conversation page."""
    visitor = Visitor(base_url)
    visitor.get("/vraag/terug/")
    answer = visitor.post("/vraag/terug/", {"code": code})
    assert answer.status == 302, answer.status
    return visitor.get(answer.headers["Location"]).text
