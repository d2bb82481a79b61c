from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from steunpunt.roles import Role


class LoginForm(AuthenticationForm):
    """Staff login. Visitors never need an account."""

    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. "
            "Let op hoofdletters en kleine letters."
        ),
        "inactive": _("Dit account is uitgezet. Vraag de coördinator om hulp."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].error_messages["required"] = _("Vul uw gebruikersnaam in.")
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
        self.fields["password"].error_messages["required"] = _("Vul uw wachtwoord in.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Inloggen")))


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Taken"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(role.value, role.label) for role in Role],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Taken opslaan")))

    def clean_roles(self):
        roles = set(self.cleaned_data["roles"])
        if Role.BESTUUR.value in roles and roles & {
            Role.MEDEWERKER.value,
            Role.COORDINATOR.value,
            Role.VRIJWILLIGER.value,
        }:
            raise forms.ValidationError(
                _("Een bestuurslid kan geen vragen behandelen: het steunpunt is onafhankelijk.")
            )
        return sorted(roles)


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("De zes cijfers uit uw app, of een van uw herstelcodes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Vul de code in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())
