from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from informeren.models import SwvGemeente
from signaleren.figures import Block, Published
from signaleren.models import Goal, Measure, Report, Signal
from signaleren.periods import Period, PeriodError, PeriodKind, calendar_period, ended_periods
from steunen.models import Case
from steunpunt.forms import SubmitMixin, field_of

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("Vul een datum in."), "invalid": _("Vul een geldige datum in.")}


class PeriodMixin(forms.BaseForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("De periode eindigt voordat hij begint."))
            elif end >= timezone.localdate():
                self.add_error(
                    "period_end",
                    _("De periode moet voorbij zijn: kies een einddatum vóór vandaag."),
                )
        return data


def period_choices(today: date, keep: Period | None = None) -> list[Any]:
    """The calendar periods that are over, grouped per kind; `keep` (a draft's own
    period, when over) stays among them even if older than the list goes back."""
    groups: list[tuple[str | Promise, list[tuple[str, str]]]] = []
    for kind, periods in ended_periods(today).items():
        if keep and keep.kind == kind and keep not in periods and keep.end < today:
            periods = [*periods, keep]
        groups.append((kind.label, [(p.value(), capfirst(p.name())) for p in periods]))
    return [("", _("Kies een periode")), *groups]


class ReportForm(SubmitMixin, forms.ModelForm[Report]):
    """A report covers one calendar period that is over, chosen from a list: never
    free dates (see signaleren/figures.py for why)."""

    submit_label = _("Opslaan en voorbeeld bekijken")

    period = forms.ChoiceField(
        label=_("Periode"),
        help_text=_("Een maand, kwartaal, halfjaar, schooljaar of kalenderjaar dat voorbij is."),
        error_messages={
            "required": _("Kies een periode."),
            "invalid_choice": _("Kies een periode uit de lijst."),
        },
    )

    class Meta:
        model = Report
        fields = ["title", "period", "samenwerkingsverband", "foreword", "signals"]
        widgets = {
            "foreword": forms.Textarea(attrs={"rows": 5}),
            "signals": forms.CheckboxSelectMultiple,
        }
        error_messages = {"title": {"required": _("Geef de rapportage een titel.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = self.instance.period if self.instance.pk else None
        field_of(self, "period", forms.ChoiceField).choices = period_choices(
            timezone.localdate(), keep=own
        )
        if own and "period" not in self.initial:
            self.initial["period"] = own.value()
        field_of(self, "samenwerkingsverband", forms.ModelChoiceField).empty_label = _(
            "Alle samenwerkingsverbanden"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not data.get("period"):
            return data
        try:
            period = Period.from_value(data["period"])
        except PeriodError as error:
            self.add_error("period", str(error))
            return data
        self.instance.period_start, self.instance.period_end = period.start, period.end
        block = Block.of(period, data.get("samenwerkingsverband"))
        problem = Published.load().conflict(block)
        if problem:
            self.add_error("period", problem)
        return data


class SignalForm(SubmitMixin, PeriodMixin, forms.ModelForm[Signal]):
    submit_label = _("Signaal opslaan")

    class Meta:
        model = Signal
        fields = ["title", "description", "themes", "period_start", "period_end", "case_count"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": _("Geef het signaal een titel.")},
            "description": {"required": _("Beschrijf het signaal in algemene woorden.")},
            "period_start": DATE_ERRORS,
            "period_end": DATE_ERRORS,
            "case_count": {"invalid": _("Vul een heel getal in.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ExampleCaseForm(SubmitMixin, forms.Form):
    submit_label = _("Koppelen")

    reference = forms.CharField(
        label=_("Vraag als voorbeeld"),
        max_length=10,
        help_text=_(
            "Het nummer van de vraag, bijvoorbeeld V00042. "
            "In de rapportage staat alleen het signaal."
        ),
        error_messages={"required": _("Vul het nummer van een vraag in.")},
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_reference(self) -> Case:
        case = Case.objects.visible_to(self.user).by_reference(self.cleaned_data["reference"])
        if case is None:
            raise forms.ValidationError(_("Deze vraag bestaat niet of u kunt hem niet openen."))
        return case


class DashboardForm(PeriodMixin, forms.Form):
    period_start = forms.DateField(label=_("Vanaf"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    period_end = forms.DateField(
        label=_("Tot en met"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    def clean(self) -> dict[str, Any]:
        # The live dashboard may include today.
        data = forms.Form.clean(self) or self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("De periode eindigt voordat hij begint."))
        return data


def goal_period_choices(today: date, keep: Period | None = None) -> list[Any]:
    """Calendar periods a goal can be set for: from two years back to the year
    ahead, grouped per kind, the newest first (goals are set before a period too)."""
    groups: list[tuple[str | Promise, list[tuple[str, str]]]] = []
    for kind in PeriodKind:
        if kind == PeriodKind.MONTH:
            continue  # goals are for a longer stretch than a month
        period = calendar_period(kind, date(today.year + 1, 12, 31))
        if kind == PeriodKind.SCHOOL_YEAR:
            period = calendar_period(kind, date(today.year + 1, 7, 31))
        periods = []
        while period.end >= date(today.year - 2, 1, 1):
            periods.append(period)
            period = period.previous()
        if keep and keep.kind == kind and keep not in periods:
            periods.append(keep)
        groups.append((kind.label, [(p.value(), capfirst(p.name())) for p in periods]))
    return [("", _("Kies een periode")), *groups]


class CommaDecimalField(forms.DecimalField):
    """A number typed the Dutch way (4,5) or with a point (4.5): a text field, as a
    browser's number field may refuse the comma."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


# The range a target can have, per measure, with the message when it falls outside.
TARGET_RANGES = {
    Measure.WITHIN_PROMISE: (0, 100, _("Een percentage ligt tussen 0 en 100.")),
    Measure.YOUTH_SHARE: (0, 100, _("Een percentage ligt tussen 0 en 100.")),
    Measure.EVALUATION: (1, 5, _("Een beoordeling ligt tussen 1 en 5.")),
}


class GoalForm(SubmitMixin, forms.ModelForm[Goal]):
    """A goal for a calendar period: what it is about, the target, and why."""

    submit_label = _("Doel opslaan")

    period = forms.ChoiceField(
        label=_("Periode"),
        help_text=_("Het kwartaal, halfjaar, schooljaar of kalenderjaar waar het doel over gaat."),
        error_messages={
            "required": _("Kies een periode."),
            "invalid_choice": _("Kies een periode uit de lijst."),
        },
    )
    gemeente = forms.ChoiceField(
        label=_("Gemeente"),
        required=False,
        help_text=_("Alleen bij bereik. Leeg: alle gemeenten samen."),
        error_messages={"invalid_choice": _("Kies een gemeente uit de lijst.")},
    )
    target = CommaDecimalField(
        label=_("Streefwaarde"),
        max_digits=7,
        decimal_places=1,
        min_value=0,
        help_text=_(
            "Een getal, bijvoorbeeld 85 (procent), 4,0 (beoordeling) of 10 (vragen per "
            "1.000 leerlingen). Bij de tijd tot het eerste antwoord is lager beter."
        ),
        error_messages={
            "required": _("Vul een streefwaarde in."),
            "invalid": _("Vul een getal in, bijvoorbeeld 85 of 4,5."),
            "min_value": _("De streefwaarde kan niet lager zijn dan 0."),
            "max_digits": _("Dat getal is te groot."),
            "max_decimal_places": _("Gebruik hoogstens één cijfer achter de komma."),
            "max_whole_digits": _("Dat getal is te groot."),
        },
    )

    class Meta:
        model = Goal
        fields = ["period", "samenwerkingsverband", "measure", "gemeente", "target", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "measure": {
                "required": _("Kies waar het doel over gaat."),
                "invalid_choice": _("Kies waar het doel over gaat uit de lijst."),
            },
            "samenwerkingsverband": {"invalid_choice": _("Kies een samenwerkingsverband.")},
        }
        help_texts = {
            "explanation": _("Waarom dit doel, en hoe u het wilt bereiken. Zonder namen."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = self.instance.period if self.instance.pk else None
        field_of(self, "period", forms.ChoiceField).choices = goal_period_choices(
            timezone.localdate(), keep=own
        )
        if own and "period" not in self.initial:
            self.initial["period"] = own.value()
        field_of(self, "gemeente", forms.ChoiceField).choices = [
            ("", _("Alle gemeenten samen"))
        ] + [(name, name) for name in SwvGemeente.gemeenten()]
        field_of(self, "samenwerkingsverband", forms.ModelChoiceField).empty_label = _(
            "Het hele steunpunt"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        measure, gemeente, target = data.get("measure"), data.get("gemeente"), data.get("target")
        if gemeente and measure and measure != Measure.REACH:
            self.add_error("gemeente", _("Een gemeente hoort alleen bij een doel over bereik."))
        swv = data.get("samenwerkingsverband")
        if gemeente and swv and not swv.gemeenten.filter(gemeente=gemeente).exists():
            self.add_error("gemeente", _("Deze gemeente hoort niet bij dit samenwerkingsverband."))
        if measure in TARGET_RANGES and target is not None:
            low, high, message = TARGET_RANGES[measure]
            if not low <= target <= high:
                self.add_error("target", message)
        if data.get("period"):
            try:
                period = Period.from_value(data["period"])
            except PeriodError as error:
                self.add_error("period", str(error))
                return data
            self.instance.period_start, self.instance.period_end = period.start, period.end
            if measure and not self.errors:
                twin = Goal.objects.for_block(period, swv.pk if swv else None).filter(
                    measure=measure, gemeente=gemeente or ""
                )
                if twin.exclude(pk=self.instance.pk).exists():
                    self.add_error(
                        "measure",
                        _(
                            "Voor deze periode is hier al een doel over. Pas dat doel aan "
                            "in plaats van een tweede te maken."
                        ),
                    )
        return data
