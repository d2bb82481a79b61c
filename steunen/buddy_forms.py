"""Forms of the buddy pool and of matching (steunen/buddies.py). Staff forms, in Dutch."""

from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from informeren.models import Samenwerkingsverband, SchoolType, SwvGemeente, Thema
from steunen.buddies import BuddyProfile
from steunen.form_fields import QUESTION_MAX_LENGTH
from steunen.staff_forms import person_label
from steunpunt.forms import field_of
from steunpunt.roles import Role, users_with_role


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BuddyProfileForm(forms.ModelForm[BuddyProfile]):
    """A volunteer in the pool. Dates may not lie in the future; the rest is optional."""

    gemeenten = forms.MultipleChoiceField(
        label="Gemeenten",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Waar de buddy ouders of jongeren kan helpen.",
        error_messages={"invalid_choice": "Kies gemeenten uit de lijst."},
    )
    school_types = forms.MultipleChoiceField(
        label="Soorten school die de buddy kent",
        required=False,
        choices=SchoolType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Kies soorten school uit de lijst."},
    )

    class Meta:
        model = BuddyProfile
        fields = [
            "user",
            "agreement_on",
            "trained_on",
            "vog_on",
            "gemeenten",
            "samenwerkingsverbanden",
            "themes",
            "school_types",
            "experience",
            "availability",
            "max_cases",
            "available",
        ]
        widgets = {
            "agreement_on": _date_widget(),
            "trained_on": _date_widget(),
            "vog_on": _date_widget(),
            "samenwerkingsverbanden": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "experience": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "vog_on": "Een VOG telt drie jaar. Daarna is een nieuwe nodig om te koppelen.",
            "experience": (
                "Alleen wat de buddy zelf wil delen, bijvoorbeeld: moeder van een zoon met "
                "autisme, ervaring met thuiszitten. Alleen de coördinator ziet dit."
            ),
            "availability": "Bijvoorbeeld: doordeweeks na 15.00 uur, niet in de schoolvakanties.",
        }
        error_messages = {
            "user": {
                "required": "Kies de vrijwilliger.",
                "invalid_choice": "Kies een vrijwilliger uit de lijst.",
                "unique": "Deze vrijwilliger staat al in de buddypool.",
            },
            "agreement_on": {"invalid": "Vul een geldige datum in."},
            "trained_on": {"invalid": "Vul een geldige datum in."},
            "vog_on": {"invalid": "Vul een geldige datum in."},
            "availability": {"max_length": "Schrijf het korter: maximaal 200 tekens."},
            "max_cases": {
                "required": "Vul in hoeveel vragen de buddy tegelijk kan hebben.",
                "invalid": "Vul een heel getal in, zoals 2.",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = BuddyProfile.objects.exclude(pk=self.instance.pk).values("user_id")
        user = field_of(self, "user", forms.ModelChoiceField)
        user.queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.VRIJWILLIGER.value)
            .exclude(pk__in=taken)
            .order_by("first_name", "username")
        )
        user.label_from_instance = person_label  # type: ignore[method-assign, assignment]
        user.empty_label = "Kies een vrijwilliger"
        user.help_text = "Een account met de rol vrijwilliger (maak het aan bij Team)."
        field_of(self, "gemeenten", forms.MultipleChoiceField).choices = [
            (g, g) for g in SwvGemeente.gemeenten()
        ]
        swvs = field_of(self, "samenwerkingsverbanden", forms.ModelMultipleChoiceField)
        swvs.queryset = Samenwerkingsverband.objects.all()
        field_of(self, "themes", forms.ModelMultipleChoiceField).queryset = Thema.objects.all()
        field_of(self, "experience", forms.CharField).max_length = QUESTION_MAX_LENGTH
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _not_in_future(self, name: str) -> date | None:
        value: date | None = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError("Deze datum ligt in de toekomst.")
        return value

    def clean_agreement_on(self) -> date | None:
        return self._not_in_future("agreement_on")

    def clean_trained_on(self) -> date | None:
        return self._not_in_future("trained_on")

    def clean_vog_on(self) -> date | None:
        return self._not_in_future("vog_on")

    def clean_max_cases(self) -> int:
        value: int = self.cleaned_data["max_cases"]
        if not 1 <= value <= 20:
            raise forms.ValidationError("Kies een aantal van 1 tot 20.")
        return value

    def clean_experience(self) -> str:
        value: str = self.cleaned_data.get("experience", "").strip()
        if len(value) > QUESTION_MAX_LENGTH:
            raise forms.ValidationError(
                f"Schrijf het korter: maximaal {QUESTION_MAX_LENGTH} tekens."
            )
        return value


class InviteForm(forms.Form):
    """Which volunteer the coordinator invites as buddy on a case."""

    buddy = forms.ModelChoiceField(
        label="Buddy",
        queryset=BuddyProfile.objects.none(),
        error_messages={
            "required": "Kies een buddy.",
            "invalid_choice": "Kies een buddy uit de pool.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buddies = field_of(self, "buddy", forms.ModelChoiceField)
        buddies.queryset = BuddyProfile.objects.select_related("user")


class ReaderForm(forms.Form):
    """A colleague who reads along on the case (meelezer)."""

    reader = forms.ModelChoiceField(
        label="Meelezer toevoegen",
        queryset=get_user_model().objects.none(),
        empty_label="Kies een collega",
        error_messages={
            "required": "Kies een collega.",
            "invalid_choice": "Kies een collega uit de lijst.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "reader", forms.ModelChoiceField)
        field.queryset = users_with_role(Role.MEDEWERKER, Role.COORDINATOR)
        field.label_from_instance = person_label  # type: ignore[method-assign, assignment]


class BuddyMessageForm(forms.Form):
    body = forms.CharField(
        label="Bericht aan de vrager",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Schrijf eerst een bericht.",
            "max_length": "Uw bericht is te lang: maximaal %(limit_value)d tekens.",
        },
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Schrijf eerst een bericht.")
        return body
