"""The demo region shows call-backs (one of them late), advice asked and an escalation."""

from io import StringIO

from django.core.management import call_command

from steunen.backoffice import Consultation, Escalation
from steunen.terugbellen import CallbackRequest


def test_the_demo_has_call_backs_advice_and_an_escalation_once(db):
    for _ in range(2):  # loading it again changes nothing
        call_command("load_demo", force=True, stdout=StringIO())
        assert CallbackRequest.objects.count() == 4
        assert CallbackRequest.objects.late().count() == 1
        assert Consultation.objects.count() == 1
        assert Escalation.objects.filter(resolved_at__isnull=True).count() == 1
