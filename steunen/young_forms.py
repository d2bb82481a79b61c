"""The forms of a youth's and a child's way: their own words ("je") from start to end.

The question form for a child (under 12): few words, big buttons, nothing to look up.

A child writes what is going on and, if they like, a first name. They read
the answer with their code, or an adult they chose gets a short e-mail when
there is one. Everything else the steunpunt asks a parent (school, gemeente,
themes) the staff can ask in the answer, if it is needed at all.
"""

from typing import Any

from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from steunen.asker_forms import WRONG_CODE_MESSAGE, QuestionForm, ReplyForm, ReturnCodeForm
from steunen.form_fields import RevealingRadios
from steunen.models import AskerType, ContactPreference
from steunpunt.forms import field_of

# Not on the child's form: filled in with "nothing" when the form is checked.
LEFT_OUT: dict[str, object] = {
    "themes": [],
    "school_type": "",
    "school": None,
    "gemeente": "",
    "thuiszitter": False,
    "attachment": None,
    "phone": "",
    "phone_times": "",
}


class ChildQuestionForm(QuestionForm):
    """``QuestionForm`` for a child: the same case in the end, asked by a "kind"."""

    CONTACT_FIELDS: dict[str, tuple[str, ...]] = {ContactPreference.EMAIL: ("email",)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["youth"] = True
        super().__init__(*args, **kwargs)
        for name in LEFT_OUT:
            del self.fields[name]
        self.fields["asker_type"].widget = forms.HiddenInput()
        self.fields["asker_type"].required = False  # a child: whatever is sent
        field_of(self, "asker_type", forms.ChoiceField).choices = [
            (AskerType.KIND, AskerType.KIND.label)
        ]
        self.initial["asker_type"] = AskerType.KIND
        question = self.fields["question"]
        question.label = _("Wat wil je vragen of vertellen?")
        question.help_text = _("Schrijf het zoals je het zegt. Een grote mens mag je helpen.")
        question.widget.attrs["rows"] = 5
        name_field = self.fields["name"]
        name_field.label = _("Je voornaam")
        name_field.help_text = _("Een verzonnen naam mag ook.")
        contact = field_of(self, "contact_preference", forms.ChoiceField)
        contact.label = _("Hoe krijg je antwoord?")
        contact.choices = [
            (ContactPreference.NONE, _("Ik lees het hier, met mijn code")),
            (ContactPreference.EMAIL, _("Stuur een mailtje als er antwoord is")),
        ]
        email = self.fields["email"]
        email.label = _("Naar welk e-mailadres?")
        email.help_text = _(
            "Bijvoorbeeld van je vader, moeder of juf. In de mail staat je vraag niet."
        )
        self.helper.layout = Layout(
            "asker_type",
            "question",
            "name",
            RevealingRadios("contact_preference", reveals=self.CONTACT_FIELDS, needed=("email",)),
        )
        self.helper.inputs[0].value = _("Verstuur")

    def clean_asker_type(self) -> str:
        return AskerType.KIND

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["asker_type"] = AskerType.KIND
        for name, nothing in LEFT_OUT.items():
            data[name] = nothing
        return data


YOUTH_WRONG_CODE_MESSAGE = _(
    "Deze code kennen we niet. Kijk of je hem goed hebt overgenomen. "
    "Lukt het niet? Bel ons, of stel je vraag opnieuw."
)


class YouthReturnCodeForm(ReturnCodeForm):
    """The code form on "Mijn vraag", for a youth or a child."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Je code")
        self.fields["code"].error_messages["required"] = _("Vul je code in.")

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError:
            raise forms.ValidationError(YOUTH_WRONG_CODE_MESSAGE) from None

    def add_error(self, field: str | None, error: ValidationError | str | Any) -> None:
        if error == WRONG_CODE_MESSAGE:  # the view's answer to an unknown code
            error = YOUTH_WRONG_CODE_MESSAGE
        super().add_error(field, error)


class YouthReplyForm(ReplyForm):
    """A youth's or a child's reply in their conversation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Je reactie")
