from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from signaleren.figures import Block, Published
from signaleren.models import Report, Signal
from signaleren.periods import Period, PeriodError, ended_periods
from steunen.models import Case

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("Vul een datum in."), "invalid": _("Vul een geldige datum in.")}


class PeriodMixin:
    def clean(self):
        data = super().clean()
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


def period_choices(today, keep: Period | None = None) -> list:
    """The calendar periods that are over, grouped per kind; `keep` (a draft's own
    period, when over) stays among them even if older than the list goes back."""
    groups = []
    for kind, periods in ended_periods(today).items():
        if keep and keep.kind == kind and keep not in periods and keep.end < today:
            periods = [*periods, keep]
        groups.append((kind.label, [(p.value(), capfirst(p.name())) for p in periods]))
    return [("", _("Kies een periode")), *groups]


class ReportForm(forms.ModelForm):
    """A report covers one calendar period that is over, chosen from a list: never
    free dates (see signaleren/figures.py for why)."""

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = self.instance.period if self.instance.pk else None
        self.fields["period"].choices = period_choices(timezone.localdate(), keep=own)
        if own and "period" not in self.initial:
            self.initial["period"] = own.value()
        self.fields["samenwerkingsverband"].empty_label = _("Alle samenwerkingsverbanden")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan en voorbeeld bekijken")))

    def clean(self):
        data = super().clean()
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


class SignalForm(PeriodMixin, forms.ModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Signaal opslaan")))


class ExampleCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Vraag als voorbeeld"),
        max_length=10,
        help_text=_(
            "Het nummer van de vraag, bijvoorbeeld V00042. "
            "In de rapportage staat alleen het signaal."
        ),
        error_messages={"required": _("Vul het nummer van een vraag in.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Koppelen")))

    def clean_reference(self) -> Case:
        raw = self.cleaned_data["reference"].strip().upper().lstrip("V")
        case = (
            Case.objects.visible_to(self.user).filter(pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if case is None:
            raise forms.ValidationError(_("Deze vraag bestaat niet of u kunt hem niet openen."))
        return case


class DashboardForm(PeriodMixin, forms.Form):
    period_start = forms.DateField(label=_("Vanaf"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    period_end = forms.DateField(
        label=_("Tot en met"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    def clean(self):
        # The live dashboard may include today.
        data = forms.Form.clean(self)
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("De periode eindigt voordat hij begint."))
        return data
