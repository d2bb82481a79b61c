"""Keep the secret part of a URL out of log lines.

Django logs the path of every 4xx and 5xx answer ("Not Found: /advies/<token>/",
"Forbidden (CSRF cookie not set.): /afspraak/beheer/<token>/"). Some paths carry
a secret that opens something on its own: the outside expert's advice link, the
asker's booking link, an invitation or password link. This filter, on the
loggers that write request paths (settings.LOGGING), replaces the value of
every such URL argument with "[geheim]" before any handler sees the line.
"""

import logging

# URL arguments that are a secret by themselves (steunen/urls.py, steunpunt/urls.py, ...).
SECRET_KWARGS = frozenset({"token", "uidb64"})
HIDDEN = "[geheim]"


class HideUrlSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        match = getattr(request, "resolver_match", None)
        kwargs = getattr(match, "kwargs", None) or {}
        secrets = [
            str(value)
            for name, value in kwargs.items()
            if name in SECRET_KWARGS and value not in (None, "")
        ]
        if secrets:
            message = record.getMessage()
            for secret in secrets:
                message = message.replace(secret, HIDDEN)
            record.msg, record.args = message, ()
        return True
