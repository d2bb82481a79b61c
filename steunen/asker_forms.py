"""The asker's forms: the question, the return code, a reply, the evaluation, deleting.

Every message is Dutch, at B1 level.
"""

from typing import Any

from crispy_forms.layout import Layout
from django import forms
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from informeren import searchlog
from informeren.models import (
    SchoolType,
    SwvGemeente,
    Thema,
)
from steunen import actions, buddy_actions
from steunen.buddies import BuddyWishSource
from steunen.form_fields import (
    WRONG_PHONE_MESSAGE,
    AskerDetailsMixin,
    RevealingRadios,
    Text,
    asker_type_field,
    attachment_field,
    clean_attachment,
    gemeente_field,
    new_submission_token,
    school_field,
    text_field,
)
from steunen.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    AskerType,
    Case,
    ContactPreference,
    Evaluation,
    normalise_code,
)
from steunpunt.forms import SubmitMixin, field_of


class QuestionForm(SubmitMixin, AskerDetailsMixin, forms.Form):
    """Ask the steunpunt a question. ``youth`` gives plainer words for young people.

    Every message says what is wrong and how to put it right. The fields of a
    way of contact show only when it is chosen (RevealingRadios); a mistake in
    the fields of another way does not hold the question back, as their values
    are dropped anyway. ``submit()`` creates the case and returns it with its
    one-time return code.
    """

    CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
        ContactPreference.EMAIL: ("email",),
        ContactPreference.PHONE: ("phone", "phone_times"),
    }

    submission_token = forms.CharField(widget=forms.HiddenInput)
    # The search that led here, as counted (informeren/searchlog.py): only
    # counted when the question is sent, never stored with it.
    na_zoeken = forms.CharField(required=False, widget=forms.HiddenInput)
    asker_type = asker_type_field()
    question = text_field(
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

    def __init__(self, *args: Any, youth: bool = False, **kwargs: Any) -> None:
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
            themes = field_of(self, "themes", forms.ModelMultipleChoiceField)
            themes.label_from_instance = lambda t: t.youth_label  # type: ignore[method-assign, assignment]
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
        self.submit_label = _("Verstuur je vraag") if youth else _("Verstuur uw vraag")
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

    clean_attachment = clean_attachment

    def clean_question(self) -> str:
        question: str = self.cleaned_data["question"].strip()
        if not question:
            message = self.fields["question"].error_messages["required"]
            raise forms.ValidationError(message, code="required")
        return question

    def clean(self) -> dict[str, Any]:
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
        return bool(token) and Case.objects.submitted_with(token).exists()

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


def question_initial(query: QueryDict) -> dict[str, Any]:
    """What a link may fill in on the question form beforehand (the wegwijzer's link).

    Only values among the form's own choices are taken (asker_type,
    school_type, thuiszitter=1, thema=<slug>); anything else is left out and
    never shown back. The asker sees each answer and may change it.
    """
    initial: dict[str, Any] = {}
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


class ReturnCodeForm(SubmitMixin, forms.Form):
    """Enter the code. Any wrong code gets the same answer; the view slows it down."""

    submit_label = _("Open mijn vraag")

    code = forms.CharField(
        label=_("Uw code"),
        max_length=40,
        help_text=_("Zestien tekens, bijvoorbeeld ABCD-EFGH-JKLM-NPQR. Streepjes mogen weg."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Vul uw code in.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_id = "codeformulier"

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


class ReplyForm(SubmitMixin, forms.Form):
    submit_label = _("Verstuur reactie")

    body = text_field(_("Uw reactie"), rows=5)
    attachment = attachment_field()
    clean_attachment = clean_attachment


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


NOT_AT_ALL = _("1 = helemaal niet, 5 = helemaal wel")


def _score_field(label: Text, help_text: Text = NOT_AT_ALL) -> forms.TypedChoiceField:
    message = _("Kies een cijfer van 1 tot 5.")
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
    )


class EvaluationForm(SubmitMixin, forms.Form):
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

    def __init__(self, *args: Any, youth: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.youth = youth
        if youth:
            for name, label in self.YOUTH_LABELS.items():
                self.fields[name].label = label
            self.fields["remark"].error_messages["max_length"] = _(
                "Maximaal 500 tekens. Je hebt er %(show_value)d."
            )
        self.submit_label = _("Verstuur") if youth else _("Verstuur beoordeling")
        self.helper.form_action = "steunen:evaluate"

    def evaluate(self, case: Case) -> Evaluation | None:
        """Store the rating (once per case); None when the case has one already."""
        return actions.evaluate(case=case, **self.cleaned_data)


class ReopenForm(SubmitMixin, forms.Form):
    """After an unhappy rating: "Wilt u dat we opnieuw naar uw vraag kijken?" """

    submit_label = _("Verstuur")

    reopen = forms.TypedChoiceField(
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies ja of nee."),
            "invalid_choice": _("Kies ja of nee."),
        },
    )

    def __init__(self, *args: Any, youth: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reopen"].label = (
            _("Wil je dat we opnieuw naar je vraag kijken?")
            if youth
            else _("Wilt u dat we opnieuw naar uw vraag kijken?")
        )
        self.helper.form_action = "steunen:evaluate_reopen"


class DeleteForm(SubmitMixin, forms.Form):
    submit_label = _("Verwijder mijn vraag")

    confirm = forms.BooleanField(
        label=_(
            "Ja, verwijder mijn vraag en alle berichten. Dit kan niet ongedaan worden gemaakt."
        ),
        error_messages={"required": _("Vink aan dat u uw vraag wilt verwijderen.")},
    )
