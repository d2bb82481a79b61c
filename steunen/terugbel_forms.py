"""Forms of the call-back: the asker's request ("bel mij terug") and the staff's "niet bereikt"."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from steunen import openingstijden
from steunen.form_fields import (
    PHONE_PATTERN,
    WRONG_PHONE_MESSAGE,
    FormMixin,
    new_submission_token,
)
from steunen.models import AskerType
from steunen.staff_forms import StaffForm
from steunpunt.forms import SubmitMixin, field_of

NOTE_MAX_LENGTH = 300


def window_choices() -> list[tuple[str, str]]:
    return [(w.value, w.label) for w in openingstijden.windows()]


class WindowChoiceMixin(FormMixin):
    """A day among the coming open days and a window within the opening hours.

    The day is a select of open days, but any posted date is checked so that
    a closed day, a day in the past or a window outside the opening hours
    gets a message that says why.
    """

    youth = False

    def setup_window_fields(self) -> None:
        days = openingstijden.open_days()
        self.open_days = days
        day_field = self.fields["day"]
        day_field.widget.choices = [
            ("", _("Kies een dag")),
            *((d.isoformat(), openingstijden.day_label(d)) for d in days),
        ]
        field_of(self, "window", forms.ChoiceField).choices = window_choices()
        # A time outside the list is outside the opening hours: say so, not "not in the list".
        self.fields["window"].error_messages["invalid_choice"] = self._outside_hours()

    def _msg(self, parent: StrOrPromise, youth: StrOrPromise) -> str:
        return str(youth if self.youth else parent)

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Deze dag is al voorbij. Kies een dag vanaf vandaag."))
        holidays = openingstijden.holidays_between(day, day)
        if day in holidays:
            raise forms.ValidationError(
                self._msg(
                    _("Op %(day)s is het %(holiday)s: dan zijn wij dicht. Kies een andere dag."),
                    _("Op %(day)s is het %(holiday)s: dan zijn we dicht. Kies een andere dag."),
                )
                % {"day": openingstijden.day_label(day), "holiday": holidays[day]}
            )
        if day.weekday() >= 5:
            raise forms.ValidationError(
                self._msg(
                    _("In het weekend zijn wij dicht. Kies een werkdag."),
                    _("In het weekend zijn we dicht. Kies een werkdag."),
                )
            )
        if self.open_days and day > self.open_days[-1]:
            raise forms.ValidationError(
                _("Zo ver vooruit kan het nog niet. Kies een dag tot en met %(last)s.")
                % {"last": openingstijden.day_label(self.open_days[-1])}
            )
        return day

    def clean_window(self) -> openingstijden.Window:
        window = openingstijden.window_starting(self.cleaned_data["window"])
        if window is None:
            raise forms.ValidationError(self._outside_hours())
        return window

    def _outside_hours(self) -> str:
        return (
            self._msg(
                _("Kies een tijd tussen %(start)s en %(end)s uur: dan zijn wij open."),
                _("Kies een tijd tussen %(start)s en %(end)s uur: dan zijn we open."),
            )
            % openingstijden.hours_label()
        )

    def clean_window_moment(self, data: dict[str, Any]) -> None:
        day, window = data.get("day"), data.get("window")
        if isinstance(day, date) and isinstance(window, openingstijden.Window):
            start, end = window.on(day)
            if start <= timezone.now():
                self.add_error(
                    "window",
                    _("Deze tijd is vandaag al voorbij. Kies een latere tijd of een andere dag."),
                )
            else:
                data["window_start"], data["window_end"] = start, end


class CallbackForm(SubmitMixin, WindowChoiceMixin, forms.Form):
    """What an asker gives to be called back: a number and a time, the rest optional."""

    phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={
            "required": _("Vul uw telefoonnummer in. Daarop bellen wij u."),
            "max_length": WRONG_PHONE_MESSAGE,
        },
    )
    day = forms.DateField(
        label=_("Op welke dag?"),
        input_formats=["%Y-%m-%d"],
        widget=forms.Select(),
        error_messages={"required": _("Kies een dag."), "invalid": _("Kies een dag uit de lijst.")},
    )
    window = forms.ChoiceField(
        label=_("Hoe laat ongeveer?"),
        widget=forms.RadioSelect,
        help_text=_("Wij bellen u ergens in dit uur."),
    )
    name = forms.CharField(
        label=_("Uw naam of voorletters"),
        required=False,
        max_length=100,
        help_text=_("Zo weten wij wie wij bellen."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Houd uw naam korter dan 100 tekens.")},
    )
    note = forms.CharField(
        label=_("Waar gaat het over?"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("In een paar woorden, als u wilt. Bijvoorbeeld: een gesprek op school."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Houd het kort: hoogstens %(limit_value)d tekens.")},
    )
    asker_type = forms.ChoiceField(
        label=_("Wie vraagt het?"),
        choices=[
            (AskerType.OUDER, _("Ik ben ouder of verzorger")),
            (AskerType.JONGERE, _("Ik ben een jongere")),
            (AskerType.ANDER, _("Iemand anders")),
        ],
        initial=AskerType.OUDER,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie het vraagt."),
            "invalid_choice": _("Kies wie het vraagt."),
        },
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, youth: bool = False, joined: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.youth = youth
        self.joined = joined
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_submission_token())
        self.fields["window"].error_messages["required"] = _("Kies een tijd.")
        if youth:
            self._speak_to_a_youth()
        if joined:  # the case opened with the code says who asks: nothing more to ask
            del self.fields["asker_type"]
        self.setup_window_fields()
        self.submit_label = _("Bel me terug") if youth else _("Bel mij terug")
        self.helper.form_tag = False

    def _speak_to_a_youth(self) -> None:
        fields = self.fields
        fields["phone"].label = _("Je telefoonnummer")
        fields["phone"].error_messages["required"] = _(
            "Vul je telefoonnummer in. Daarop bellen we je."
        )
        fields["window"].help_text = _("We bellen je ergens in dit uur.")
        fields["name"].label = _("Je voornaam")
        fields["name"].help_text = _("Zo weten we wie we bellen. Een verzonnen naam mag ook.")
        fields["note"].help_text = _(
            "In een paar woorden, als je wilt. Bijvoorbeeld: ruzie met een leraar."
        )
        # A youth asks for themselves.
        fields["asker_type"].widget = forms.HiddenInput()
        fields["asker_type"].required = False
        self.initial["asker_type"] = AskerType.JONGERE

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(WRONG_PHONE_MESSAGE)
        return phone

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_note(self) -> str:
        return str(self.cleaned_data["note"]).strip()

    def clean_asker_type(self) -> str:
        return AskerType.JONGERE if self.youth else self.cleaned_data["asker_type"]

    @property
    def who_asks(self) -> str:
        return self.cleaned_data.get("asker_type") or AskerType.OUDER

    def clean_submission_token(self) -> str | None:
        return self.cleaned_data["submission_token"][:64] or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        self.clean_window_moment(data)
        return data

    @property
    def chosen_window(self) -> tuple[datetime, datetime]:
        return self.cleaned_data["window_start"], self.cleaned_data["window_end"]


class NotReachedForm(WindowChoiceMixin, StaffForm):
    """Staff called and did not reach the asker: try again in another window, or stop."""

    again = forms.BooleanField(label=_("Opnieuw proberen"), required=False, initial=True)
    day = forms.DateField(
        label=_("Dag"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.Select(),
        error_messages={"invalid": _("Kies een dag uit de lijst.")},
    )
    window = forms.ChoiceField(label=_("Tijd"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_window_fields()
        field_of(self, "window", forms.ChoiceField).choices = [("", "–"), *window_choices()]

    def clean_day(self) -> date | None:  # type: ignore[override]  # may stay empty here
        return super().clean_day() if self.cleaned_data.get("day") else None

    def clean_window(self) -> openingstijden.Window | None:  # type: ignore[override]
        return super().clean_window() if self.cleaned_data.get("window") else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("again"):
            if not data.get("day") and "day" not in self.errors:
                self.add_error("day", _("Kies de dag waarop u het opnieuw probeert."))
            if not data.get("window") and "window" not in self.errors:
                self.add_error("window", _("Kies de tijd waarop u het opnieuw probeert."))
            self.clean_window_moment(data)
        return data

    def retry(self) -> tuple[datetime, datetime] | None:
        data = self.cleaned_data
        if not data.get("again"):
            return None
        return data["window_start"], data["window_end"]
