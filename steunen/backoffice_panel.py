"""What the case page shows of call-backs and the back office, with their forms.

Called by steunen/staff.py ``_case_context``; a view whose form came back
with errors passes its bound form in ``bound`` under the same name.
"""

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone

from steunen.backoffice import ConsultationReply, Escalation
from steunen.backoffice_forms import AdviceForm, AdviceReplyForm, EscalateForm, ResolveForm
from steunen.models import Case
from steunen.terugbel_forms import NotReachedForm
from steunpunt.http import logged_in_user
from steunpunt.roles import Role, has_role

MANAGERS = (Role.MEDEWERKER, Role.COORDINATOR)


def callback_prefix(pk: int) -> str:
    return f"terugbellen-{pk}"


def reply_prefix(pk: int) -> str:
    return f"advies-{pk}"


def context(request: HttpRequest, case: Case, bound: dict[str, Any]) -> dict[str, Any]:
    user = logged_in_user(request)
    manager = has_role(user, *MANAGERS)
    callbacks = list(case.callbacks.select_related("done_by"))
    found = {
        "callbacks": [
            (
                callback,
                bound.get(callback_prefix(callback.pk))
                or NotReachedForm(case=case, user=user, prefix=callback_prefix(callback.pk)),
            )
            if callback.is_open and manager
            else (callback, None)
            for callback in callbacks
        ],
        "bookings": list(case.bookings.select_related("slot", "held_by")),
        "now": timezone.now(),
    }
    if not manager:
        return found  # the thread and the escalation are for medewerkers and coordinators
    consultations = list(
        case.consultations.select_related("asked_by", "consultee").prefetch_related(
            Prefetch("replies", queryset=ConsultationReply.objects.select_related("author")),
            "expert_links",
        )
    )
    escalations = list(Escalation.objects.filter(case=case).select_related("by", "resolved_by"))
    open_escalation = next((e for e in escalations if e.is_open), None)
    found.update(
        {
            "backoffice": True,
            "consultations": [
                (
                    consultation,
                    bound.get(reply_prefix(consultation.pk))
                    or AdviceReplyForm(case=case, user=user, prefix=reply_prefix(consultation.pk)),
                )
                for consultation in consultations
            ],
            "advice_form": bound.get("advice") or AdviceForm(case=case, user=user, prefix="advice"),
            "escalations": escalations,
            "open_escalation": open_escalation,
            "escalate_form": bound.get("escalate")
            or EscalateForm(case=case, user=user, prefix="escalate"),
            "resolve_form": bound.get("resolve")
            or ResolveForm(case=case, user=user, prefix="resolve"),
            "may_resolve": has_role(user, Role.COORDINATOR),
        }
    )
    return found
