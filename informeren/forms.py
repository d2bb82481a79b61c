from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from informeren.models import Organisatie, Revision, Thema, Topic

TEXTAREA_ATTRS = {"rows": 12}


class RevisionForm(forms.ModelForm):
    """The texts of one revision. Markdown; what is unsafe is removed when shown."""

    class Meta:
        model = Revision
        fields = list(Revision.CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA_ATTRS)
            for name in Revision.CONTENT_FIELDS
            if name.startswith(("national", "regional"))
        } | {"sources": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": _("Geef het onderwerp een titel.")},
            "summary": {"required": _("Schrijf een korte samenvatting van één of twee zinnen.")},
            "national_ouders": {"required": _("De tekst voor ouders is verplicht.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_ouders"].help_text = _(
            "Markdown: ## kopje, - lijstje, **vet**, [link](https://...). "
            'Een stappenblok: !!! doen "Wat kunt u doen?" en daaronder ingesprongen regels.'
        )
        # Live preview with htmx while typing (the page works without it too).
        for name, field in self.fields.items():
            if name.startswith(("national", "regional")):
                field.widget.attrs.update(
                    {
                        "hx-post": reverse("informeren:preview"),
                        "hx-trigger": "input changed delay:600ms, focus",
                        "hx-target": "#live-preview",
                    }
                )
        self.helper = FormHelper()
        self.helper.form_id = "versie"
        self.helper.add_input(Submit("submit", _("Opslaan")))


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
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Geef een adres op, bijvoorbeeld: zorgplicht."))
        if Topic.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Er is al een pagina met dit adres. Kies een ander."))
        return slug


class TopicSettingsForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["themes", "related", "organisaties", "review_by", "position"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "related": forms.CheckboxSelectMultiple,
            "organisaties": forms.CheckboxSelectMultiple,
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {"review_by": {"invalid": _("Vul een geldige datum in.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related"].queryset = Topic.objects.exclude(pk=self.instance.pk).order_by(
            "title"
        )
        self.fields["organisaties"].queryset = Organisatie.objects.order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Instellingen opslaan")))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom keurt u deze versie af?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("De auteur ziet dit en past de tekst aan."),
        error_messages={"required": _("Schrijf op wat er beter moet.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
