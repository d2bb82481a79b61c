"""The e-mail intake: 1,000 mails waiting in a real Dovecot mailbox, taken in by one poll.

Each mail becomes a case (question encrypted, sender as contact, a receipt
queued as a task row, as in production), and is moved out of the intake
folder after its commit. Target: the poll handles 1,000 mails in under 60 s.
The mails are appended first (not timed). Needs Debian's dovecot-imapd.
"""

import os
import time

from common import ROOT, bench_database

MAILS = int(os.environ.get("BENCH_MAILS", "1000"))


def main() -> None:
    from tests.steunen.mailserver import Dovecot

    server = Dovecot()
    server.start()
    try:
        for name, value in server.settings().items():
            os.environ[name] = str(int(value) if isinstance(value, bool) else value)
        os.environ["TASKS_BACKEND"] = "database"
        mails = []
        for number in range(MAILS):
            mails.append(
                (
                    f"From: Ouder {number} <ouder{number}@voorbeeld.example>\r\n"
                    f"To: info@steunpunt-lindewaarde.example\r\n"
                    f"Subject: Vraag {number} over passend onderwijs\r\n"
                    f"Message-ID: <bench-{number}@voorbeeld.example>\r\n"
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    f"Beste steunpunt,\r\n\r\nMijn kind (vraag {number}) krijgt op school "
                    "niet de hulp die het nodig heeft. Wat kan ik doen?\r\n\r\nGroet\r\n"
                ).encode()
            )
        started = time.perf_counter()
        server.append(*mails)
        appended = time.perf_counter() - started
        with bench_database("mail_intake"):
            from steunen import mailintake
            from steunen.models import Case

            started = time.perf_counter()
            result = mailintake.poll()
            seconds = time.perf_counter() - started
            cases = Case.objects.filter(channel="email").count()
            waiting = server.count("INBOX")
        print(f"appended {MAILS} mails to Dovecot in {appended:.1f} s (not timed below)")
        print(f"poll: {result.as_dict()}")
        print(
            f"{'mail intake: 1,000 mails in one poll':<44} {seconds:8.1f} s"
            f"  ({seconds / MAILS * 1000:.1f} ms a mail; target < 60 s)"
        )
        assert cases == MAILS, f"{cases} cases for {MAILS} mails"
        assert waiting == 0, f"{waiting} mails still waiting"
    finally:
        server.remove()


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
