"""Staff login with a lockout per username and client, audited; and the team page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from steunpunt import ratelimit
from steunpunt.forms import LoginForm, RolesForm
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

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:150]
        # Counted before the password is checked, so parallel tries cannot pass the limit.
        if not ratelimit.take_login_try(request, username):
            # Locked: the password is not even checked.
            form = self.authentication_form(request=request)
            context = self.get_context_data(form=form, locked_message=TOO_MANY_LOGINS)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        ratelimit.login_succeeded(self.request, self.request.POST.get("username", "")[:150])
        start_staff_session(self.request)
        AuditEntry.record(actor=form.get_user(), action=AuditAction.LOGIN, obj=form.get_user())
        return response

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")[:150]
        AuditEntry.record(actor=None, action=AuditAction.LOGIN_FAILED, username=username)
        return super().form_invalid(form)


def end_sessions_of(user) -> int:
    """Delete every session of this user, at once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@never_cache
@role_required(Role.COORDINATOR)
def team(request: HttpRequest) -> HttpResponse:
    users = (
        get_user_model()
        .objects.filter(groups__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )
    rows = [(user, sorted(roles_of(user), key=lambda r: r.label)) for user in users]
    return render(request, "account/team.html", {"rows": rows})


@never_cache
@role_required(Role.COORDINATOR)
def member(request: HttpRequest, pk: int) -> HttpResponse:
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
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
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
