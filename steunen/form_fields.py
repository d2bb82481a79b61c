"""Fields, widgets and checks that the asker's forms and the staff forms share."""

import re
import secrets
from collections.abc import Iterable
from itertools import groupby
from typing import TYPE_CHECKING, Any

from crispy_forms.layout import Field
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django import forms
from django.template import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from informeren.models import School
from steunen.attachments import prepare
from steunen.models import (
    AskerType,
    ContactPreference,
    gemeente_choices,
)
from steunpunt.cache import kept

if TYPE_CHECKING:  # a mixin of forms.Form subclasses: typed as one, plain at run time
    FormMixin = forms.Form
else:
    FormMixin = object

# A label or message: a string, or a lazy translation.
Text = StrOrPromise

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

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
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
        schools = School.objects.as_options()
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


def school_field(label: Text) -> forms.CharField:
    """Which school, if the asker wants to say: checked against the database (clean_school)."""
    return forms.CharField(label=label, required=False, widget=SchoolSelect)


def text_field(
    label: Text,
    *,
    required: bool = True,
    max_length: int = QUESTION_MAX_LENGTH,
    rows: int = 6,
    help_text: Text = "",
    error_messages: dict[str, Text] | None = None,
) -> forms.CharField:
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


def clean_attachment(form: forms.BaseForm) -> tuple[str, bytes, str] | None:
    """The upload checked and cleaned (kind, data, warning), or None."""
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return None
    return prepare(upload)


def asker_type_field() -> forms.ChoiceField:
    """ "Wie stelt de vraag?": the same choice on the public form and the staff intake."""
    return forms.ChoiceField(
        label=_("Wie stelt de vraag?"),
        choices=AskerType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie de vraag stelt."),
            "invalid_choice": _("Kies wie de vraag stelt."),
        },
    )


def gemeente_field(label: Text, *, help_text: Text = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=gemeente_choices,  # a callable: read when the form is shown or checked
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": _("Kies een gemeente uit de lijst.")},
    )


class AskerDetailsMixin(FormMixin):
    """Validation shared by the public question form and the staff intake form."""

    # QuestionForm says "je" to youths instead.
    missing_email_message = _("Vul uw e-mailadres in, of kies een andere manier van contact.")
    missing_phone_message = _("Vul uw telefoonnummer in, of kies een andere manier van contact.")

    QUESTION_FIELDS = (
        "asker_type", "question", "themes", "school_type", "school", "gemeente", "thuiszitter",
        "contact_preference", "email", "phone", "phone_times",
    )  # fmt: skip

    def question_fields(self) -> dict[str, Any]:
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
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(WRONG_PHONE_MESSAGE)
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
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

    def __init__(
        self, field: str, *, reveals: dict[str, tuple[str, ...]], needed: Iterable[str] = ()
    ) -> None:
        super().__init__(field)  # type: ignore[no-untyped-call]
        self.reveals = reveals
        self.needed = frozenset(needed)

    def render(
        self,
        form: forms.BaseForm,
        context: Context,
        template_pack: Any = TEMPLATE_PACK,
        extra_context: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> str:
        def revealed(value: object) -> str:
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
        rendered: str = super().render(  # type: ignore[no-untyped-call]
            form, context, template_pack, extra_context=extra_context, **kwargs
        )
        return rendered
