from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from informeren.changes import ChangeData
from informeren.models import (
    ACCESSIBILITY_FIELDS,
    Accessibility,
    Begrip,
    Checklist,
    Ervaring,
    Meeting,
    Ondersteuningsvorm,
    Organisatie,
    Revision,
    School,
    SchoolQuerySet,
    SchoolType,
    Synonym,
    Thema,
    Toestemming,
    Topic,
    Translation,
    WegwijzerRoute,
)
from steunen.models import Feestdag
from steunpunt.forms import SubmitMixin, field_of
from steunpunt.roles import Role, users_with_role

TEXTAREA_ATTRS = {"rows": 12}


class RevisionForm(SubmitMixin, forms.ModelForm[Revision]):
    """The texts of one revision. Markdown; what is unsafe is removed when shown."""

    submit_label = _("Opslaan")

    class Meta:
        model = Revision
        fields = list(Revision.CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA_ATTRS)
            for name in Revision.CONTENT_FIELDS
            if name.startswith(("national", "regional"))
        } | {
            "sources": forms.Textarea(attrs={"rows": 4}),
            "phrasings": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "title": {"required": _("Geef het onderwerp een titel.")},
            "summary": {"required": _("Schrijf een korte samenvatting van één of twee zinnen.")},
            "national_ouders": {"required": _("De tekst voor ouders is verplicht.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["national_ouders"].help_text = _(
            "Markdown: ## kopje, - lijstje, **vet**, [link](https://...). "
            'Een stappenblok: !!! doen "Wat kunt u doen?" en daaronder ingesprongen regels.'
        )
        # How people put it comes last: the texts first, then the words to find them by.
        self.fields["phrasings"] = self.fields.pop("phrasings")
        self.fields["phrasings"].help_text = _(
            "Eén per regel: woorden en zinnen waarmee mensen naar deze pagina zoeken. Ook oude "
            "woorden en hoe jongeren het zeggen. Bijvoorbeeld: mijn kind zit thuis. Bezoekers "
            "zien dit niet, de zoekfunctie wel. De validator keurt het mee met de tekst."
        )
        # Live preview with htmx while typing (the page works without it too).
        for name, field in self.fields.items():
            if name.startswith(("national", "regional")):
                field.widget.attrs.update(
                    {
                        "data-hx-post": reverse("informeren:preview"),
                        "data-hx-trigger": "input changed delay:600ms, focus",
                        "data-hx-target": "#live-preview",
                    }
                )
        self.helper.form_id = "versie"


class TranslationForm(SubmitMixin, forms.ModelForm[Translation]):
    """The texts of one translation: for each audience the Dutch text has, all of it or none.

    The parents' text is required; a youth's or child's text may wait (the page
    then shows the Dutch text for that audience, never half a translation).
    """

    submit_label = _("Opslaan")

    class Meta:
        model = Translation
        fields = list(Translation.CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA_ATTRS)
            for name in Translation.CONTENT_FIELDS
            if name.startswith(("national", "regional"))
        }
        error_messages = {
            "title": {"required": _("Vertaal de titel.")},
            "summary": {"required": _("Vertaal de samenvatting.")},
            "national_ouders": {"required": _("De tekst voor ouders is verplicht.")},
        }

    def __init__(self, *args: Any, source: Revision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        written = source.audiences()
        for audience, names in Translation.AUDIENCE_FIELDS.items():
            for name in names:
                if audience not in written or not getattr(source, name):
                    # Nothing in Dutch to translate: no field for it.
                    self.fields.pop(name)
        for field in self.fields.values():
            # Typed in the other language: spell-checked and shown in it, Arabic right to left.
            field.widget.attrs.update({"lang": self.instance.language, "dir": "auto"})
        self.helper.form_id = "vertaling"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for audience, names in Translation.AUDIENCE_FIELDS.items():
            present = [name for name in names if name in self.fields]
            if audience == "ouders" or not present:
                missing = [n for n in present if not (cleaned.get(n) or "").strip()]
            else:
                filled = [n for n in present if (cleaned.get(n) or "").strip()]
                missing = [n for n in present if n not in filled] if filled else []
            for name in missing:
                if name not in self.errors:
                    self.add_error(
                        name,
                        _(
                            "Vertaal ook dit deel. Een lezer krijgt de tekst voor deze groep "
                            "helemaal vertaald, of helemaal in het Nederlands."
                        ),
                    )
        return cleaned

    def content(self) -> dict[str, str]:
        """Every content field: what has no Dutch counterpart is emptied."""
        return {
            name: (self.cleaned_data.get(name) or "").strip() if name in self.fields else ""
            for name in Translation.CONTENT_FIELDS
        }


class NewTopicForm(RevisionForm):
    slug = forms.SlugField(
        label=_("Adres van de pagina"),
        max_length=80,
        required=False,
        help_text=_("Bijvoorbeeld: zorgplicht. Leeg laten: wordt gemaakt uit de titel."),
        error_messages={"invalid": _("Gebruik alleen kleine letters, cijfers en streepjes.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Thema.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["title", "slug", "themes", "summary"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Geef een adres op, bijvoorbeeld: zorgplicht."))
        if Topic.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Er is al een pagina met dit adres. Kies een ander."))
        return slug


class TopicSettingsForm(SubmitMixin, forms.ModelForm[Topic]):
    submit_label = _("Instellingen opslaan")

    class Meta:
        model = Topic
        fields = ["owner", "themes", "related", "organisaties", "review_by", "position"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "related": forms.CheckboxSelectMultiple,
            "organisaties": forms.CheckboxSelectMultiple,
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {"review_by": {"invalid": _("Vul een geldige datum in.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "related", forms.ModelChoiceField).queryset = Topic.objects.exclude(
            pk=self.instance.pk
        ).order_by("title")
        field_of(
            self, "organisaties", forms.ModelChoiceField
        ).queryset = Organisatie.objects.order_by("name")
        owner = field_of(self, "owner", forms.ModelChoiceField)
        owner.queryset = editors()
        # Django's way to label a model form's choices; the stubs see only a method.
        owner.label_from_instance = _person  # type: ignore[method-assign, assignment]
        owner.empty_label = _("Nog niemand")


def _choices(form: forms.BaseForm, name: str) -> list[tuple[Any, Any]]:
    """A choice field's choices as (value, label) pairs: Django normalises them so
    (the stubs type the getter as everything the setter accepts)."""
    return cast(list[tuple[Any, Any]], field_of(form, name, forms.ChoiceField).choices)


def _values(data: Mapping[str, Any], name: str) -> list[str]:
    """Every value of ``name`` in submitted data (a QueryDict holds them all)."""
    if isinstance(data, MultiValueDict):
        return data.getlist(name)
    value = data.get(name)
    return value if isinstance(value, list) else [value] if value else []


def editors() -> QuerySet[User]:
    """Everyone who can keep a page: active redacteuren and validators."""
    return users_with_role(Role.REDACTEUR, Role.VALIDATOR)


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


class TopicCheckForm(forms.Form):
    """ "Nog steeds juist": the page was read again and needs no new text."""

    note = forms.CharField(
        label=_("Opmerking (niet verplicht)"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: wet en regels nagekeken, niets veranderd."),
        error_messages={"max_length": _("Maximaal 300 tekens, u heeft er %(show_value)d.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom keurt u deze versie af?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("De auteur ziet dit en past de tekst aan."),
        error_messages={"required": _("Schrijf op wat er beter moet.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SchoolFilterForm(forms.Form):
    """Filters of the school finder. Values that do not exist are ignored."""

    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False)
    soort = forms.MultipleChoiceField(
        label=_("Soort school"),
        choices=SchoolType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ondersteuning = forms.MultipleChoiceField(
        label=_("Extra ondersteuning"), required=False, widget=forms.CheckboxSelectMultiple
    )
    toegankelijk = forms.MultipleChoiceField(
        label=_("Toegankelijkheid"),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, gemeenten: list[str], supports: list[Ondersteuningsvorm], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "gemeente", forms.ChoiceField).choices = [
            ("", _("Alle gemeenten")),
            *[(g, g) for g in gemeenten],
        ]
        field_of(self, "ondersteuning", forms.ChoiceField).choices = [
            (s.slug, s.name) for s in supports
        ]
        self.supports = {s.slug: s for s in supports}

    def _valid(self, name: str) -> list[str]:
        """The submitted values of a multiple-choice filter that exist; the rest is ignored."""
        allowed = {str(value) for value, _label in _choices(self, name)}
        return [value for value in _values(self.data, name) if value in allowed]

    def apply(self, schools: SchoolQuerySet) -> SchoolQuerySet:
        data = self.data
        gemeente = data.get("gemeente", "")
        if gemeente in dict(_choices(self, "gemeente")) and gemeente:
            schools = schools.filter(gemeente=gemeente)
        types = self._valid("soort")
        if types:
            schools = schools.filter(school_type__in=types)
        support = self._valid("ondersteuning")
        schools = schools.offering([self.supports[slug] for slug in support])
        access = self._valid("toegankelijk")
        for value in access:
            schools = schools.filter(**{ACCESSIBILITY_FIELDS[Accessibility(value)]: True})
        return schools


class SchoolProfileForm(SubmitMixin, forms.ModelForm[School]):
    """The school's extra support (as in its schoolgids) as editors maintain it."""

    submit_label = _("Profiel opslaan")

    class Meta:
        model = School
        fields = [
            "support",
            "profile_summary",
            "has_lift",
            "has_adapted_toilet",
            "wheelchair_accessible",
            "profile_url",
            "profile_checked_at",
            "website",
        ]
        widgets = {
            "support": forms.CheckboxSelectMultiple,
            "profile_summary": forms.Textarea(attrs={"rows": 4}),
            "profile_checked_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "profile_url": {"invalid": _("Vul een volledig webadres in, beginnend met https://")},
            "website": {"invalid": _("Vul een volledig webadres in, beginnend met https://")},
            "profile_checked_at": {"invalid": _("Vul een geldige datum in.")},
        }


class SignUpForm(SubmitMixin, forms.Form):
    name = forms.CharField(
        label=_("Uw naam of voorletters"),
        max_length=100,
        help_text=_("Zodat wij weten wie er komt. Uw voornaam of voorletters is genoeg."),
        error_messages={"required": _("Vul uw naam of voorletters in.")},
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        help_text=_("Voor de bevestiging en een herinnering. Wij wissen het na de bijeenkomst."),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Dit e-mailadres klopt niet. Voorbeeld: naam@voorbeeld.nl"),
        },
    )

    def __init__(self, *args: Any, full: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submit_label = _("Zet mij op de wachtlijst") if full else _("Aanmelden")
        self.helper.form_tag = False  # the template adds the form tag and a honeypot


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Heeft deze informatie u geholpen?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee."), "invalid_choice": _("Kies ja of nee.")},
    )
    remark = forms.CharField(
        label=_("Wilt u nog iets kwijt?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Schrijf hier geen namen of persoonlijke gegevens. Maximaal 500 tekens."),
        error_messages={"max_length": _("Maximaal 500 tekens, u heeft er %(show_value)d.")},
    )

    def __init__(self, *args: Any, young: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if young:  # a youth's or child's page says "je" to the end
            self.fields["helpful"].label = _("Heb je iets aan deze uitleg?")
            self.fields["remark"].label = _("Wil je nog iets zeggen?")
            self.fields["remark"].help_text = _(
                "Schrijf hier geen namen. Ook niet van jezelf. Maximaal 500 tekens."
            )
            self.fields["remark"].error_messages["max_length"] = _(
                "Maximaal 500 tekens, je hebt er %(show_value)d."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # see informeren.views.feedback


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(SubmitMixin, forms.ModelForm[Meeting]):
    submit_label = _("Bijeenkomst opslaan")

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "audience",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "published",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "title": {"required": _("Geef de bijeenkomst een titel.")},
            "description": {"required": _("Beschrijf de bijeenkomst in een paar zinnen.")},
            "starts_at": {
                "required": _("Vul in wanneer de bijeenkomst begint."),
                "invalid": _("Vul een geldige datum en tijd in."),
            },
            "ends_at": {
                "required": _("Vul in wanneer de bijeenkomst eindigt."),
                "invalid": _("Vul een geldige datum en tijd in."),
            },
            "capacity": {
                "required": _("Vul het aantal plaatsen in."),
                "invalid": _("Vul een heel getal in."),
            },
            "online_url": {"invalid": _("Vul een volledig webadres in, beginnend met https://")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "starts_at", forms.DateTimeField).input_formats = ["%Y-%m-%dT%H:%M"]
        field_of(self, "ends_at", forms.DateTimeField).input_formats = ["%Y-%m-%dT%H:%M"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error(
                "place", _("Vul een plaats in, of een link voor een online bijeenkomst.")
            )
        if data.get("capacity") == 0:
            self.add_error("capacity", _("Er moet minstens één plaats zijn."))
        return data


class SynonymForm(SubmitMixin, forms.ModelForm[Synonym]):
    """One entry of the synonym list search uses: a word and what means the same.

    Words are kept in lowercase, the alternatives without doubles and
    without the word itself.
    """

    submit_label = _("Synoniem opslaan")

    class Meta:
        model = Synonym
        fields = ["word", "alternatives", "national"]
        error_messages = {
            "word": {
                "required": _("Vul het woord in."),
                "unique": _("Dit woord staat al in de lijst. Pas dat synoniem aan."),
                "max_length": _("Het woord is te lang: maximaal %(limit_value)d tekens."),
            },
            "alternatives": {
                "required": _("Vul minstens één woord in dat hetzelfde betekent."),
                "max_length": _("Dit is te lang: maximaal %(limit_value)d tekens."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["word"].help_text = _(
            "Het woord dat mensen typen, bijvoorbeeld: rugzakje. Hoofdletters maken niet uit."
        )
        self.fields["national"].help_text = _(
            "Landelijk: geldt voor elk steunpunt. Niet aangevinkt: alleen in onze regio."
        )

    def clean_word(self) -> str:
        word = " ".join(self.cleaned_data["word"].split()).lower()
        if not word:
            raise forms.ValidationError(_("Vul het woord in."))
        if Synonym.objects.filter(word=word).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Dit woord staat al in de lijst. Pas dat synoniem aan."))
        return word

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if "alternatives" in data:
            word = data.get("word", "")
            alternatives: list[str] = []
            for part in data["alternatives"].split(","):
                alternative = " ".join(part.split()).lower()
                if alternative and alternative != word and alternative not in alternatives:
                    alternatives.append(alternative)
            if not alternatives:
                self.add_error(
                    "alternatives",
                    _("Vul minstens één ander woord in, gescheiden door komma's."),
                )
            else:
                data["alternatives"] = ", ".join(alternatives)
        return data


# --- The wegwijzer ---------------------------------------------------------------------


class WegwijzerRouteForm(forms.ModelForm[WegwijzerRoute]):
    """One route of the wegwijzer: for whom, in which situation, which two or three pages."""

    class Meta:
        model = WegwijzerRoute
        fields = [
            "audience",
            "situation",
            "school_type",
            "first_topic",
            "second_topic",
            "third_topic",
            "intro",
            "thema",
            "organisaties",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "organisaties": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _(
                    "Er is al een route voor deze keuzes. Pas die route aan, of kies iets anders."
                )
            },
            "audience": {"required": _("Kies voor wie deze route is.")},
            "situation": {"required": _("Kies wat er aan de hand is.")},
            "first_topic": {"required": _("Kies de eerste pagina.")},
            "second_topic": {"required": _("Kies de tweede pagina.")},
            "intro": {"max_length": _("De inleiding is te lang: maximaal %(limit_value)d tekens.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = Topic.objects.order_by("title", "slug")
        for name in ("first_topic", "second_topic", "third_topic"):
            field = field_of(self, name, forms.ModelChoiceField)
            field.queryset = topics
            # Django's way to label a model form's choices; the stubs see only a method.
            field.label_from_instance = _topic_label  # type: ignore[method-assign, assignment]
        field_of(self, "school_type", forms.ChoiceField).choices = [
            ("", _("Elke soort school")),
            *SchoolType.choices,
        ]
        field_of(self, "thema", forms.ModelChoiceField).empty_label = _(
            "Het thema dat bij de situatie past"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        named = [data.get(name) for name in ("first_topic", "second_topic", "third_topic")]
        chosen = [topic for topic in named if topic]
        if len({topic.pk for topic in chosen}) < len(chosen):
            self.add_error(None, _("Kies elke pagina maar één keer."))
        return data


def _topic_label(topic: Topic) -> str:
    if topic.published_revision_id:
        return str(topic)
    return f"{topic} ({_('nog niet gepubliceerd')})"


URL_INVALID = _("Vul een volledig webadres in, beginnend met https://")


class B1ReasonForm(forms.Form):
    """The validator's reason to publish a text below B1 (asked only when it is)."""

    b1_reason = forms.CharField(
        label=_("Waarom mag deze tekst toch gepubliceerd worden?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "De tekst is niet op B1-niveau. Bijvoorbeeld: de wet gebruikt dit woord en we "
            "leggen het uit. De reden staat in de geschiedenis."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class BegripChangeForm(SubmitMixin, forms.ModelForm[Begrip]):
    """A glossary term and its plain explanation, as proposed (published after approval)."""

    submit_label = _("Wijziging opslaan")

    class Meta:
        model = Begrip
        fields = ["term", "explanation", "also_matches"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "term": {
                "required": _("Vul het begrip in."),
                "unique": _("Dit begrip staat al in de lijst. Pas dat begrip aan."),
                "max_length": _("Het begrip is te lang: maximaal %(limit_value)d tekens."),
            },
            "explanation": {
                "required": _("Leg het begrip uit in gewone woorden."),
                "max_length": _("De uitleg is te lang: maximaal %(limit_value)d tekens."),
            },
            "also_matches": {
                "max_length": _("Dit is te lang: maximaal %(limit_value)d tekens."),
            },
        }

    def validate_unique(self) -> None:
        """A term must be new, also among the published ones (not only this row)."""
        term = self.cleaned_data.get("term", "").strip()
        if term and Begrip.objects.filter(term__iexact=term).exclude(pk=self.instance.pk).exists():
            self.add_error("term", _("Dit begrip staat al in de lijst. Pas dat begrip aan."))

    def data_for_change(self) -> ChangeData:
        return {name: self.cleaned_data[name].strip() for name in self.Meta.fields}


class OrganisatieChangeForm(SubmitMixin, forms.ModelForm[Organisatie]):
    """An organisation of the sociale kaart, as proposed (published after approval)."""

    submit_label = _("Wijziging opslaan")

    gemeenten = forms.MultipleChoiceField(
        label=_("Werkt in de gemeenten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: in de hele regio. Een landelijke organisatie: overal."),
        error_messages={"invalid_choice": _("Kies gemeenten uit de lijst.")},
    )

    class Meta:
        model = Organisatie
        fields = [
            "name",
            "soort",
            "national",
            "summary",
            "when_to_go",
            "for_whom",
            "address",
            "opening_hours",
            "website",
            "phone",
            "email",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "when_to_go": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {
                "required": _("Vul de naam in."),
                "unique": _("Deze organisatie staat er al."),
            },
            "soort": {"required": _("Kies wat voor organisatie het is.")},
            "summary": {"required": _("Schrijf in gewone woorden wat zij doen.")},
            "website": {"invalid": URL_INVALID},
            "email": {"invalid": _("Dit e-mailadres klopt niet. Voorbeeld: info@voorbeeld.nl")},
            "address": {"max_length": _("Het adres is te lang: maximaal %(limit_value)d tekens.")},
            "opening_hours": {"max_length": _("Dit is te lang: maximaal %(limit_value)d tekens.")},
        }

    def __init__(self, *args: Any, gemeenten: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "gemeenten", forms.ChoiceField).choices = [(g, g) for g in gemeenten]
        self.fields["address"].help_text = _("Straat en huisnummer, postcode en plaats.")
        self.fields["opening_hours"].help_text = _(
            "Bijvoorbeeld: maandag tot en met vrijdag, 9 tot 17 uur."
        )
        self.fields["for_whom"].help_text = _("Bijvoorbeeld: ouders en jongeren tot 18 jaar.")

    def data_for_change(self) -> ChangeData:
        data: ChangeData = {}
        for name in self.Meta.fields:
            value = self.cleaned_data[name]
            data[name] = value.strip() if isinstance(value, str) else value
        data["gemeenten"] = [] if data["national"] else sorted(self.cleaned_data["gemeenten"])
        return data


class ChecklistChangeForm(forms.ModelForm[Checklist]):
    class Meta:
        model = Checklist
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"title": {"required": _("Geef de checklist een titel.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ChecklistItemChangeForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst"),
        max_length=300,
        required=False,
        error_messages={
            "max_length": _("Maximaal %(limit_value)d tekens, u heeft er %(show_value)d.")
        },
    )
    topic = forms.ModelChoiceField(
        label=_("Meer informatie op de pagina"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("Geen pagina"),
        error_messages={"invalid_choice": _("Kies een pagina uit de lijst.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "topic", forms.ModelChoiceField
        ).queryset = Topic.objects.published().order_by("title")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("topic") and not data.get("text", "").strip():
            self.add_error("text", _("Vul de tekst van het punt in, of kies geen pagina."))
        return data


def _deleted(form: forms.Form) -> bool:
    """Whether the visitor ticked "delete" on this form of a formset."""
    return bool(form.cleaned_data.get(DELETION_FIELD_NAME, False))


class _ItemFormSet(forms.BaseFormSet[forms.Form]):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(
            form.cleaned_data.get("text", "").strip() for form in self.forms if not _deleted(form)
        ):
            raise forms.ValidationError(_("Een checklist heeft minstens één punt."))

    def items(self) -> list[dict[str, Any]]:
        return [
            {
                "text": form.cleaned_data["text"].strip(),
                "topic": form.cleaned_data["topic"].pk if form.cleaned_data["topic"] else None,
            }
            for form in self.forms
            if form.cleaned_data.get("text", "").strip() and not _deleted(form)
        ]


ChecklistItemChangeFormSet = forms.formset_factory(
    ChecklistItemChangeForm, formset=_ItemFormSet, extra=3, can_delete=True
)


class ErvaringChangeForm(forms.ModelForm[Ervaring]):
    """An experience story as proposed: anonymised, in the teller's own words."""

    class Meta:
        model = Ervaring
        fields = ["title", "teller", "text", "topics", "fictional"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 12}),
            "topics": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": _("Geef het verhaal een titel.")},
            "teller": {"required": _("Kies wie het verhaal vertelt: een ouder of een jongere.")},
            "text": {"required": _("Schrijf het verhaal.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "topics", forms.ModelChoiceField
        ).queryset = Topic.objects.published().order_by("title")
        self.fields["topics"].required = True
        self.fields["topics"].error_messages["required"] = _(
            "Kies minstens één pagina waar het verhaal bij hoort."
        )
        self.fields["text"].help_text = _(
            "Zonder namen van mensen, scholen of plaatsen. Een jongere vertelt met 'ik' en "
            "'je'. Markdown mag."
        )
        self.fields["fictional"].help_text = _(
            "Aanvinken voor een verzonnen voorbeeld: de pagina zegt dat er dan bij."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def data_for_change(self) -> ChangeData:
        return {
            "title": self.cleaned_data["title"].strip(),
            "teller": self.cleaned_data["teller"],
            "text": self.cleaned_data["text"].strip(),
            "topics": sorted(topic.pk for topic in self.cleaned_data["topics"]),
            "fictional": self.cleaned_data["fictional"],
        }


class ToestemmingForm(forms.ModelForm[Toestemming]):
    """Who agreed to the story being published. Stored apart; never on a public page."""

    class Meta:
        model = Toestemming
        fields = ["given_by", "given_on", "how"]
        widgets = {
            "given_by": forms.TextInput,  # a name, on one line (stored encrypted)
            "given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "given_by": {"required": _("Vul in wie toestemming gaf.")},
            "given_on": {
                "required": _("Vul in op welke datum de toestemming is gegeven."),
                "invalid": _("Vul een geldige datum in."),
            },
            "how": {"required": _("Kies hoe de toestemming is gegeven.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_by"].help_text = _(
            "Alleen voor de redactie. Bijvoorbeeld: de moeder, mevrouw J. Dijkstra."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_given_on(self) -> date:
        from django.utils import timezone

        day: date = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("De datum van de toestemming ligt in de toekomst."))
        return day


class FeestdagForm(SubmitMixin, forms.ModelForm[Feestdag]):
    """A day the steunpunt is closed: the response-time promise skips it."""

    submit_label = _("Feestdag toevoegen")

    class Meta:
        model = Feestdag
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "date": {
                "required": _("Vul de datum in."),
                "invalid": _("Vul een geldige datum in."),
                "unique": _("Op deze datum staat al een feestdag."),
            },
            "name": {"required": _("Vul de naam van de feestdag in.")},
        }


class OrganisatieFilterForm(forms.Form):
    """The gemeente filter of /organisaties/. A gemeente that does not exist is ignored."""

    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False)

    def __init__(self, *args: Any, gemeenten: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "gemeente", forms.ChoiceField).choices = [
            ("", _("Alle gemeenten")),
            *[(g, g) for g in gemeenten],
        ]

    def chosen(self) -> str:
        value = self.data.get("gemeente", "")
        return value if value and value in dict(_choices(self, "gemeente")) else ""
