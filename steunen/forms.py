"""Forms of the steunen pillar. Every message is Dutch, at B1 level."""

import re
import secrets
from datetime import timedelta
from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from informeren import searchlog
from informeren.models import (
    Samenwerkingsverband,
    School,
    SchoolType,
    SwvGemeente,
    Thema,
)
from steunen import actions, buddy_actions
from steunen.attachments import prepare
from steunen.buddies import BuddyWishSource
from steunen.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Activity,
    AskerType,
    Case,
    Channel,
    ContactPreference,
    Outcome,
    Status,
    normalise_code,
)
from steunpunt.cache import kept
from steunpunt.roles import Role

QUESTION_MAX_LENGTH = 5000
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{8,18}[0-9]$")
WRONG_PHONE_MESSAGE = _("Dit telefoonnummer klopt niet. Gebruik alleen cijfers, zoals 0612345678.")


class SchoolSelect(forms.Select):
    """The region's schools grouped by gemeente: a select that works without JavaScript.

    Django renders every option through a template, which for 2,000 schools
    took a quarter of a second on each view of the question form. Here the
    options are made once per content version (steunpunt/cache.py: published
    content only, the same for everyone), and the chosen school is marked in
    a copy made for this form.
    """

    template_name = "steunen/widgets/school_select.html"
    blank_label = _("Weet ik niet of zeg ik liever niet")

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        options = kept("school-options", self._options)
        chosen = str(value or "")
        if chosen.isdigit():
            options = options.replace(f'value="{chosen}">', f'value="{chosen}" selected>', 1)
        blank = format_html(
            '<option value=""{}>{}</option>', "" if chosen else " selected", self.blank_label
        )
        context["widget"]["options"] = mark_safe(blank + options)  # noqa: S308 (all format_html)
        return context

    @staticmethod
    def _options() -> str:
        """The schools as HTML options grouped by gemeente (kept by get_context)."""
        schools = School.objects.order_by("gemeente", "name").values_list(
            "pk", "name", "place", "gemeente"
        )
        return "".join(
            format_html(
                '<optgroup label="{}">{}</optgroup>',
                gemeente,
                format_html_join(
                    "",
                    '<option value="{}">{} ({})</option>',
                    (row[:3] for row in group),
                ),
            )
            for gemeente, group in groupby(schools, key=lambda row: row[3])
        )


def school_field(label) -> forms.CharField:
    """Which school, if the asker wants to say: checked against the database (clean_school)."""
    return forms.CharField(label=label, required=False, widget=SchoolSelect)


def _text_field(
    label,
    *,
    required=True,
    max_length=QUESTION_MAX_LENGTH,
    rows=6,
    help_text="",
    error_messages=None,
):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Schrijf hier uw bericht."),
            "max_length": _(
                "Uw bericht is te lang: maximaal %(limit_value)d tekens, u heeft er %(show_value)d."
            ),
            **(error_messages or {}),
        },
    )


