"""Forms of the appointments: the asker's booking form and the staff's series form."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steunen.afspraken import SlotKind
from steunen.appointments import SeriesPlan
from steunen.form_fields import PHONE_PATTERN, WRONG_PHONE_MESSAGE, new_submission_token
from steunen.models import AskerType
from steunpunt.forms import SubmitMixin, field_of
from steunpunt.roles import Role, users_with_role


class BookingForm(SubmitMixin, forms.Form):
    """What an asker gives to book: as little as possible, all of it optional."""

    submit_label = _("Maak de afspraak")

    asker_type = forms.ChoiceField(
        label=_("Wie maakt de afspraak?"),
        choices=[
            (AskerType.OUDER, _("Ik ben ouder of verzorger")),
            (AskerType.JONGERE, _("Ik ben een jongere")),
            (AskerType.ANDER, _("Iemand anders")),
        ],
        initial=AskerType.OUDER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wie de afspraak maakt.")},
    )
    name = forms.CharField(
        label=_("Uw naam of voorletters"),
        required=False,
        max_length=100,
        help_text=_("Zo weten wij wie wij spreken. U mag ook anoniem blijven."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Houd uw naam korter dan 100 tekens.")},
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        help_text=_(
            "Alleen als u de dag ervoor een herinnering wilt. Schrijven wij u over uw vraag, "
            "dan krijgt u hier ook een seintje, zonder de inhoud."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Dit e-mailadres klopt niet. Kijk of er een @ in staat.")},
    )
    phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        required=False,
        max_length=20,
        help_text=_("Bij een telefonische afspraak bellen wij u hierop. Leeg? Dan belt u ons."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": WRONG_PHONE_MESSAGE},
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, youth: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_submission_token())
        self.helper.form_tag = False  # the template's form holds the chosen slot too
        self.youth = youth
        if youth:
            self._speak_to_a_youth()

    def clean_asker_type(self) -> str:
        chosen: str = self.cleaned_data["asker_type"]
        return AskerType.JONGERE if self.youth else chosen

    def _speak_to_a_youth(self) -> None:
        """A youth's booking (``?voor=jongere``) says "je", and a youth books for themselves."""
        fields = self.fields
        fields["name"].label = _("Je naam of voorletters")
        fields["name"].help_text = _("Zo weten we wie we spreken. Een verzonnen naam mag ook.")
        fields["name"].error_messages["max_length"] = _("Houd je naam korter dan 100 tekens.")
        fields["email"].label = _("Je e-mailadres")
        fields["email"].help_text = _(
            "Alleen als je de dag ervoor een herinnering wilt. Schrijven we je over je vraag, "
            "dan krijg je hier ook een seintje, zonder wat erin staat."
        )
        fields["phone"].label = _("Je telefoonnummer")
        fields["phone"].help_text = _(
            "Bij een afspraak door de telefoon bellen we je hierop. Leeg? Dan bel je ons."
        )
        fields["asker_type"].widget = forms.HiddenInput()
        fields["asker_type"].required = False
        self.initial["asker_type"] = AskerType.JONGERE

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(WRONG_PHONE_MESSAGE)
        return phone

    def clean_submission_token(self) -> str | None:
        return self.cleaned_data["submission_token"][:64] or None


