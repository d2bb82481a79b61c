"""The second factor for staff: a code from an authenticator app (TOTP), or a recovery code.

The app's key is encrypted and recovery codes are hashed (steunpunt.models
AppDevice and RecoveryDevice). A second factor is enrolled only

- through an invitation (a coordinator makes one on the team page, or
  `manage.py invite_second_factor` for the first account): a link that works
  once, for that account only, after logging in with its password; or
- in a session that passed the second factor already (a new phone).

So a password alone never lets anyone link their own app to an account.
The session key is rotated once the second factor is passed; every failed
code is audited.
"""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_otp import login as otp_login
from django_otp.models import Device

from steunpunt.forms import SecondFactorForm
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods, second_factor_done
from steunpunt.models import AppDevice, AuditAction, AuditEntry, RecoveryDevice

RECOVERY_CODES = 10
INVITED = "steunpunt_enrolment_invited"


class EnrolmentTokenGenerator(PasswordResetTokenGenerator):
    """Invitation links: for one account, until an app is linked (or its password changes)."""

    key_salt = "steunpunt.twofactor.EnrolmentTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        apps = ",".join(
            str(pk)
            for pk in AppDevice.objects.filter(user=user, confirmed=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Not the last login (as a reset token has): the colleague logs in before using it.
        return f"{user.pk}|{user.password}|{user.is_active}|{timestamp}|{apps}"


enrolment_tokens = EnrolmentTokenGenerator()


def invitation_url(user: User) -> str:
    """The path of a fresh invitation to link an app to ``user``'s account."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "account:second_factor_invitation", args=[uid, enrolment_tokens.make_token(user)]
    )


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/account/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/account/"
    return target


def secret_of(device: AppDevice) -> str:
    """The key as authenticator apps want it typed: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")  # type: ignore[misc]
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def verify_code(user: User, token: str) -> AppDevice | RecoveryDevice | None:
    """The device of ``user`` that accepts ``token`` (and uses it up), or None.

    The devices are locked while checking, so one code is never accepted twice.
    """
    with transaction.atomic():
        app: AppDevice
        codes: RecoveryDevice
        for app in AppDevice.objects.filter(user=user, confirmed=True).select_for_update():
            if app.verify_token(token):  # type: ignore[misc, no-untyped-call]  # TOTPDevice's
                return app
        for codes in RecoveryDevice.objects.filter(user=user, confirmed=True).select_for_update():
            if codes.verify_token(token):
                return codes
    return None


def has_second_factor(user: AbstractBaseUser) -> bool:
    """An app, or a passkey (a passkey is added only once an app is linked)."""
    from steunpunt.passkeys import has_passkey

    return AppDevice.objects.filter(user=user, confirmed=True).exists() or has_passkey(user)


def pass_second_factor(request: HttpRequest, device: Device) -> None:
    """Mark the session verified, under a new session key (no fixation across the step)."""
    otp_login(request, device)
    request.session.cycle_key()


@never_cache
@login_required
@require_form_methods
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if second_factor_done(user):
        return redirect(_next_url(request))
    if not has_second_factor(user):
        return redirect(f"{reverse('account:second_factor_setup')}?next={_next_url(request)}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["token"])
        if device is not None:
            pass_second_factor(request, device)
            AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user)
            if isinstance(device, RecoveryDevice):
                left = device.codes.count()
                messages.warning(
                    request, _("U gebruikte een herstelcode. U heeft er nog %(n)d.") % {"n": left}
                )
            return redirect(_next_url(request))
        AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR_FAILED, obj=user)
        form.add_error("token", _("Deze code klopt niet. Gebruik de nieuwste code uit uw app."))
    from steunpunt.passkeys import has_passkey

    context = {"form": form, "next": _next_url(request), "passkey": has_passkey(user)}
    return render(request, "account/second_factor.html", context)


@never_cache
@login_required
@require_safe
def invitation(request: AuthenticatedHttpRequest, uidb64: str, token: str) -> HttpResponse:
    """An invitation link, opened after logging in with the account's password."""
    uid = urlsafe_base64_encode(force_bytes(request.user.pk))
    if uid != uidb64 or not enrolment_tokens.check_token(request.user, token):
        return render(request, "account/invitation_invalid.html", status=404)
    request.session[INVITED] = request.user.pk
    return redirect("account:second_factor_setup")


def _may_enrol(request: AuthenticatedHttpRequest) -> bool:
    return second_factor_done(request.user) or request.session.get(INVITED) == request.user.pk


@never_cache
@login_required
@require_form_methods
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link an authenticator app: scan or type the key, confirm with a code.

    Only with an invitation or in a session past the second factor (a new
    phone replaces the old app). Shows ten new recovery codes once, on success.
    """
    user = request.user
    if not _may_enrol(request):
        if has_second_factor(user):
            return redirect("account:second_factor")
        return render(request, "account/invitation_needed.html", status=403)
    device = AppDevice.objects.filter(
        user=user, confirmed=False
    ).first() or AppDevice.objects.create(user=user, name="app", confirmed=False)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            AppDevice.objects.filter(user=user, confirmed=True).delete()  # the old phone
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery, _created = RecoveryDevice.objects.get_or_create(
                user=user, defaults={"name": "herstelcodes"}
            )
            codes = recovery.replace_codes(RECOVERY_CODES)
            request.session.pop(INVITED, None)
            pass_second_factor(request, device)
            AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR_ENROLLED, obj=user)
            return render(
                request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR_FAILED, obj=user)
        form.add_error(
            "token", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")
        )
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR-code voor uw app")
    )
    context = {
        "form": form,
        "secret": secret_of(device),
        "qr": mark_safe(qr),  # noqa: S308 - SVG made by segno from our own URL
        "next": _next_url(request),
        "replacing": has_second_factor(user),
    }
    return render(request, "account/second_factor_setup.html", context)
