from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

from steunpunt.crypto import decrypt, encrypt
from steunpunt.mail import mail_task, send_after_commit
from steunpunt.roles import BOARD_ROLES, Role


def field_of[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]`` as the kind of field it is, to set its choices or labels."""
    found = form.fields[name]
    if not isinstance(found, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(found).__name__}")
    return found


class SubmitMixin:
    """A form that crispy renders with one submit button saying ``submit_label``.

    The helper is made on first use, so a form may still set its own
    ``submit_label`` in ``__init__`` (a youth's words) or set more on
    ``self.helper`` (``form_tag``, ``form_action``...). Put it before the form
    class: ``class ReplyForm(SubmitMixin, forms.Form)``.
    """

    submit_label: str | Promise = _("Opslaan")

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.add_input(Submit("submit", self.submit_label))
        return helper


class SubmitForm(SubmitMixin, forms.Form):
    """A plain form with a crispy submit button (see SubmitMixin)."""


class LoginForm(SubmitMixin, AuthenticationForm):
    """Staff login. Visitors never need an account."""

    submit_label = _("Inloggen")

    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. "
            "Let op hoofdletters en kleine letters."
        ),
        "inactive": _("Dit account is uitgezet. Vraag de coördinator om hulp."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].error_messages["required"] = _("Vul uw gebruikersnaam in.")
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
        self.fields["password"].error_messages["required"] = _("Vul uw wachtwoord in.")


class RolesForm(SubmitMixin, forms.Form):
    submit_label = _("Taken opslaan")

    roles = forms.MultipleChoiceField(
        label=_("Taken"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(role.value, role.label) for role in Role],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_roles(self) -> list[str]:
        roles = set(self.cleaned_data["roles"])
        if roles & {role.value for role in BOARD_ROLES} and roles & {
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())


CODE_LABEL = _("Code uit uw app")
CODE_HELP = _("De zes cijfers die uw app nu laat zien, of een van uw herstelcodes.")


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=CODE_LABEL,
        max_length=16,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Vul de code uit uw app in.")},
    )


class _WithSecondFactor(forms.BaseForm):
    """A password form that also asks for the second factor (checked last, used up once)."""

    wrong_code = _("Deze code klopt niet. Gebruik de nieuwste code uit uw app.")
    no_app = _("Dit account heeft nog geen tweede stap. Vraag de coördinator om een uitnodiging.")

    def _check_code(self, user: User | None) -> None:
        from steunpunt.models import AuditAction, AuditEntry
        from steunpunt.twofactor import has_second_factor, verify_code

        if self.errors:  # a code is only used up when everything else is right
            return
        if user is None or not has_second_factor(user):
            raise forms.ValidationError(self.no_app)
        token = "".join(self.cleaned_data.get("token", "").split())
        if verify_code(user, token) is None:
            AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR_FAILED, obj=user)
            self.add_error("token", self.wrong_code)


class PasswordChangeWithCodeForm(SubmitMixin, _WithSecondFactor, PasswordChangeForm):
    """A new password for a logged-in staff member: the old one, and a code from the app."""

    submit_label = _("Wachtwoord wijzigen")

    token = _code_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Huidig wachtwoord")
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self._check_code(self.user)
        return cleaned


class SetPasswordWithCodeForm(SubmitMixin, _WithSecondFactor, SetPasswordForm[User]):
    """A new password after a reset link: only with a code from the account's app too."""

    submit_label = _("Wachtwoord opslaan")

    token = _code_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self._check_code(self.user)
        return cleaned


class StaffPasswordResetForm(SubmitMixin, PasswordResetForm):
    submit_label = _("Stuur een link")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Uw e-mailadres bij het steunpunt")
        self.fields["email"].error_messages["required"] = _("Vul uw e-mailadres in.")
        self.fields["email"].error_messages["invalid"] = _(
            "Vul een e-mailadres in zoals naam@voorbeeld.nl."
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queued, not sent while the visitor waits: the answer takes as long whether
        or not the address belongs to an account. The link travels encrypted."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_after_commit(send_password_reset, to_email, subject, encrypt(body))


@mail_task
def send_password_reset(to_email: str, subject: str, encrypted_body: str) -> None:
    EmailMessage(subject=subject, body=decrypt(encrypted_body), to=[to_email]).send()


class InviteForm(RolesForm):
    """A new colleague: name, work e-mail and tasks. They choose their own password."""

    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, error_messages={"required": _("Vul de voornaam in.")}
    )
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mailadres op het werk"),
        help_text=_("Hierheen sturen we de uitnodiging. Het is ook de gebruikersnaam."),
        error_messages={
            "required": _("Vul het e-mailadres in."),
            "invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        },
    )
    field_order = ["first_name", "last_name", "email", "roles"]
    submit_label = _("Uitnodiging sturen")

    def clean_email(self) -> str:
        from django.contrib.auth import get_user_model

        email: str = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if users.filter(email__iexact=email).exists() or users.filter(username=email).exists():
            raise forms.ValidationError(
                _("Er is al een account met dit e-mailadres. Zoek het op in het team.")
            )
        return email

    def clean_roles(self) -> list[str]:
        roles = super().clean_roles()
        if not roles:
            raise forms.ValidationError(_("Kies minstens één taak."))
        return roles


class WelcomePasswordForm(SubmitMixin, SetPasswordForm[User]):
    """The first password of an invited colleague (the second step follows at once)."""

    submit_label = _("Wachtwoord opslaan")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kies een wachtwoord")
        self.fields["new_password2"].label = _("Hetzelfde wachtwoord nog een keer")
        for name in ("new_password1", "new_password2"):
            self.fields[name].error_messages["required"] = _("Vul een wachtwoord in.")
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("De twee wachtwoorden zijn niet gelijk."),
        }


@mail_task
def send_welcome(to_email: str, subject: str, encrypted_body: str) -> None:
    """The invitation mail; its one-time link is stored encrypted while it waits."""
    EmailMessage(subject=subject, body=decrypt(encrypted_body), to=[to_email]).send()
