"""Forms of the back office on the case page: advice, a reply to it, escalation."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from steunen.form_fields import QUESTION_MAX_LENGTH
from steunen.staff_forms import StaffForm
from steunpunt.forms import field_of
from steunpunt.roles import Role, users_with_role

COLLEAGUE_ROLES = (Role.MEDEWERKER, Role.COORDINATOR)


def colleagues(but: User | None) -> QuerySet[User]:
    """Active medewerkers and coordinators other than ``but``, by name."""
    users = users_with_role(*COLLEAGUE_ROLES).exclude(
        groups__name__in=[Role.BESTUUR.value, Role.OPR.value]
    )
    return users if but is None else users.exclude(pk=but.pk)


class AdviceForm(StaffForm):
    """Ask a colleague in the portal, or write down which expert outside it you asked."""

    consultee = forms.ChoiceField(
        label="Collega",
        required=False,
        error_messages={"invalid_choice": "Kies een collega uit de lijst."},
    )
    expert_name = forms.CharField(
        label="Of een deskundige buiten het steunpunt",
        required=False,
        max_length=120,
        help_text=(
            "Naam en functie, bijvoorbeeld: onderwijsconsulent J. de Vries. U vraagt het zelf "
            "(telefoon of mail) en schrijft het advies hier op."
        ),
        error_messages={"max_length": "Houd de naam korter dan 120 tekens."},
    )
    question = forms.CharField(
        label="Uw vraag (alleen voor collega's: de vrager ziet dit nooit)",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Schrijf eerst uw vraag."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {str(u.pk): u for u in colleagues(self.user)}
        field_of(self, "consultee", forms.ChoiceField).choices = [
            ("", "– kies een collega –"),
            *((pk, u.get_full_name() or u.get_username()) for pk, u in self.colleagues.items()),
        ]

    def clean_consultee(self) -> User | None:
        value = self.cleaned_data.get("consultee") or ""
        if value and value not in self.colleagues:
            raise forms.ValidationError("Kies een collega uit de lijst.")
        return self.colleagues.get(value)

    def clean_question(self) -> str:
        question: str = self.cleaned_data["question"].strip()
        if not question:
            raise forms.ValidationError("Schrijf eerst uw vraag.")
        return question

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        consultee, expert = data.get("consultee"), (data.get("expert_name") or "").strip()
        data["expert_name"] = expert
        if "consultee" in self.errors or "expert_name" in self.errors:
            return data
        if consultee is None and not expert:
            self.add_error("consultee", "Kies een collega, of vul de naam van een deskundige in.")
        elif consultee is not None and expert:
            self.add_error("expert_name", "Kies een collega óf een deskundige, niet allebei.")
        return data


class AdviceReplyForm(StaffForm):
    body = forms.CharField(
        label="Reactie (alleen voor collega's)",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Schrijf eerst een reactie."},
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Schrijf eerst een reactie.")
        return body


class EscalateForm(StaffForm):
    reason = forms.CharField(
        label="Waarom moet de coördinator meekijken?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Schrijf de reden op: de coördinator leest die eerst.",
            "max_length": "Houd de reden korter dan %(limit_value)d tekens.",
        },
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Schrijf de reden op: de coördinator leest die eerst.")
        return reason


class ResolveForm(StaffForm):
    resolution = forms.CharField(
        label="Hoe is het afgehandeld? (mag leeg)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Houd het korter dan %(limit_value)d tekens."},
    )
