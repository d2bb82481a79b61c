"""Real mail servers for the e-mail intake tests and benchmark.

- ``Dovecot``: Debian's Dovecot IMAP server (package dovecot-imapd) in a
  temporary folder with a configuration of its own: implicit TLS with a
  self-signed certificate made here (``cryptography``), one user from a
  passwd file, maildirs owned by a user that is not root, on a free port of
  loopback. It can be stopped and started again (the server away).
- ``SmtpSink``: aiosmtpd from Debian (package python3-aiosmtpd, run by
  Debian's own Python in a process of its own) receiving the portal's
  outgoing mail over real SMTP into a maildir. Python's own library serves
  no SMTP any more (smtpd was removed in 3.12) and aiosmtpd is not among the
  project's Python packages, so the Debian package is used as a program.

Both are skipped with the reason when not installed, except in CI (CI set),
where their absence fails the tests.
"""

import datetime
import imaplib
import ipaddress
import mailbox
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DEBIAN_PYTHON = "/usr/bin/python3"
USER = "steunpunt"
PASSWORD = "imap-test-" + "x" * 12


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server stopped at start: {log.read_text(errors='replace')[-2000:]}"
            )
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(
        f"server did not listen on {port}: {log.read_text(errors='replace')[-2000:]}"
    )


def require(program: str, package: str, *, found: bool | None = None) -> None:
    if Path(program).exists() if found is None else found:
        return
    if os.environ.get("CI"):
        pytest.fail(
            f"{program} not found: install Debian's {package}; mail tests may not skip in CI"
        )
    pytest.skip(f"{program} not installed (Debian package '{package}')")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A key and a certificate for localhost and 127.0.0.1, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
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
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class Dovecot:
    """A Dovecot IMAPS server of the test's own."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.folder.chmod(0o755)
        self.port = _free_port()
        self.key, self.cert = self_signed_certificate(self.folder)
        root = os.geteuid() == 0
        # The mail belongs to a user that is not root (nobody when we are root).
        owner = pwd.getpwnam("nobody") if root else pwd.getpwuid(os.geteuid())
        self.mail = self.folder / "mail"
        self.mail.mkdir()
        os.chown(self.mail, owner.pw_uid, owner.pw_gid)
        passwd = self.folder / "passwd"
        passwd.write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{owner.pw_uid}:{owner.pw_gid}::{self.mail / USER}::\n"
        )
        internal = "dovecot" if root else owner.pw_name
        login = "dovenull" if root else owner.pw_name
        self.log = self.folder / "dovecot.log"
        self.config = self.folder / "dovecot.conf"
        self.config.write_text(
            f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.folder}/run
state_dir = {self.folder}/state
instance_name = steunpunt-test-{self.port}
log_path = {self.log}
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {owner.pw_uid}
last_valid_uid = {owner.pw_uid}
first_valid_gid = 0
ssl = required
ssl_cert = <{self.cert}
ssl_key = <{self.key}
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd}
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, self.process, self.log)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None
        # A new start must not find the old master's pid file or sockets.
        shutil.rmtree(self.folder / "run", ignore_errors=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def settings(self) -> dict:
        """The portal's settings for this mailbox."""
        return {
            "MAIL_INTAKE_HOST": "127.0.0.1",
            "MAIL_INTAKE_PORT": self.port,
            "MAIL_INTAKE_STARTTLS": False,
            "MAIL_INTAKE_USER": USER,
            "MAIL_INTAKE_PASSWORD": PASSWORD,
            "MAIL_INTAKE_FOLDER": "INBOX",
            "MAIL_INTAKE_CA_FILE": str(self.cert),
            "MAIL_INTAKE_TIMEOUT": 10,
        }

    def connect(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.cert))
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=30)
        imap.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        imap.login(USER, PASSWORD)
        return imap

    def append(self, *messages: bytes | EmailMessage, folder: str = "INBOX") -> None:
        imap = self.connect()
        try:
            for message in messages:
                raw = message if isinstance(message, bytes) else message.as_bytes()
                status, _data = imap.append(f'"{folder}"', "", None, raw)
                assert status == "OK"
        finally:
            imap.logout()

    def folder_messages(self, folder: str) -> list[tuple[bytes, EmailMessage]]:
        """(flags, message) of every mail in ``folder``, oldest first; [] without the folder."""
        imap = self.connect()
        try:
            status, _data = imap.select(f'"{folder}"', readonly=True)
            if status != "OK":
                return []
            _status, data = imap.uid("SEARCH", "ALL")
            found = []
            for uid in data[0].split():
                _status, parts = imap.uid("FETCH", uid.decode(), "(FLAGS BODY.PEEK[])")
                head, raw = parts[0]
                found.append((head, BytesParser(policy=policy.default).parsebytes(raw)))
            return found
        finally:
            imap.logout()

    def count(self, folder: str) -> int:
        imap = self.connect()
        try:
            status, _data = imap.select(f'"{folder}"', readonly=True)
            if status != "OK":
                return 0
            return len(imap.uid("SEARCH", "ALL")[1][0].split())
        finally:
            imap.logout()


class SmtpSink:
    """aiosmtpd (Debian's) on a free loopback port, keeping every mail in a maildir."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="smtp-sink-"))
        self.maildir = self.folder / "maildir"
        self.port = _free_port()
        self.log = self.folder / "aiosmtpd.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    DEBIAN_PYTHON,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{self.port}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(self.maildir),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_for_port(self.port, self.process, self.log)

    def mailer(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }

    def messages(self) -> list[EmailMessage]:
        """Every mail received, in the order it came."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        found = []
        for key in box.iterkeys():
            path = self.maildir / ("new" if (self.maildir / "new" / key).exists() else "cur") / key
            found.append((path.stat().st_mtime_ns, key, box.get_bytes(key)))
        return [BytesParser(policy=policy.default).parsebytes(raw) for _t, _k, raw in sorted(found)]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        shutil.rmtree(self.folder, ignore_errors=True)


def aiosmtpd_installed() -> bool:
    if not Path(DEBIAN_PYTHON).exists():
        return False
    found = subprocess.run(
        [DEBIAN_PYTHON, "-c", "import aiosmtpd"], capture_output=True, check=False
    )
    return found.returncode == 0


@pytest.fixture
def dovecot(settings):
    require(DOVECOT, "dovecot-imapd")
    server = Dovecot()
    server.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.remove()


@pytest.fixture
def smtp_sink(settings):
    require(f"aiosmtpd for {DEBIAN_PYTHON}", "python3-aiosmtpd", found=aiosmtpd_installed())
    sink = SmtpSink()
    settings.MAILERS = sink.mailer()
    yield sink
    sink.stop()
