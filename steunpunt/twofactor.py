"""The second factor for staff: a code from an authenticator app (TOTP), or a recovery code."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from steunpunt.forms import SecondFactorForm
from steunpunt.models import AuditAction, AuditEntry

RECOVERY_CODES = 10


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/account/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/account/"
    return target


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps want it typed: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"/account/tweestaps/instellen/?next={_next_url(request)}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user)
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(
                    request, _("U gebruikte een herstelcode. U heeft er nog %(n)d.") % {"n": left}
                )
            return redirect(_next_url(request))
        form.add_error("token", _("Deze code klopt niet. Gebruik de nieuwste code uit uw app."))
    return render(request, "account/second_factor.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan or type the key, confirm with a code.

    Shows ten recovery codes once, on success.
    """
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("account:second_factor")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            recovery = StaticDevice.objects.create(user=user, name="herstelcodes")
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(
                StaticToken(device=recovery, token=code) for code in codes
            )
            otp_login(request, device)
            AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user)
            return render(
                request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
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
    }
    return render(request, "account/second_factor_setup.html", context)
