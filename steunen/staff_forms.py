"""The staff forms of the case page, the intake of a question, the evaluation remarks."""

import datetime
from datetime import timedelta
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from informeren.models import (
    Samenwerkingsverband,
    SchoolType,
    Thema,
)
from steunen import actions
from steunen.form_fields import (
    QUESTION_MAX_LENGTH,
    AskerDetailsMixin,
    asker_type_field,
    clean_attachment,
    gemeente_field,
    school_field,
    text_field,
)
from steunen.models import (
    Activity,
    Case,
    Channel,
    ContactPreference,
    Outcome,
    Status,
)
from steunpunt.forms import SubmitMixin, field_of
from steunpunt.roles import Role, users_with_role


def person_label(user: User) -> str:
    """How a colleague is named in a choice: full name, else the username."""
    return user.get_full_name() or user.get_username()


class StaffForm(forms.Form):
    """A small form on the case page: posted by htmx, works without it too."""

    submit_label = _("Opslaan")

    def __init__(
        self, *args: Any, case: Case | None = None, user: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False


class AnswerForm(StaffForm):
    body = forms.CharField(
        label=_("Antwoord aan de vrager"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Schrijf eerst een antwoord.")},
    )

    attachment = forms.FileField(
        label=_("Bestand meesturen"),
        required=False,
        help_text=_("PDF, PNG of JPG. De vrager kan het downloaden bij het gesprek."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"empty": _("Dit bestand is leeg. Kies een ander bestand.")},
    )
    clean_attachment = clean_attachment  # the asker's checks: size, type, made safe

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.case is not None and self.case.email and self.case.channel == Channel.EMAIL:
            # Asked by e-mail, answered by e-mail (steunen/mailthread.py): the file goes along.
            self.fields["attachment"].help_text = _(
                "PDF, PNG of JPG. Het gaat mee in de e-mail aan de vrager."
            )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Schrijf eerst een antwoord."))
        return body


class NoteForm(StaffForm):
    body = forms.CharField(
        label=_("Interne notitie (de vrager ziet dit nooit)"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf eerst een notitie.")},
    )


# Closing has a form of its own (CloseForm): it asks for the outcome.
STATUS_CHOICES = [(s.value, s.label) for s in Status if s != Status.AFGEROND]


class StatusForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_CHOICES,
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if (case := self.case) is not None:  # only where the case may go (and where it is)
            field = field_of(self, "status", forms.ChoiceField)
            field.choices = [
                (value, label)
                for value, label in STATUS_CHOICES
                if value == case.status or case.can_move_to(value)
            ]


class AssignForm(StaffForm):
    assignee = forms.ModelChoiceField(
        label=_("Behandelaar"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nog niemand"),
        error_messages={"invalid_choice": _("Kies een behandelaar uit de lijst.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The behandelaar is a professional; a buddy works alongside them as a
        # member of the case, invited by the coordinator (steunen/buddies.py).
        field = field_of(self, "assignee", forms.ModelChoiceField)
        field.queryset = users_with_role(Role.MEDEWERKER, Role.COORDINATOR)
        field.label_from_instance = person_label  # type: ignore[method-assign, assignment]


class ThemesForm(StaffForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Thema.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SwvForm(StaffForm):
    samenwerkingsverband = forms.ModelChoiceField(
        label=_("Samenwerkingsverband"),
        queryset=Samenwerkingsverband.objects.all(),
        required=False,
        empty_label=_("SWV onbekend"),
        error_messages={"invalid_choice": _("Kies een samenwerkingsverband uit de lijst.")},
    )


class UrgencyForm(StaffForm):
    urgent = forms.BooleanField(label=_("Spoed"), required=False)


class TimeEntryForm(StaffForm):
    minutes = forms.IntegerField(
        label=_("Minuten"),
        min_value=1,
        max_value=600,
        error_messages={
            "required": _("Vul het aantal minuten in."),
            "invalid": _("Vul een heel getal in, zoals 15."),
            "min_value": _("Vul minstens 1 minuut in."),
            "max_value": _("Meer dan 600 minuten op één dag? Verdeel het over meer regels."),
        },
    )
    activity = forms.ChoiceField(
        label=_("Activiteit"),
        choices=Activity.choices,
        error_messages={"required": _("Kies een activiteit.")},
    )
    date = forms.DateField(
        label=_("Datum"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        if value < today - timedelta(days=366):
            raise forms.ValidationError(_("De datum ligt meer dan een jaar terug."))
        return value


class CloseForm(StaffForm):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[("", _("Kies een uitkomst")), *Outcome.choices],
        error_messages={"required": _("Kies een uitkomst voordat u de vraag afrondt.")},
    )


class MergeForm(StaffForm):
    other = forms.CharField(
        label=_("Voeg deze vraag toe aan vraag"),
        max_length=10,
        help_text=_("Het nummer van de andere vraag, bijvoorbeeld V00042."),
        error_messages={"required": _("Vul het nummer van de andere vraag in.")},
    )

    same_asker = forms.BooleanField(
        label=_("Ik heb beide vragen gelezen: het is dezelfde vrager"),
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_other(self) -> Case:
        target = Case.objects.visible_to(self.user).by_reference(self.cleaned_data["other"])
        if target is None:
            raise forms.ValidationError(_("Deze vraag bestaat niet of u kunt hem niet openen."))
        if self.case is not None and target.pk == self.case.pk:
            raise forms.ValidationError(_("Een vraag kan niet met zichzelf samengaan."))
        return target


class StaffCaseForm(SubmitMixin, AskerDetailsMixin, forms.Form):
    """A question that came in by phone, email or at the door, entered by staff."""

    submit_label = _("Vraag opslaan")

    channel = forms.ChoiceField(
        label=_("Hoe kwam de vraag binnen?"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe de vraag binnenkwam.")},
    )
    asker_type = asker_type_field()
    question = text_field(_("De vraag, kort samengevat"), rows=6)
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Thema.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    school_type = forms.ChoiceField(
        label=_("Soort school"),
        choices=[("", _("Onbekend")), *SchoolType.choices],
        required=False,
    )
    school = school_field(_("School"))
    gemeente = gemeente_field(_("Gemeente"))
    thuiszitter = forms.BooleanField(label=_("Kind zit thuis zonder school"), required=False)
    name = forms.CharField(label=_("Naam"), required=False, max_length=100)
    contact_preference = forms.ChoiceField(
        label=_("Contact"),
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={"invalid": _("Dit e-mailadres klopt niet.")},
    )
    phone = forms.CharField(label=_("Telefoonnummer"), required=False, max_length=20)
    phone_times = forms.CharField(label=_("Bereikbaar"), required=False, max_length=100)

    def submit(self, *, by: User) -> tuple[Case, str]:
        return actions.submit_question(
            **self.question_fields(), channel=self.cleaned_data["channel"], entered_by=by
        )


class RemarkPeriodForm(SubmitMixin, forms.Form):
    """Which quarter of evaluation remarks the coordinator reads (the current one first)."""

    submit_label = _("Toon")

    periode = forms.ChoiceField(label=_("Periode"), required=False)

    QUARTERS = 8

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        from signaleren.periods import quarter_of

        super().__init__(*args, **kwargs)
        quarter = quarter_of(today or timezone.localdate())
        self.quarters = [quarter]
        while len(self.quarters) < self.QUARTERS:
            self.quarters.append(self.quarters[-1].previous())
        field_of(self, "periode", forms.ChoiceField).choices = [
            (q.value(), q.name()) for q in self.quarters
        ]
        self.helper.form_method = "get"

    # A signaleren.periods.Period: named here only, as importing it would add a
    # debt against the import direction (tests/steunpunt/test_architecture.py).
    def period(self) -> Any:
        """The chosen quarter; the current one when none (or an unknown one) was chosen."""
        chosen = self.cleaned_data.get("periode") if self.is_valid() else None
        return next((q for q in self.quarters if q.value() == chosen), self.quarters[0])


class RemarkDeleteForm(SubmitMixin, forms.Form):
    submit_label = _("Verwijder de opmerking")

    confirm = forms.BooleanField(
        label=_("Ja, verwijder deze opmerking. Dit kan niet ongedaan worden gemaakt."),
        error_messages={"required": _("Vink aan dat u de opmerking wilt verwijderen.")},
    )
