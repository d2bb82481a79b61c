from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signaleren.models import Report, Signal
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


class ReportForm(PeriodMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "title",
            "period_start",
            "period_end",
            "samenwerkingsverband",
            "foreword",
            "signals",
        ]
        widgets = {
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "foreword": forms.Textarea(attrs={"rows": 5}),
            "signals": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": _("Geef de rapportage een titel.")},
            "period_start": DATE_ERRORS,
            "period_end": DATE_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["samenwerkingsverband"].empty_label = _("Alle samenwerkingsverbanden")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan en voorbeeld bekijken")))


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
