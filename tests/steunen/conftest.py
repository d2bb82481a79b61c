"""Fixtures of the steunen tests: real mail servers for the e-mail intake."""

from tests.steunen.mailserver import dovecot, smtp_sink

__all__ = ["dovecot", "smtp_sink"]
