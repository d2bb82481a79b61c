"""A URLconf with a view that fails, to show the 500 page."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from steunpunt.urls import urlpatterns as real_patterns


def broken(request):
    raise RuntimeError("deliberately broken for the 500 test")


def bad(request):
    raise SuspiciousOperation("deliberately bad for the 400 test")


def refused(request):
    raise PermissionDenied("deliberately refused for the 403 test")


def database_gone(request):
    raise OperationalError("connection refused (the database is stopped)")


urlpatterns = [
    path("kapot/", broken),
    path("fout-verzoek/", bad),
    path("geweigerd/", refused),
    path("database-weg/", database_gone),
    *real_patterns,
]
handler400 = "steunpunt.views.bad_request"
handler403 = "steunpunt.views.permission_denied"
handler500 = "steunpunt.views.server_error"