def attachment_field() -> forms.FileField:
    # The label says "(niet verplicht)" (templates/formulier/field.html): not again here.
    return forms.FileField(
        label=_("Bestand toevoegen"),
        required=False,
        help_text=_("Bijvoorbeeld een brief van school of het OPP. PDF, PNG of JPG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"empty": _("Dit bestand is leeg. Kies een ander bestand.")},
    )


def clean_attachment(form) -> tuple | None:
    """The upload checked and cleaned (kind, data, warning), or None."""
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return None
    return prepare(upload)


# A gemeente outside the region, as the form stores it (Case.gemeente).
ELDERS = "elders"


def gemeente_choices() -> list[tuple[str, str]]:
    """The region's gemeenten (those mapped to an SWV), then "another gemeente"."""
    return [
        ("", _("Zeg ik liever niet")),
        *[(name, name) for name in SwvGemeente.gemeenten()],
        (ELDERS, _("Een andere gemeente")),
    ]


def gemeente_field(label: str, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=gemeente_choices,  # a callable: read when the form is shown or checked
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": _("Kies een gemeente uit de lijst.")},
    )


class AskerDetailsMixin:
    """Validation shared by the public question form and the staff intake form."""

    # QuestionForm says "je" to youths instead.
    missing_email_message = _("Vul uw e-mailadres in, of kies een andere manier van contact.")
    missing_phone_message = _("Vul uw telefoonnummer in, of kies een andere manier van contact.")

    QUESTION_FIELDS = (
        "asker_type", "question", "themes", "school_type", "school", "gemeente", "thuiszitter",
        "contact_preference", "email", "phone", "phone_times",
    )  # fmt: skip

    def question_fields(self) -> dict:
        """The cleaned data that submit_question takes, from either form."""
        data = self.cleaned_data
        return {name: data[name] for name in self.QUESTION_FIELDS} | {"name": data["name"].strip()}

    def clean_school(self) -> School | None:
        value = self.cleaned_data.get("school")
        if not value:
            return None
        school = School.objects.filter(pk=value).first() if str(value).isdigit() else None
        if school is None:
            raise forms.ValidationError(_("Kies een school uit de lijst."))
        return school

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(WRONG_PHONE_MESSAGE)
        return phone

    def clean(self):
        data = super().clean()
        preference = data.get("contact_preference")
        if (
            preference == ContactPreference.EMAIL
            and not data.get("email")
            and "email" not in self.errors
        ):
            self.add_error("email", self.missing_email_message)
        if (
            preference == ContactPreference.PHONE
            and not data.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", self.missing_phone_message)
        # Keep only what the chosen way of contact needs: collect the least data.
        if preference != ContactPreference.EMAIL:
            data["email"] = ""
        if preference != ContactPreference.PHONE:
            data["phone"] = ""
            data["phone_times"] = ""
        return data


def new_submission_token() -> str:
    """Marks one visit's form, so sending it twice makes one case."""
    return secrets.token_urlsafe(24)


class RevealingRadios(Field):
    """Radios with, right after a choice, the fields that only that choice needs.

    ``reveals`` maps a choice's value to the names of its fields. The template
    pack's CSS hides them while their radio is not checked (a sibling rule, so
    no JavaScript and no ``:has()``); without that CSS every field shows. The
    server checks them as ever. Fields in ``needed`` must be filled in once
    their choice is made, so their label does not say "niet verplicht".
    """

    template = "formulier/radios_reveal.html"

    def __init__(self, field: str, *, reveals: dict[str, tuple[str, ...]], needed=()):
        super().__init__(field)
        self.reveals = reveals
        self.needed = frozenset(needed)

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        def revealed(value) -> str:
            return mark_safe(  # noqa: S308 (each field rendered by its template)
                "".join(
                    render_field(
                        name,
                        form,
                        context,
                        template_pack=template_pack,
                        extra_context={"needed": name in self.needed},
                    )
                    for name in self.reveals.get(str(value), ())
                )
            )

        options = [(option, revealed(option.data["value"])) for option in form[self.fields[0]]]
        extra_context = {**(extra_context or {}), "options": options}
        return super().render(form, context, template_pack, extra_context=extra_context, **kwargs)


class QuestionForm(AskerDetailsMixin, forms.Form):
    """Ask the steunpunt a question. ``youth`` gives plainer words for young people.

    Every message says what is wrong and how to put it right. The fields of a
    way of contact show only when it is chosen (RevealingRadios); a mistake in
    the fields of another way does not hold the question back, as their values
    are dropped anyway. ``submit()`` creates the case and returns it with its
    one-time return code.
    """

    CONTACT_FIELDS = {
        ContactPreference.EMAIL: ("email",),
        ContactPreference.PHONE: ("phone", "phone_times"),
    }

    submission_token = forms.CharField(widget=forms.HiddenInput)
    # The search that led here, as counted (informeren/searchlog.py): only
    # counted when the question is sent, never stored with it.
    na_zoeken = forms.CharField(required=False, widget=forms.HiddenInput)
    asker_type = forms.ChoiceField(
        label=_("Wie stelt de vraag?"),
        choices=AskerType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie de vraag stelt."),
            "invalid_choice": _("Kies wie de vraag stelt."),
        },
    )
    question = _text_field(
        _("Wat is uw vraag?"),
        rows=8,
        help_text=_("Vertel in uw eigen woorden wat er speelt. Namen van anderen zijn niet nodig."),
        error_messages={
            "required": _("Schrijf uw vraag op."),
            "max_length": _(
                "Uw vraag is te lang: maximaal %(limit_value)d tekens, u heeft er "
                "%(show_value)d. Maak uw vraag korter, of stuur de rest later als reactie."
            ),
        },
    )
    attachment = attachment_field()
    themes = forms.ModelMultipleChoiceField(
        label=_("Waar gaat uw vraag over?"),
        queryset=Thema.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("U mag meer dan één ding kiezen."),
        error_messages={
            "invalid_choice": _("Kies onderwerpen uit de lijst."),
            "invalid_pk_value": _("Kies onderwerpen uit de lijst."),
        },
    )
    school_type = forms.ChoiceField(
        label=_("Op wat voor school zit uw kind?"),
        choices=[("", _("Weet ik niet of zeg ik liever niet")), *SchoolType.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een soort school uit de lijst.")},
    )
    school = school_field(_("Welke school?"))
    gemeente = gemeente_field(
        _("In welke gemeente woont u?"),
        help_text=_("Dan weten wij bij welk samenwerkingsverband uw vraag hoort."),
    )
    thuiszitter = forms.BooleanField(
        label=_("Mijn kind zit nu thuis, zonder school"),
        required=False,
        help_text=_("Dan geven wij uw vraag voorrang."),
    )
    # A wish, not a promise: the coordinator looks for a buddy who fits (steunen/buddies.py).
    buddy = forms.BooleanField(
        label=_("Ik wil graag een ervaringsouder of buddy"),
        required=False,
        help_text=_("Iemand die zelf heeft meegemaakt wat u nu meemaakt, naast onze medewerker."),
    )
    name = forms.CharField(
        label=_("Uw naam"),
        required=False,
        max_length=100,
        help_text=_("Een voornaam of een bijnaam is ook goed."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": _(
                "Uw naam is te lang: maximaal %(limit_value)d tekens. Een voornaam is genoeg."
            )
        },
    )
    contact_preference = forms.ChoiceField(
        label=_("Hoe krijgt u ons antwoord?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.NONE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe u ons antwoord wilt krijgen."),
            "invalid_choice": _("Kies hoe u ons antwoord wilt krijgen."),
        },
    )
    # Shown right after "Per e-mail" (CONTACT_FIELDS), so the hint need not say when.
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        help_text=_(
            "Wij sturen alleen een seintje als er een antwoord is. Uw vraag staat niet in de mail."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Dit e-mailadres klopt niet. Voorbeeld: naam@voorbeeld.nl")},
    )
    phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        required=False,
        max_length=20,
        help_text=_("Bijvoorbeeld: 0612345678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": WRONG_PHONE_MESSAGE},
    )
    phone_times = forms.CharField(
        label=_("Wanneer kunnen wij u het beste bellen?"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld: dinsdag na 15.00 uur."),
        error_messages={
            "max_length": _(
                "Dit is te lang: maximaal %(limit_value)d tekens. "
                "Schrijf het korter, zoals: dinsdag na 15.00 uur."
            )
        },
    )

    YOUTH_LABELS = {
        "asker_type": _("Wie ben jij?"),
        "question": _("Wat is je vraag?"),
        "themes": _("Waar gaat je vraag over?"),
        "school_type": _("Op wat voor school zit je?"),
        "school": _("Op welke school zit je?"),
        "gemeente": _("In welke gemeente woon je?"),
        "thuiszitter": _("Ik ga nu niet naar school"),
        "buddy": _("Ik wil graag een buddy"),
        "name": _("Je naam"),
        "contact_preference": _("Hoe krijg je ons antwoord?"),
        "email": _("Je e-mailadres"),
        "phone": _("Je telefoonnummer"),
        "phone_times": _("Wanneer kunnen we je bellen?"),
    }
    YOUTH_HELP = {
        "question": _("Schrijf het op zoals je het zou vertellen. Het hoeft niet netjes."),
        "themes": _("Je mag meer dingen kiezen."),
        "gemeente": _("Dan weten we welk samenwerkingsverband bij je vraag hoort."),
        "thuiszitter": _("Dan helpen we je sneller."),
        "buddy": _("Iemand die zelf heeft meegemaakt wat jij nu meemaakt."),
        "name": _("Een bijnaam mag ook."),
        "email": _(
            "We sturen alleen een berichtje als er een antwoord is. Je vraag staat niet in de mail."
        ),
    }
    YOUTH_MESSAGES = {
        "asker_type": {
            "required": _("Kies wie je bent."),
            "invalid_choice": _("Kies wie je bent."),
        },
        "question": {
            "required": _("Schrijf je vraag op."),
            "max_length": _(
                "Je vraag is te lang: maximaal %(limit_value)d tekens, jij hebt er "
                "%(show_value)d. Maak je vraag korter, of stuur de rest later als reactie."
            ),
        },
        "name": {
            "max_length": _(
                "Je naam is te lang: maximaal %(limit_value)d tekens. Een voornaam of bijnaam "
                "is genoeg."
            )
        },
        "contact_preference": {
            "required": _("Kies hoe je ons antwoord wilt krijgen."),
            "invalid_choice": _("Kies hoe je ons antwoord wilt krijgen."),
        },
    }
    # A browser never sends a chosen file again, so the form that comes back says so.
    ATTACHMENT_AGAIN = _(
        "Kies uw bestand opnieuw: het ging nog niet mee, omdat er iets anders niet klopte. "
        "PDF, PNG of JPG."
    )
    YOUTH_ATTACHMENT_AGAIN = _(
        "Kies je bestand opnieuw: het ging nog niet mee, omdat er iets anders niet klopte. "
        "PDF, PNG of JPG."
    )

    def __init__(self, *args, youth: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.youth = youth
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_submission_token())
        if youth:
            self.initial.setdefault("asker_type", AskerType.JONGERE)
            for name, label in self.YOUTH_LABELS.items():
                self.fields[name].label = label
            for name, text in self.YOUTH_HELP.items():
                self.fields[name].help_text = text
            for name, messages in self.YOUTH_MESSAGES.items():
                self.fields[name].error_messages.update(messages)
            self.fields["themes"].label_from_instance = lambda t: t.youth_label
            # A nickname: a shared phone should not fill in a parent's full name.
            self.fields["name"].widget.attrs["autocomplete"] = "nickname"
            self.missing_email_message = _(
                "Vul je e-mailadres in, of kies een andere manier van contact."
            )
            self.missing_phone_message = _(
                "Vul je telefoonnummer in, of kies een andere manier van contact."
            )
        else:
            self.initial.setdefault("asker_type", AskerType.OUDER)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template adds the form tag and a honeypot
        self.helper.disable_csrf = True  # and the CSRF token
        # The token is put in by the template, beside the honeypot; the
        # contact fields follow their choice.
        self.helper.layout = Layout(
            "asker_type",
            "question",
            "attachment",
            "themes",
            "school_type",
            "school",
            "gemeente",
            "thuiszitter",
            "buddy",
            "name",
            RevealingRadios(
                "contact_preference", reveals=self.CONTACT_FIELDS, needed=("email", "phone")
            ),
        )
        self.helper.add_input(
            Submit("submit", _("Verstuur je vraag") if youth else _("Verstuur uw vraag"))
        )

    clean_attachment = clean_attachment

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        if not question:
            message = self.fields["question"].error_messages["required"]
            raise forms.ValidationError(message, code="required")
        return question

    def clean(self):
        data = super().clean()
        chosen = data.get("contact_preference")
        for preference, names in self.CONTACT_FIELDS.items():
            if preference != chosen:
                for name in names:
                    self.errors.pop(name, None)
        if self.errors and self.files.get("attachment") and "attachment" not in self.errors:
            # On the bound field: Django made it, with the help text, before clean().
            self["attachment"].help_text = (
                self.YOUTH_ATTACHMENT_AGAIN if self.youth else self.ATTACHMENT_AGAIN
            )
        return data

    def already_submitted(self) -> bool:
        """Whether this very form made a case before (a refresh or a double click)."""
        token = self.data.get("submission_token", "")
        return bool(token) and Case.objects.filter(submission_token=token).exists()

    @transaction.atomic
    def submit(self) -> tuple[Case, str]:
        case, code = actions.submit_question(
            **self.question_fields(),
            submission_token=self.cleaned_data["submission_token"][:64],
            # The page's language (steunpunt/languages.py): mails to the asker go out in it.
            language=get_language(),
        )
        if self.cleaned_data.get("buddy"):
            buddy_actions.wish_buddy(case=case, via=BuddyWishSource.FORM)
        return case, code


def question_initial(query) -> dict:
    """What a link may fill in on the question form beforehand (the wegwijzer's link).

    Only values among the form's own choices are taken (asker_type,
    school_type, thuiszitter=1, thema=<slug>); anything else is left out and
    never shown back. The asker sees each answer and may change it.
    """
    initial: dict = {}
    if query.get("asker_type") in AskerType.values:
        initial["asker_type"] = query["asker_type"]
    if query.get("school_type") in SchoolType.values:
        initial["school_type"] = query["school_type"]
    if query.get("thuiszitter") == "1":
        initial["thuiszitter"] = True
    if query.get("buddy") == "1":
        initial["buddy"] = True
    if (gemeente := query.get("gemeente", "")) and gemeente in SwvGemeente.gemeenten():
        initial["gemeente"] = gemeente
    if slug := query.get("thema", "")[:50]:
        initial["themes"] = list(Thema.objects.filter(slug=slug).values_list("pk", flat=True))
    if after_search := searchlog.normalise(query.get("na_zoeken", "")):
        initial["na_zoeken"] = after_search
    return initial


class ReturnCodeForm(forms.Form):
    """Enter the code. Any wrong code gets the same answer; the view slows it down."""

    code = forms.CharField(
        label=_("Uw code"),
        max_length=40,
        help_text=_("Zestien tekens, bijvoorbeeld ABCD-EFGH-JKLM-NPQR. Streepjes mogen weg."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Vul uw code in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "codeformulier"
        self.helper.add_input(Submit("submit", _("Open mijn vraag")))

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
            # Same words as a code that is well-formed but unknown.
            raise forms.ValidationError(WRONG_CODE_MESSAGE)
        return code


WRONG_CODE_MESSAGE = _(
    "Deze code kennen wij niet. Kijk of u hem goed heeft overgenomen. "
    "Lukt het niet? Bel ons, of stel uw vraag opnieuw."
)


class ReplyForm(forms.Form):
    body = _text_field(_("Uw reactie"), rows=5)
    attachment = attachment_field()
    clean_attachment = clean_attachment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Verstuur reactie")))


# --- Staff forms -------------------------------------------------------------


class StaffForm(forms.Form):
    """A small form on the case page: posted by htmx, works without it too."""

    submit_label = _("Opslaan")

    def __init__(self, *args, case: Case | None = None, user=None, **kwargs):
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

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
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


class StatusForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Status if s != Status.AFGEROND],
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None:  # only where the case may go (and where it is)
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value == self.case.status or self.case.can_move_to(value)
            ]


class AssignForm(StaffForm):
    assignee = forms.ModelChoiceField(
        label=_("Behandelaar"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nog niemand"),
        error_messages={"invalid_choice": _("Kies een behandelaar uit de lijst.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The behandelaar is a professional; a buddy works alongside them as a
        # member of the case, invited by the coordinator (steunen/buddies.py).
        roles = [Role.MEDEWERKER.value, Role.COORDINATOR.value]
        field = self.fields["assignee"]
        field.queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=roles)
            .distinct()
            .order_by("first_name", "username")
        )
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()


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

    def clean_date(self):
        value = self.cleaned_data["date"]
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
        raw = self.cleaned_data["other"].strip().upper().lstrip("V")
        target = None
        if raw.isdigit():
            target = Case.objects.visible_to(self.user).filter(pk=int(raw)).first()
        if target is None:
            raise forms.ValidationError(_("Deze vraag bestaat niet of u kunt hem niet openen."))
        if self.case is not None and target.pk == self.case.pk:
            raise forms.ValidationError(_("Een vraag kan niet met zichzelf samengaan."))
        return target


class StaffCaseForm(AskerDetailsMixin, forms.Form):
    """A question that came in by phone, email or at the door, entered by staff."""

    channel = forms.ChoiceField(
        label=_("Hoe kwam de vraag binnen?"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe de vraag binnenkwam.")},
    )
    asker_type = forms.ChoiceField(
        label=_("Wie stelt de vraag?"),
        choices=AskerType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie de vraag stelt."),
            "invalid_choice": _("Kies wie de vraag stelt."),
        },
    )
    question = _text_field(_("De vraag, kort samengevat"), rows=6)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Vraag opslaan")))

    def submit(self, *, by) -> tuple[Case, str]:
        return actions.submit_question(
            **self.question_fields(), channel=self.cleaned_data["channel"], entered_by=by
        )


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


NOT_AT_ALL = _("1 = helemaal niet, 5 = helemaal wel")


def _score_field(label, help_text=NOT_AT_ALL) -> forms.TypedChoiceField:
    message = _("Kies een cijfer van 1 tot 5.")
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
    )


class EvaluationForm(forms.Form):
    """Three short questions after a closed case; 1 is 'helemaal niet', 5 'helemaal wel'."""

    listened = _score_field(_("Voelde u zich gehoord?"))
    helped = _score_field(_("Heeft onze hulp u verder geholpen?"))
    recommend = _score_field(
        _("Zou u het steunpunt aanraden aan anderen?"), _("1 = zeker niet, 5 = zeker wel")
    )
    remark = forms.CharField(
        label=_("Wilt u nog iets zeggen?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Maximaal 500 tekens."),
        error_messages={"max_length": _("Maximaal 500 tekens, u heeft er %(show_value)d.")},
    )

    # Youths and children get the same questions in their own words ("je").
    YOUTH_LABELS = {
        "listened": _("Voelde je je gehoord?"),
        "helped": _("Heeft onze hulp je verder geholpen?"),
        "recommend": _("Zou je ons aanraden aan anderen?"),
        "remark": _("Wil je nog iets zeggen?"),
    }

    def __init__(self, *args, youth: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.youth = youth
        if youth:
            for name, label in self.YOUTH_LABELS.items():
                self.fields[name].label = label
            self.fields["remark"].error_messages["max_length"] = _(
                "Maximaal 500 tekens. Je hebt er %(show_value)d."
            )
        self.helper = FormHelper()
        self.helper.form_action = "steunen:evaluate"
        self.helper.add_input(
            Submit("submit", _("Verstuur") if youth else _("Verstuur beoordeling"))
        )

    def evaluate(self, case):
        """Store the rating (once per case); None when the case has one already."""
        return actions.evaluate(case=case, **self.cleaned_data)


class ReopenForm(forms.Form):
    """After an unhappy rating: "Wilt u dat we opnieuw naar uw vraag kijken?" """

    reopen = forms.TypedChoiceField(
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies ja of nee."),
            "invalid_choice": _("Kies ja of nee."),
        },
    )

    def __init__(self, *args, youth: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reopen"].label = (
            _("Wil je dat we opnieuw naar je vraag kijken?")
            if youth
            else _("Wilt u dat we opnieuw naar uw vraag kijken?")
        )
        self.helper = FormHelper()
        self.helper.form_action = "steunen:evaluate_reopen"
        self.helper.add_input(Submit("submit", _("Verstuur")))


class RemarkPeriodForm(forms.Form):
    """Which quarter of evaluation remarks the coordinator reads (the current one first)."""

    periode = forms.ChoiceField(label=_("Periode"), required=False)

    QUARTERS = 8

    def __init__(self, *args, today=None, **kwargs):
        from signaleren.periods import quarter_of

        super().__init__(*args, **kwargs)
        quarter = quarter_of(today or timezone.localdate())
        self.quarters = [quarter]
        while len(self.quarters) < self.QUARTERS:
            self.quarters.append(self.quarters[-1].previous())
        self.fields["periode"].choices = [(q.value(), q.name()) for q in self.quarters]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", _("Toon")))

    def period(self):
        """The chosen quarter; the current one when none (or an unknown one) was chosen."""
        chosen = self.cleaned_data.get("periode") if self.is_valid() else None
        return next((q for q in self.quarters if q.value() == chosen), self.quarters[0])


class RemarkDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, verwijder deze opmerking. Dit kan niet ongedaan worden gemaakt."),
        error_messages={"required": _("Vink aan dat u de opmerking wilt verwijderen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Verwijder de opmerking")))


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ja, verwijder mijn vraag en alle berichten. Dit kan niet ongedaan worden gemaakt."
        ),
        error_messages={"required": _("Vink aan dat u uw vraag wilt verwijderen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Verwijder mijn vraag")))