class SeriesForm(SubmitMixin, forms.Form):
    """Publish a series of slots: one day's hours, cut into equal parts, for some weeks."""

    submit_label = _("Zet de tijden klaar")

    kind = forms.ChoiceField(
        label=_("Soort afspraak"),
        choices=SlotKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de soort afspraak.")},
    )
    place = forms.CharField(
        label=_("Plek"),
        required=False,
        max_length=200,
        help_text=_("Alleen bij een spreekuur op locatie, bijvoorbeeld de naam en het adres."),
    )
    video_url = forms.URLField(
        label=_("Link voor het videogesprek"),
        required=False,
        help_text=_("Alleen bij een videogesprek. Ouders zien de link na het boeken."),
        assume_scheme="https",
        error_messages={"invalid": _("Deze link klopt niet. Begin met https://.")},
    )
    staff = forms.ChoiceField(label=_("Wie"), required=False)
    first_day = forms.DateField(
        label=_("Eerste dag"),
        help_text=_("Dezelfde weekdag komt terug in de volgende weken."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de eerste dag in."),
            "invalid": _("Deze datum klopt niet."),
        },
    )
    start = forms.TimeField(
        label=_("Van"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul de begintijd in."),
            "invalid": _("Deze tijd klopt niet."),
        },
    )
    end = forms.TimeField(
        label=_("Tot"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul de eindtijd in."),
            "invalid": _("Deze tijd klopt niet."),
        },
    )
    slot_minutes = forms.IntegerField(
        label=_("Minuten per afspraak"),
        initial=30,
        min_value=5,
        max_value=240,
        error_messages={
            "required": _("Vul in hoe lang een afspraak duurt."),
            "min_value": _("Een afspraak duurt minstens 5 minuten."),
            "max_value": _("Een afspraak duurt hoogstens 240 minuten."),
        },
    )
    buffer_minutes = forms.IntegerField(
        label=_("Pauze tussen afspraken (minuten)"),
        initial=0,
        min_value=0,
        max_value=120,
        error_messages={
            "min_value": _("De pauze kan niet negatief zijn."),
            "max_value": _("De pauze is hoogstens 120 minuten."),
        },
    )
    capacity = forms.IntegerField(
        label=_("Plaatsen per afspraak"),
        help_text=_("1 voor een gesprek; meer voor een inloopuur."),
        initial=1,
        min_value=1,
        max_value=50,
        error_messages={
            "required": _("Vul het aantal plaatsen in."),
            "min_value": _("Er is minstens 1 plaats."),
            "max_value": _("Hoogstens 50 plaatsen."),
        },
    )
    weeks = forms.IntegerField(
        label=_("Aantal weken"),
        initial=4,
        min_value=1,
        max_value=26,
        error_messages={
            "required": _("Vul het aantal weken in."),
            "min_value": _("Minstens 1 week."),
            "max_value": _("Hoogstens 26 weken."),
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        staff = users_with_role(Role.MEDEWERKER, Role.COORDINATOR)
        self.staff_by_pk = {str(u.pk): u for u in staff}
        field_of(self, "staff", forms.ChoiceField).choices = [
            ("", _("Het team (wie dienst heeft)")),
            *((pk, u.get_full_name() or u.get_username()) for pk, u in self.staff_by_pk.items()),
        ]
        if not self.is_bound:
            self.initial.setdefault("staff", str(user.pk))
            self.initial.setdefault("first_day", timezone.localdate() + timedelta(days=1))

    def clean_staff(self) -> User | None:
        value = self.cleaned_data.get("staff") or ""
        if value and value not in self.staff_by_pk:
            raise forms.ValidationError(_("Kies een medewerker uit de lijst."))
        return self.staff_by_pk.get(value)

    def clean_first_day(self) -> date:
        day: date = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("De eerste dag ligt in het verleden."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        kind = data.get("kind")
        if kind == SlotKind.PLACE and not data.get("place", "").strip():
            self.add_error("place", _("Vul in waar het spreekuur is."))
        if kind == SlotKind.VIDEO and not data.get("video_url") and "video_url" not in self.errors:
            self.add_error("video_url", _("Vul de link voor het videogesprek in."))
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("De eindtijd moet na de begintijd liggen."))
        elif (
            start
            and end
            and data.get("slot_minutes")
            and not self.errors
            and not self.plan().times()
        ):
            self.add_error(
                None, _("Met deze tijden past er geen afspraak in. Maak de tijd langer.")
            )
        return data

    def plan(self) -> SeriesPlan:
        data = self.cleaned_data
        return SeriesPlan(
            kind=data["kind"],
            first_day=data["first_day"],
            start=data["start"],
            end=data["end"],
            slot_minutes=data["slot_minutes"],
            buffer_minutes=data.get("buffer_minutes") or 0,
            capacity=data["capacity"],
            weeks=data["weeks"],
            place=data.get("place", "").strip(),
            video_url=data.get("video_url", ""),
            staff=data.get("staff"),
        )
