"""Staff login with a lockout per username and client, audited; the team page; passwords.

Changing or resetting a password takes the second factor too: a stolen
password, or a stolen mailbox, is not enough to take over an account.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from steunpunt import ratelimit, twofactor
from steunpunt.crypto import encrypt
from steunpunt.forms import (
    InviteForm,
    LoginForm,
    PasswordChangeWithCodeForm,
    RolesForm,
    SetPasswordWithCodeForm,
    StaffPasswordResetForm,
    WelcomePasswordForm,
    send_welcome,
)
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods
from steunpunt.mail import send_after_commit
from steunpunt.middleware import start_staff_session
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role, role_required, roles_of

TOO_MANY_LOGINS = gettext_lazy(
    "U heeft te vaak een verkeerd wachtwoord ingevuld. Probeer het over een kwartier opnieuw."
)


class LoginView(auth_views.LoginView):
    template_name = "account/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        # Counted before the password is checked, so parallel tries cannot pass the limit.
        if not ratelimit.take_login_try(request, username):
            # Locked: the password is not even checked.
            form = self.authentication_form(request=request)
            context = self.get_context_data(form=form, locked_message=TOO_MANY_LOGINS)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        ratelimit.login_succeeded(self.request, self.request.POST.get("username", "")[:150])
        start_staff_session(self.request)
        AuditEntry.record(actor=form.get_user(), action=AuditAction.LOGIN, obj=form.get_user())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = self.request.POST.get("username", "")[:150]
        AuditEntry.record(actor=None, action=AuditAction.LOGIN_FAILED, username=username)
        return super().form_invalid(form)


def end_sessions_of(user: AbstractBaseUser) -> int:
    """Delete every session of this user, at once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    """The link in an invitation mail: once (the password it sets changes the hash),
    for PASSWORD_RESET_TIMEOUT (three days), and never for a deactivated account."""

    key_salt = "steunpunt.account.WelcomeTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        return f"{user.pk}|{user.password}|{user.is_active}|{user.last_login}|{timestamp}"


welcome_tokens = WelcomeTokenGenerator()


