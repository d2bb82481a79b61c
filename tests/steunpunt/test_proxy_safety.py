"""The shipped proxies made safe (issue 19, item 1): deploy/nginx.conf with its TLS
lines switched on as its comments say, and deploy/Caddyfile, each run from
Debian's package in front of a real bin/serve on PostgreSQL and Redis.

Visitors connect from addresses of their own on loopback (127.0.0.2, ...),
so the test sees what the proxy tells the portal about who asked, and
whether any of those addresses is written down anywhere.
"""

import datetime
import functools
import http.client
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.bench.proxy import Proxy, nginx_binary
from tests.servers import (
    ROOT,
    Portal,
    Visitor,
    _NoRedirect,
    free_port,
    production_database,
)

REDIS_URL = "redis://127.0.0.1:6379/11"  # 12 to 15 belong to other tests
CODE_ATTEMPTS = 3
CODE_WINDOW = 15 * 60  # RETURN_CODE_WINDOW_SECONDS: the portal's default


def outside_a_window_edge(window: int = CODE_WINDOW, margin: float = 60) -> None:
    """Wait until a fixed window of the limits has at least ``margin`` seconds left,
    so a run of tries cannot straddle two windows (whose counts start again)."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 1)


SHIPPED_CADDYFILE = ROOT / "deploy" / "Caddyfile"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, as certbot would leave one for the real name."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(key_path, 0o644)  # nginx's workers (nobody) read it in the test only
    return cert_path, key_path


class TlsNginx(Proxy):
    """deploy/nginx.conf with the PRODUCTION (TLS) edit made as its comments say."""

    def __init__(self, upstream: str):
        super().__init__(upstream)
        self.cert, key = self_signed(self.base)
        self.http_port = free_port()
        site = (self.base / "steunpunt.conf").read_text()
        listen = f"listen 127.0.0.1:{self.port};"
        assert site.count(listen) == 1
        site = site.replace(listen, f"listen 127.0.0.1:{self.port} ssl;")
        for line in ("ssl_protocols", "ssl_session_cache", "ssl_session_timeout"):
            assert f"    # {line} " in site, line
            site = site.replace(f"    # {line} ", f"    {line} ")
        site = site.replace(
            "    # ssl_certificate /etc/letsencrypt/live/steunpunt.example.nl/fullchain.pem;",
            f"    ssl_certificate {self.cert};",
        ).replace(
            "    # ssl_certificate_key /etc/letsencrypt/live/steunpunt.example.nl/privkey.pem;",
            f"    ssl_certificate_key {key};",
        )
        assert "ssl_certificate " in site and "ssl_certificate_key " in site
        head, redirect = site.split("# PRODUCTION (TLS): plain http goes to https.\n")
        redirect = "\n".join(line.removeprefix("# ") for line in redirect.splitlines())
        redirect = redirect.replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
        redirect = redirect.replace("    listen [::]:80;\n", "")
        (self.base / "steunpunt.conf").write_text(head + redirect + "\n")
        self.url = f"https://127.0.0.1:{self.port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"


class Caddy:
    """deploy/Caddyfile as shipped, with the name, ports, certificate and upstream replaced."""

    def __init__(self, upstream: str):
        binary = shutil.which("caddy")
        if binary is None:
            raise RuntimeError("caddy is not installed (Debian: apt-get install caddy)")
        self.binary = binary
        self.base = Path(tempfile.mkdtemp(prefix="steunpunt-caddy-"))
        self.cert, key = self_signed(self.base)
        self.port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        text = SHIPPED_CADDYFILE.read_text()
        for original in (
            "{\n\tservers {",
            "steunpunt.example.nl {",
            "reverse_proxy 127.0.0.1:8000",
        ):
            assert text.count(original) == 1, f"deploy/Caddyfile no longer has one {original!r}"
        text = text.replace(
            "{\n\tservers {",
            f"{{\n\tadmin off\n\thttp_port {self.http_port}\n\thttps_port {self.port}\n"
            f"\tstorage file_system {self.base / 'data'}\n\tservers {{",
        )
        text = text.replace("steunpunt.example.nl {", f"127.0.0.1 {{\n\ttls {self.cert} {key}")
        text = text.replace("reverse_proxy 127.0.0.1:8000", f"reverse_proxy {upstream}")
        (self.base / "Caddyfile").write_text(text)

    def start(self) -> "Caddy":
        env = {**os.environ, "HOME": str(self.base), "XDG_DATA_HOME": str(self.base)}
        env["XDG_CONFIG_HOME"] = str(self.base)
        self.log = open(self.base / "stderr.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                self.binary,
                "run",
                "--adapter",
                "caddyfile",
                "--config",
                str(self.base / "Caddyfile"),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"caddy stopped: {(self.base / 'stderr.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("caddy did not start within 20 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "Caddy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture(scope="module")
def portal():
    settings = {
        "BEHIND_TLS_PROXY": "1",
        "TRUSTED_PROXIES": "1",
        "RETURN_CODE_ATTEMPTS": str(CODE_ATTEMPTS),
        "RETURN_CODE_FAILURE_DELAY": "0",
    }
    with production_database(REDIS_URL, demo=False, **settings) as env, Portal(env, workers=1) as p:
        yield p


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def proxy(request, portal):
    if request.param == "nginx":
        if nginx_binary() is None:
            pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
        made = TlsNginx(f"127.0.0.1:{portal.port}")
    else:
        if shutil.which("caddy") is None:
            if os.environ.get("CI"):
                pytest.fail("caddy is not installed (bin/check and .ci/run install Debian's caddy)")
            pytest.skip("caddy is not installed (Debian: apt-get install caddy)")
        made = Caddy(f"127.0.0.1:{portal.port}")
    with made:
        made.name = request.param
        yield made


class _FromAddress(urllib.request.HTTPSHandler, urllib.request.HTTPHandler):
    """Connections from a loopback address of the visitor's own; the test's certificate trusted."""

    def __init__(self, source: str, context: ssl.SSLContext):
        urllib.request.HTTPSHandler.__init__(self, context=context)
        self.source = source
        self.ssl_context = context

    def https_open(self, req):
        connection = functools.partial(http.client.HTTPSConnection, source_address=(self.source, 0))
        return self.do_open(connection, req, context=self.ssl_context)

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


def visitor(proxy, source: str, *, plain: bool = False) -> Visitor:
    """A browser without JavaScript at ``source``, talking to the proxy over https."""
    context = ssl.create_default_context(cafile=str(proxy.cert))
    someone = Visitor(proxy.http_url if plain else proxy.url)
    someone.opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(someone.cookies),
        _NoRedirect(),
        _FromAddress(source, context),
    )
    return someone


def test_pages_come_over_tls_and_plain_http_is_sent_to_https(proxy):
    page = visitor(proxy, "127.0.0.2").get("/vraag/")
    assert page.status == 200
    assert "Stel uw vraag" in page.text
    plain = visitor(proxy, "127.0.0.2", plain=True).get("/vraag/")
    assert plain.status in (301, 308)
    assert plain.headers["Location"].startswith("https://")


def test_html_is_compressed(proxy):
    someone = visitor(proxy, "127.0.0.2")
    request = urllib.request.Request(proxy.url + "/vraag/", headers={"Accept-Encoding": "gzip"})
    with someone.opener.open(request, timeout=30) as page:
        assert page.headers["Content-Type"].startswith("text/html")
        assert page.headers["Content-Encoding"] == "gzip"


def test_a_file_over_the_upload_limit_is_refused_by_the_proxy_in_dutch(proxy):
    # A browser says how much it will send (Content-Length) before it sends it:
    # the proxy answers at once, and the 12 MB never reach the portal.
    context = ssl.create_default_context(cafile=str(proxy.cert))
    raw = socket.create_connection(("127.0.0.1", proxy.port), source_address=("127.0.0.2", 0))
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(
            (
                "POST /vraag/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=grens\r\n"
                f"Content-Length: {12 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
            ).encode()
            + b"--grens\r\n"
        )
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    status_line, _, rest = answer.decode(errors="replace").partition("\r\n")
    assert " 413 " in status_line + " "
    assert "Dit bestand is te groot" in rest


def test_a_file_within_the_limit_reaches_the_portal(proxy):
    someone = visitor(proxy, "127.0.0.2")
    someone.get("/vraag/")
    form = someone.form("/vraag/", "vraagformulier")
    assert "attachment" in form.files
    fields = form.fill(
        {"asker_type": "ouder", "question": "Past dit?", "contact_preference": "geen"}
    )
    nine_mb = b"%PDF-1.7\n" + b"0" * (9 * 1024 * 1024)
    boundary = "grens"
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    chunks.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; '
            'filename="brief.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + nine_mb
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        proxy.url + "/vraag/",
        data=b"".join(chunks),
        method="POST",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": proxy.url,
            "Referer": proxy.url + "/vraag/",
        },
    )
    with someone.opener.open(request, timeout=120) as page:
        text = page.read().decode()
    # The portal answered (this PDF is no real one), with the form and what was typed.
    assert "Deze PDF kunnen wij niet veilig openen" in text
    assert "Past dit?" in text


def test_each_visitor_has_their_own_limits_behind_the_proxy(proxy):
    # Addresses of this proxy's run only: the portal (and its limits) serve both.
    block = {"nginx": 10, "caddy": 20}[proxy.name]
    guesser = visitor(proxy, f"127.0.{block}.3")
    guesser.get("/vraag/terug/")
    outside_a_window_edge()
    statuses = []
    for attempt in range(CODE_ATTEMPTS + 1):
        # A header of their own would make each try look like another visitor's.
        guesser.opener.addheaders = [("X-Forwarded-For", f"192.0.2.{attempt}")]
        statuses.append(guesser.post("/vraag/terug/", {"code": "FOUT-FOUT-FOUT-FOUT"}).status)
    assert statuses == [200] * CODE_ATTEMPTS + [429]
    # Another asker behind the same proxy is not locked out by that.
    asker = visitor(proxy, f"127.0.{block}.4")
    asker.get("/vraag/terug/")
    assert asker.post("/vraag/terug/", {"code": "ANDE-RECO-DEAB-CDEF"}).status == 200


def test_no_address_of_a_visitor_is_written_down(proxy, portal):
    visitor(proxy, "127.0.0.5").get("/vraag/")
    visitor(proxy, "127.0.0.5").get("/")
    time.sleep(0.5)  # what a proxy writes, it writes at once
    for path in proxy.base.rglob("*"):
        if path.is_file() and path.suffix not in {".pem"}:
            assert b"127.0.0.5" not in path.read_bytes(), path
    assert "127.0.0.5" not in Path(portal.log.name).read_text()  # bin/serve's own output


def deploy_check(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout + result.stderr


def test_behind_the_proxy_the_deploy_check_finds_nothing_about_it(proxy, portal):
    visitor(proxy, "127.0.0.2").get("/")
    result = deploy_check(portal.env)
    assert "steunpunt.W002" not in result
    assert "steunpunt.W003" not in result


def test_the_deploy_check_tells_when_the_portal_is_used_past_the_proxy(portal):
    Visitor(portal.url).get("/")  # straight to bin/serve: no X-Forwarded-For
    result = deploy_check(portal.env)
    assert "steunpunt.W003" in result
    assert "fewer proxies" in result
