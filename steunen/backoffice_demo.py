"""Demo call-backs and back office: a few requests to be called, advice asked, an escalation.

Fictional, and made once: loading the demo again changes nothing. The
windows are relative to today, so the inbox shows one call-back that is
late and some still to come whenever the demo is loaded.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from steunen import backoffice_actions, openingstijden, terugbel_actions
from steunen.models import AskerType, Case, Status, hash_code
from steunen.terugbellen import CallbackRequest

DEMO_CODE = "LNDW-VRAG-2345-6789"  # the demo case of steunen/demo.py


def generate_backoffice() -> int:
    """Make the demo requests and threads; returns the number of call-back requests."""
    if CallbackRequest.objects.exists():
        return CallbackRequest.objects.count()
    users = get_user_model().objects
    medewerker = users.filter(username="medewerker").first()
    coordinator = users.filter(username="coordinator").first()
    days = openingstijden.open_days(count=3)
    windows = openingstijden.windows()
    if medewerker is None or coordinator is None or len(days) < 2 or not windows:
        return 0
    made = 0
    for day, window, note, asker_type in (
        (days[0], windows[-1], "Over het gesprek met de mentor", AskerType.OUDER),
        (days[1], windows[1], "", AskerType.OUDER),
        (days[1], windows[3], "Ik wil van school wisselen", AskerType.JONGERE),
    ):
        start, end = window.on(day)
        terugbel_actions.request_callback(
            phone="0612340000",
            window_start=start,
            window_end=end,
            note=note,
            asker_type=asker_type,
        )
        made += 1
    # One that was asked for yesterday and whose window passed: marked late in the inbox.
    end = timezone.now() - timedelta(hours=1)
    terugbel_actions.request_callback(
        phone="0698760000", window_start=end - timedelta(hours=1), window_end=end
    )
    made += 1
    demo_case = Case.objects.filter(code_hash=hash_code(DEMO_CODE)).first()
    open_cases = Case.objects.filter(status=Status.IN_BEHANDELING, erased_at__isnull=True)
    if demo_case is not None:
        backoffice_actions.ask_advice(
            case=demo_case,
            by=medewerker,
            consultee=coordinator,
            question="Kan de school dit zonder OPP besluiten? Wat zou jij de ouder aanraden?",
        )
    others = open_cases if demo_case is None else open_cases.exclude(pk=demo_case.pk)
    other = others.order_by("pk").first()
    if other is not None:
        backoffice_actions.escalate(
            case=other,
            by=medewerker,
            reason="De ouder wil een klacht indienen en vraagt of wij meegaan. Graag overleg.",
        )
    return made