def _send_invitation(request: AuthenticatedHttpRequest, user: User) -> None:
    """Mail the one-time link to set a password; the link waits encrypted in the queue."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("account:welcome", args=[uid, welcome_tokens.make_token(user)])
    body = render_to_string(
        "account/email/welcome.txt",
        {
            "name": user.first_name,
            "link": settings.SITE_URL.rstrip("/") + path,
            "username": user.get_username(),
            "inviter": request.user.get_full_name() or request.user.get_username(),
            "steunpunt_name": settings.STEUNPUNT_NAME,
        },
    )
    subject = _("Uw account bij %(name)s") % {"name": settings.STEUNPUNT_NAME}
    send_after_commit(send_welcome, user.email, subject, encrypt(body))


def _is_invited(user: User) -> bool:
    """Invited and not yet started: no password of their own yet."""
    return not user.has_usable_password() and user.last_login is None


@never_cache
@role_required(Role.COORDINATOR)
@require_form_methods
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who holds which tasks; a new colleague is invited here by e-mail."""
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            data = form.cleaned_data
            user = get_user_model().objects.create_user(
                username=data["email"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=None,  # unusable until they choose one with the link
            )
            user.groups.set(Group.objects.filter(name__in=data["roles"]))
            AuditEntry.record(actor=request.user, action=AuditAction.ACCOUNT_INVITED, obj=user)
            _send_invitation(request, user)
        messages.success(
            request,
            _("De uitnodiging is verstuurd naar %(email)s. De link werkt drie dagen en één keer.")
            % {"email": user.email},
        )
        return redirect("account:team")
    users = (
        get_user_model()
        .objects.filter(groups__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )
    rows = [
        (user, sorted(roles_of(user), key=lambda r: r.label), _is_invited(user)) for user in users
    ]
    return render(request, "account/team.html", {"rows": rows, "form": form})


@role_required(Role.COORDINATOR)
@require_POST
def invite_again(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new invitation mail for a colleague who has not started yet (the old link expired)."""
    user = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if not _is_invited(user) or not user.email:
        messages.error(request, _("Dit account is al in gebruik. Een nieuwe uitnodiging kan niet."))
        return redirect("account:member", pk=user.pk)
    AuditEntry.record(actor=request.user, action=AuditAction.ACCOUNT_INVITED, obj=user)
    _send_invitation(request, user)
    messages.success(
        request, _("Er is een nieuwe uitnodiging verstuurd naar %(email)s.") % {"email": user.email}
    )
    return redirect("account:member", pk=user.pk)


@never_cache
@require_form_methods
def welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invitation link: choose a password, then link an app (the second step).

    Works once and for three days. After the password the colleague is logged
    in with it and goes straight to linking an app, which this invitation allows.
    """
    try:
        user = get_user_model().objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not _is_invited(user) or not welcome_tokens.check_token(user, token):
        return render(request, "account/invitation_invalid.html", status=404)
    form = WelcomePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.user.is_authenticated:
            logout(request)  # someone else's session on this browser ends first
        login(request, user, backend="steunpunt.roles.UserWithRolesBackend")
        start_staff_session(request)
        request.session[twofactor.INVITED] = user.pk
        AuditEntry.record(actor=user, action=AuditAction.PASSWORD_SET, obj=user)
        messages.success(
            request, _("Uw wachtwoord is opgeslagen. Stel nu de tweede stap in met uw telefoon.")
        )
        return redirect(
            f"{reverse('account:second_factor_setup')}?next={reverse('account:workspace')}"
        )
    return render(request, "account/welcome.html", {"form": form, "member": user})


@never_cache
@role_required(Role.COORDINATOR)
def member(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    form = RolesForm(request.POST or None, initial={"roles": [r.value for r in roles_of(user)]})
    if request.method == "POST" and form.is_valid():
        before = sorted(r.value for r in roles_of(user))
        after = sorted(form.cleaned_data["roles"])
        if before != after:
            user.groups.set(Group.objects.filter(name__in=after))
            AuditEntry.record(actor=request.user, action=AuditAction.ROLES_CHANGED, obj=user)
            messages.success(request, _("De taken zijn gewijzigd."))
        return redirect("account:team")
    return render(request, "account/member.html", {"member": user, "form": form})


@role_required(Role.COORDINATOR)
@require_POST
def deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Turn an account off; its sessions end at once."""
    user = get_object_or_404(get_user_model(), pk=pk)
    if user.pk == request.user.pk:
        messages.error(request, _("U kunt uw eigen account niet uitzetten."))
        return redirect("account:member", pk=user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions_of(user)
    AuditEntry.record(actor=request.user, action=AuditAction.ACCOUNT_DEACTIVATED, obj=user)
    messages.success(request, _("Het account is uitgezet. Alle sessies zijn beëindigd."))
    return redirect("account:team")


@role_required(Role.COORDINATOR)
@require_POST
def reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Turn an account on again, with the tasks it still has."""
    user = get_object_or_404(get_user_model(), pk=pk, is_active=False)
    user.is_active = True
    user.save(update_fields=["is_active"])
    AuditEntry.record(actor=request.user, action=AuditAction.ACCOUNT_REACTIVATED, obj=user)
    messages.success(request, _("Het account staat weer aan."))
    return redirect("account:member", pk=user.pk)


@role_required(Role.COORDINATOR)
@require_POST
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An invitation to link an app (a new colleague, or one who lost phone and codes).

    Shown to the coordinator to pass on; it works only after logging in as
    that colleague, once, and stops working when an app is linked.
    """
    user = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    link = request.build_absolute_uri(twofactor.invitation_url(user))
    AuditEntry.record(actor=request.user, action=AuditAction.SECOND_FACTOR_INVITED, obj=user)
    return render(request, "account/invitation_made.html", {"member": user, "link": link})


@never_cache
@login_required
@require_form_methods
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeWithCodeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # other sessions end; this one gets a new key
        AuditEntry.record(actor=request.user, action=AuditAction.PASSWORD_CHANGED, obj=request.user)
        messages.success(request, _("Uw wachtwoord is gewijzigd."))
        return redirect("account:workspace")
    return render(request, "account/password_change.html", {"form": form})


PASSWORD_RESETS_PER_HOUR = 5  # per client: nobody floods a colleague's mailbox


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "account/password_reset.html"
    email_template_name = "account/email/password_reset.txt"
    subject_template_name = "account/email/password_reset_subject.txt"
    success_url = reverse_lazy("account:password_reset_sent")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ratelimit.take(
            "password_reset", request, limit=PASSWORD_RESETS_PER_HOUR, window=3600
        ):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None, _("U vroeg al vaak een link aan. Probeer het over een uur opnieuw.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the mail: a new password, with a code from the account's app."""

    form_class = SetPasswordWithCodeForm
    template_name = "account/password_reset_confirm.html"
    success_url = reverse_lazy("account:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        end_sessions_of(form.user)
        AuditEntry.record(actor=form.user, action=AuditAction.PASSWORD_RESET, obj=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"
