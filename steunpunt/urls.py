from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from steunpunt import account, passkeys, theme, twofactor, views

account_patterns = (
    [
        path("login/", account.LoginView.as_view(), name="login"),
        path("tweestaps/", twofactor.second_factor, name="second_factor"),
        path("tweestaps/instellen/", twofactor.setup, name="second_factor_setup"),
        path(
            "tweestaps/uitnodiging/<str:uidb64>/<str:token>/",
            twofactor.invitation,
            name="second_factor_invitation",
        ),
        path("passkeys/", passkeys.manage, name="passkeys"),
        path("wachtwoord/", account.password_change, name="password_change"),
        path("wachtwoord-vergeten/", account.PasswordResetView.as_view(), name="password_reset"),
        path(
            "wachtwoord-vergeten/verstuurd/",
            account.PasswordResetSentView.as_view(),
            name="password_reset_sent",
        ),
        path(
            "wachtwoord-herstellen/<uidb64>/<token>/",
            account.PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path(
            "wachtwoord-herstellen/klaar/",
            account.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
        path("team/", account.team, name="team"),
        path("team/<int:pk>/", account.member, name="member"),
        path("team/<int:pk>/uitnodigen/", account.invite, name="invite"),
        path("team/<int:pk>/uitzetten/", account.deactivate, name="deactivate"),
        path("team/<int:pk>/aanzetten/", account.reactivate, name="reactivate"),
        path("team/<int:pk>/opnieuw-uitnodigen/", account.invite_again, name="invite_again"),
        path("welkom/<str:uidb64>/<str:token>/", account.welcome, name="welcome"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("", views.workspace, name="workspace"),
    ],
    "account",
)

# Staff only: Dutch, never under a language prefix.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("thema.css", theme.theme_css, name="theme"),
    path("account/tweestaps/passkey/", include("steunpunt.passkeys")),
    path("account/", include(account_patterns)),
    # One way in for everyone: our login, with its lockout, audit and second step;
    # a logged-in user the admin refuses gets our 403 page, not a redirect loop.
    path("beheer/django/login/", views.admin_login, name="admin_login"),
    path("beheer/django/", admin.site.urls),
]

# The public pages: Dutch without a prefix (these URLs never change), each other
# language under its own (/en/, /ar/, ...): steunpunt/languages.py. The apps'
# staff pages match here too; under a prefix, languages.py sends them to the Dutch one.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("snel-weg/", views.quick_exit, name="quick_exit"),
    path("", include("informeren.urls")),
    path("", include("steunen.urls")),
    path("", include("signaleren.urls")),
    prefix_default_language=False,
)

handler400 = "steunpunt.views.bad_request"
handler403 = "steunpunt.views.permission_denied"
handler404 = "steunpunt.views.page_not_found"
handler500 = "steunpunt.views.server_error"
