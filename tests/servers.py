"""Real processes for the tests and benchmarks that need them.

- ``PrivatePostgres``: a PostgreSQL cluster of the test's own, which it may
  stop and start without touching the database the rest of the suite uses.
- ``Portal``: the portal as production runs it (bin/serve: granian, DEBUG
  off), on a free loopback port.
- ``Visitor``: a cookie-keeping HTTP client that submits the forms of the
  page it loaded (hidden fields and CSRF token from the HTML), for talking
  to a ``Portal`` the way a browser without JavaScript does.
"""

import contextlib
import glob
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
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


def redis_is_running(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.ConnectionError:
        return False


@contextlib.contextmanager
def production_database(
    redis_url: str, *, demo: bool = True, **settings: str
) -> Iterator[dict[str, str]]:
    """The environment of a production site of the test's own: a private PostgreSQL
    cluster with a migrated database (and the demo region unless ``demo`` is off),
    Redis as the shared cache on ``redis_url`` (a database number of the test's
    own, emptied before and after), tasks in the database, and ``settings`` on top.
    Skips the test when PostgreSQL's server programs or Redis are missing, except
    in CI (which has both): there the real-server half of a journey must run.
    """
    import pytest
    import redis

    missing = ""
    if postgres_bindir() is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        missing = "needs PostgreSQL's server programs to run a private cluster"
    elif not redis_is_running(redis_url):
        missing = f"no Redis at {redis_url}"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (CI has them: the real server's tests must run there)")
        pytest.skip(missing)
    redis.Redis.from_url(redis_url).flushdb()
    postgres = PrivatePostgres().init()
    postgres.start()
    try:
        env = clean_env(
            DATABASE_URL=postgres.create_database("steunpunt"),
            REDIS_URL=redis_url,
            TASKS_BACKEND="database",
            **settings,
        )
        manage("migrate", "--noinput", env=env)
        if demo:
            manage("load_demo", "--force", env=env)
        yield env
    finally:
        postgres.remove()
        redis.Redis.from_url(redis_url).flushdb()


def shell(code: str, env: dict[str, str]) -> str:
    """Run Python in a site's setting (its database), as an operator would."""
    return manage("shell", "--no-imports", "-c", code, env=env).strip()


# --- The portal -----------------------------------------------------------------------


class Portal:
    """The portal as production runs it (bin/serve)."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        cpus: str | None = None,
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
        self.server = "granian"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Portal":
        command = ["bin/serve"]  # as production runs it
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
    url: str = ""  # the path (and query) it was loaded from


@dataclass
class HtmlForm:
    """A form on a page, and what a browser sends when it is submitted untouched."""

    action: str  # path and query, resolved against the page the form is on
    form_id: str
    enctype: str
    controls: list[tuple[str, str]]  # hidden inputs, prefilled values, ticked boxes, chosen options
    files: list[str]  # file inputs: sent empty when nothing is chosen
    submit: tuple[str, str] | None  # the first named submit button, sent when clicked
    names: set[str]  # every field a visitor can fill in, tick or choose

    def fill(self, data: dict[str, str | list[str] | None]) -> list[tuple[str, str]]:
        """What a browser sends after the visitor typed or chose ``data``.

        A value replaces every value the page had for that name; a list gives
        several (ticked boxes); None leaves the name out (an unticked box).
        A name the form does not have fails: no visitor could fill it in.
        """
        missing = set(data) - self.names
        if missing:
            raise AssertionError(
                f"the form that posts to {self.action} has no field {', '.join(sorted(missing))}"
            )
        fields = [(name, value) for name, value in self.controls if name not in data]
        for name, value in data.items():
            if value is None:
                continue
            for each in [value] if isinstance(value, str) else value:
                fields.append((name, each))
        if self.submit and self.submit[0] not in data:
            fields.append(self.submit)
        return fields


TEXT_INPUTS = {"", "text", "hidden", "email", "tel", "search", "url", "password", "number"}
TEXT_INPUTS |= {"date", "datetime-local", "time", "month", "week", "color", "range"}


class _FormParser(HTMLParser):
    """The POST forms of a page with their controls, as a browser sees them."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self.option: list[str] | None = None  # the text of the option being read
        self.option_attrs: dict[str, str | None] = {}
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                action = urllib.parse.urljoin(self.page_url, a.get("action") or "")
                parts = urllib.parse.urlsplit(action)
                self.form = HtmlForm(
                    action=parts.path + (f"?{parts.query}" if parts.query else ""),
                    form_id=a.get("id") or "",
                    enctype=(a.get("enctype") or "application/x-www-form-urlencoded").lower(),
                    controls=[],
                    files=[],
                    submit=None,
                    names=set(),
                )
                self.forms.append(self.form)
            return
        if tag == "option":
            self._end_option()  # the end tag of an option may be left out
        if self.form is None or "disabled" in a:
            return
        name = a.get("name") or ""
        if name and tag in {"input", "button", "select", "textarea"}:
            self.form.names.add(name)
        if tag == "input":
            kind = (a.get("type") or "").lower()
            if kind in {"submit", "image"}:
                if name and self.form.submit is None:
                    self.form.submit = (name, a.get("value") or "")
            elif kind in {"checkbox", "radio"}:
                if name and "checked" in a:
                    self.form.controls.append((name, a.get("value") or "on"))
            elif kind == "file":
                if name:
                    self.form.files.append(name)
            elif kind in TEXT_INPUTS and name:
                self.form.controls.append((name, a.get("value") or ""))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit" and name and not self.form.submit:
                self.form.submit = (name, a.get("value") or "")
        elif tag == "select":
            self.select = (name, "multiple" in a, [])
        elif tag == "option" and self.select is not None:
            self.option_attrs = a
            self.option = []
        elif tag == "textarea":
            self.textarea = (name, [])

    def _end_option(self) -> None:
        if self.option is None or self.select is None:
            return
        value = self.option_attrs.get("value")
        text = "".join(self.option).strip()
        self.select[2].append((text if value is None else value, "selected" in self.option_attrs))
        self.option = None

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option.append(data)
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"option", "select", "optgroup"}:
            self._end_option()
        if tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            if self.form is not None and name:
                self.form.controls.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            if self.form is not None and name:
                # A browser drops the newline right after <textarea>.
                self.form.controls.append((name, "".join(text).removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def post_forms(page: Page) -> list[HtmlForm]:
    """The POST forms on ``page``."""
    parser = _FormParser(page.url or "/")
    parser.feed(page.text)
    parser.close()
    return parser.forms


def find_form(page: Page | None, action: str, form_id: str | None = None) -> HtmlForm:
    """The form on ``page`` that posts to ``action`` (and has id ``form_id``, if given).

    Raises AssertionError when there is no such form, as a user would find no
    button to press.
    """
    if page is None:
        raise AssertionError(f"no page loaded yet, so no form that posts to {action}")
    forms = post_forms(page)
    found = [
        form
        for form in forms
        if form.action == action and (form_id is None or form.form_id == form_id)
    ]
    if len(found) != 1:
        what = f"form #{form_id}" if form_id else "form"
        there = ", ".join(f"#{f.form_id or '?'} -> {f.action}" for f in forms) or "none"
        raise AssertionError(
            f"the page {page.url} (status {page.status}) has {len(found)} {what}s that post "
            f"to {action}; its POST forms: {there}"
        )
    return found[0]


def multipart(fields: list[tuple[str, str]], files: list[str]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it; file inputs without a file go empty."""
    boundary = "----SteunpuntVisitor" + secrets.token_hex(12)
    chunks: list[bytes] = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n'
            "Content-Type: application/octet-stream\r\n\r\n\r\n".encode()
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def with_puzzle_solved(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The fields with the form's puzzle solved, as the page's script does
    (static/js/puzzle.js); without it the form waits PUZZLE_WAIT_SECONDS."""
    given = dict(fields)
    if not given.get("puzzle") or given.get("puzzle_answer"):
        return fields
    from steunpunt.puzzle import solve

    answer = solve(given["puzzle"])
    return [(name, answer if name == "puzzle_answer" else value) for name, value in fields]


class Visitor:
    """A browser without JavaScript: keeps cookies and submits the forms of the page it shows.

    ``post`` sends what a browser sends for the form on the last page loaded
    that posts to that path: its hidden inputs (the CSRF token from the
    HTML, never from the cookie), what the page had filled in or ticked, and
    what the visitor typed (``data``). Origin and Referer are set as a
    browser sets them for a same-origin form.
    """

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.page: Page | None = None  # what the browser shows now
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def get(self, path: str) -> Page:
        self.page = self._request("GET", path, None, {})
        return self.page

    def form(self, action: str, form_id: str | None = None) -> HtmlForm:
        """The form on the page shown now that posts to ``action``."""
        return find_form(self.page, action, form_id)

    def post(
        self, path: str, data: dict[str, str | list[str] | None], *, form: str | None = None
    ) -> Page:
        """Submit the form of the page shown now that posts to ``path`` (with id ``form``)."""
        found = self.form(path, form)
        fields = with_puzzle_solved(found.fill(data))
        if found.enctype == "multipart/form-data":
            body, content_type = multipart(fields, found.files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        headers = {
            "Content-Type": content_type,
            "Origin": self.base_url,
            "Referer": self.base_url + (self.page or EMPTY).url,
        }
        self.page = self._request("POST", path, body, headers)
        return self.page

    def beacon(self, path: str) -> Page:
        """What ``navigator.sendBeacon(path)`` sends from the page shown now: a bare POST.

        The page shown stays: a beacon's answer is never shown.
        """
        headers = {"Origin": self.base_url, "Referer": self.base_url + (self.page or EMPTY).url}
        return self._request("POST", path, b"", headers)

    def _request(self, method: str, path: str, body: bytes | None, headers: dict) -> Page:
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.status, response.read().decode(), response.headers, path)
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            return Page(error.code, text, error.headers, path)


EMPTY = Page(0, "", Message(), "/")  # before the first page: a new tab


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
        "/vraag/", {"asker_type": "ouder", "question": question, "contact_preference": "geen"}
    )
    return page.status, return_code(page.text) if page.status == 200 else None


def read_back(base_url: str, code: str) -> str:
    """Come back with the code; the conversation page."""
    visitor = Visitor(base_url)
    visitor.get("/vraag/terug/")
    answer = visitor.post("/vraag/terug/", {"code": code})
    assert answer.status == 302, answer.status
    return visitor.get(answer.headers["Location"]).text
