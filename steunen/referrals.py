"""Warm referral: consent, handover and the promise to follow up.

A referral names the organisation that can help further. The asker sees
its contact card in their conversation. A *warm* referral also hands the
asker's details over (what was said is the encrypted handover note): only
with the asker's consent, checked by the form, the action and a database
constraint. A follow-up date ("nabellen op") is a promise of the handler:
it is listed for them until someone records it as done (on the timeline).

The actions that change a referral are in steunen/actions.py (``refer``,
``record_follow_up``); this module holds the form, the lists and the cards.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from informeren.models import Organisatie
from steunen.models import Case, Referral, ReferralConsent

NO_CONSENT_NO_HANDOVER = (
    "Zonder toestemming van de vrager geeft u geen gegevens door. Vraag eerst toestemming, "
    "of verwijs zonder warme overdracht (de vrager ziet de contactgegevens zelf)."
)
# How far ahead a follow-up may be promised.
FOLLOW_UP_MAX_DAYS = 183


class ReferralForm(forms.Form):
    """A referral from the case page: where to, the asker's consent, handover and follow-up."""

    submit_label = "Verwijzing opslaan"

    organisatie = forms.ModelChoiceField(
        label="Verwezen naar",
        queryset=Organisatie.objects.all(),
        empty_label="Kies een organisatie",
        error_messages={
            "required": "Kies een organisatie.",
            "invalid_choice": "Kies een organisatie uit de lijst.",
        },
    )
    consent = forms.ChoiceField(
        label="Mogen wij de gegevens van de vrager doorgeven?",
        choices=ReferralConsent.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies of de vrager toestemming gaf.",
            "invalid_choice": "Kies een van de mogelijkheden.",
        },
    )
    handover = forms.BooleanField(
        label="Warme overdracht: wij geven de gegevens van de vrager door", required=False
    )
    handover_note = forms.CharField(
        label="Wat geven wij door? (alleen voor medewerkers)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Houd het kort: maximaal %(limit_value)d tekens, "
            "u heeft er %(show_value)d."
        },
    )
    follow_up_on = forms.DateField(
        label="Nabellen op",
        required=False,
        help_text="Op die dag staat het nabellen op uw lijst en in de inbox.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in."},
    )

    def __init__(
        self, *args: Any, case: Case | None = None, user: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_follow_up_on(self) -> date | None:
        value = self.cleaned_data["follow_up_on"]
        today = timezone.localdate()
        if value and value < today:
            raise forms.ValidationError("Kies een datum vanaf vandaag.")
        if value and value > today + timedelta(days=FOLLOW_UP_MAX_DAYS):
            raise forms.ValidationError("Kies een datum binnen een half jaar.")
        return value  # type: ignore[no-any-return]  # a DateField's date, or None

    def clean_handover_note(self) -> str:
        return str(self.cleaned_data["handover_note"]).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("handover_note"):
            data["handover"] = True  # a note of what we pass on is a handover
        if data.get("handover") and data.get("consent") not in (None, ReferralConsent.YES):
            self.add_error("consent", NO_CONSENT_NO_HANDOVER)
        return data


def open_follow_ups(user: User) -> "list[Referral]":
    """The follow-ups this user promised, not yet done, earliest first.

    Theirs: on a case they handle, or one without a handler that they referred.
    Only cases they may open, and never an erased one.
    """
    return list(
        Referral.objects.filter(
            follow_up_on__isnull=False,
            followed_up_at__isnull=True,
            case__in=Case.objects.visible_to(user).filter(erased_at__isnull=True),
        )
        .filter(Q(case__assignee=user) | Q(case__assignee__isnull=True, author=user))
        .select_related("organisatie", "case__assignee", "author")
        .order_by("follow_up_on", "id")
    )


def all_open_follow_ups(user: User) -> "list[Referral]":
    """Every open follow-up on a case this user may open (the team's list)."""
    return list(
        Referral.objects.filter(
            follow_up_on__isnull=False,
            followed_up_at__isnull=True,
            case__in=Case.objects.visible_to(user).filter(erased_at__isnull=True),
        )
        .select_related("organisatie", "case__assignee", "author")
        .order_by("follow_up_on", "id")
    )


@dataclass(frozen=True, slots=True)
class ContactCard:
    """What the asker sees of an organisation they were referred to."""

    name: str
    summary: str
    phone: str
    website: str
    email: str
    handed_over: bool


def contact_cards(case: Case) -> list[ContactCard]:
    """The organisations this case was referred to, once each, newest referral first."""
    cards: dict[int, ContactCard] = {}
    for referral in case.referrals.select_related("organisatie").order_by("-created_at", "-id"):
        organisatie = referral.organisatie
        if organisatie.pk in cards:
            continue
        cards[organisatie.pk] = ContactCard(
            name=organisatie.name,
            summary=organisatie.summary,
            phone=organisatie.phone,
            website=organisatie.website,
            email=organisatie.email,
            handed_over=referral.handover,
        )
    return list(cards.values())
