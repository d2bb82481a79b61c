"""Canned answers with placeholders, and their youth text.

A canned answer may hold:

    {steunpunt}          the steunpunt's name (settings.STEUNPUNT_NAME)
    {beloofd}            the date the asker is promised an answer, Dutch style
    {naam}               the asker's name; without one it goes, with the space before it
    {onderwerp:<slug>}   the address of a published topic page (for a youth or a
                         child: its youth or children's variant)

Placeholders are checked when the canned answer is saved (an unknown one, or
a topic that does not exist, is refused and the typed text kept), and filled
in when staff insert the answer into a case's answer form, where they read
and adapt it before sending.
"""

import re

from django import forms
from django.conf import settings
from django.utils import formats, timezone, translation

from informeren.models import Topic
from steunen.models import AskerType, CannedAnswer, Case
from steunpunt.forms import SubmitMixin

PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
SIMPLE = ("steunpunt", "beloofd", "naam")
TOPIC_PREFIX = "onderwerp:"
KNOWN_LIST = "{steunpunt}, {beloofd}, {naam} en {onderwerp:korte-naam}"
# The topic variant for who asks (informeren's audiences); parents get the main page.
TOPIC_AUDIENCE: dict[str, str] = {AskerType.JONGERE: "jongeren", AskerType.KIND: "kinderen"}


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the placeholders in ``text``, in Dutch; [] when all is well."""
    errors: list[str] = []
    slugs: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if name in SIMPLE:
            continue
        if name.startswith(TOPIC_PREFIX):
            slug = name.removeprefix(TOPIC_PREFIX).strip()
            if not slug:
                errors.append(
                    "Bij {onderwerp:} hoort de korte naam van een onderwerp, "
                    "bijvoorbeeld {onderwerp:zorgplicht}."
                )
            else:
                slugs.append(slug)
            continue
        errors.append(
            f"{match.group(0)} kennen wij niet. U kunt deze invulplekken gebruiken: {KNOWN_LIST}."
        )
    if slugs:
        found = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "published_revision"))
        for slug in dict.fromkeys(slugs):
            if slug not in found:
                errors.append(
                    f"{{onderwerp:{slug}}}: er is geen onderwerp met die korte naam. Kijk de "
                    "korte naam na: dat is het laatste deel van het adres van de pagina "
                    "(/informatie/…/)."
                )
            elif found[slug] is None:
                errors.append(
                    f"{{onderwerp:{slug}}}: dat onderwerp is nog niet gepubliceerd. De vrager "
                    "kan die pagina nog niet openen."
                )
    return errors


def is_young(case: Case) -> bool:
    return case.asker_type in (AskerType.JONGERE, AskerType.KIND)


def text_for(canned: CannedAnswer, case: Case) -> str:
    """The text to start from: the youth text for a youth or child, when there is one."""
    return canned.youth_body if is_young(case) and canned.youth_body.strip() else canned.body


def promised_date(case: Case) -> str:
    """The answer's promised date as "dinsdag 8 december" (Dutch, whatever the page's language)."""
    due = case.reply_promised or case.response_due_at
    with translation.override("nl"):
        return formats.date_format(timezone.localtime(due), "l j F")


def _topic_address(slug: str, case: Case) -> str:
    """The full address of a topic page (the answer may travel by e-mail)."""
    from django.urls import reverse

    audience = TOPIC_AUDIENCE.get(case.asker_type)
    if not Topic.objects.published().filter(slug=slug).exists():
        # Unpublished since the canned answer was saved: the list of topics, never a 404.
        path = reverse("informeren:topics")
    elif audience:
        path = reverse("informeren:topic_audience", args=[slug, audience])
    else:
        path = reverse("informeren:topic", args=[slug])
    return settings.SITE_URL.rstrip("/") + path


def fill(canned: CannedAnswer, case: Case) -> str:
    """The canned answer for this case, with its placeholders filled in."""
    text = text_for(canned, case)
    name = (case.name or "").strip()
    if not name:
        # "Beste {naam}," becomes "Beste,": no empty gap, no made-up name.
        text = re.sub(r"[ \t]?\{\s*naam\s*\}", "", text)
    values = {"steunpunt": settings.STEUNPUNT_NAME, "naam": name}

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        if key == "beloofd":
            return promised_date(case)
        if key in values:
            return values[key]
        if key.startswith(TOPIC_PREFIX):
            return _topic_address(key.removeprefix(TOPIC_PREFIX).strip(), case)
        return str(match.group(0))

    return PLACEHOLDER.sub(replace, text)


HELP = (
    "U kunt invullen laten doen: {steunpunt} (de naam van het steunpunt), {beloofd} (de "
    "datum waarop wij antwoord beloven), {naam} (de naam van de vrager, als die er is) en "
    "{onderwerp:korte-naam} (een link naar een informatiepagina)."
)


class CannedAnswerForm(SubmitMixin, forms.ModelForm[CannedAnswer]):
    """A canned answer; its placeholders are checked before it is saved."""

    submit_label = "Opslaan"

    class Meta:
        model = CannedAnswer
        fields = ["title", "body", "youth_body"]
        labels = {"youth_body": "Tekst voor jongeren en kinderen (met je)"}
        help_texts = {
            "body": HELP,
            "youth_body": (
                "Niet verplicht. Is de vrager een jongere of een kind, dan wordt deze tekst "
                "gebruikt. Dezelfde invulplekken kunnen erin."
            ),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "youth_body": forms.Textarea(attrs={"rows": 8}),
        }
        error_messages = {
            "title": {
                "required": "Geef het standaardantwoord een titel.",
                "unique": "Er is al een standaardantwoord met deze titel.",
            },
            "body": {"required": "Schrijf de tekst van het standaardantwoord."},
        }

    def _checked(self, field: str) -> str:
        text: str = self.cleaned_data[field]
        if errors := placeholder_errors(text):
            raise forms.ValidationError(errors)
        return text

    def clean_body(self) -> str:
        return self._checked("body")

    def clean_youth_body(self) -> str:
        return self._checked("youth_body")
