"""A URLconf with a view that fails, to show the 500 page."""

from django.db import OperationalError
from django.urls import path

from steunpunt.urls import urlpatterns as real_patterns


def broken(request):
    raise RuntimeError("deliberately broken for the 500 test")


def database_gone(request):
    raise OperationalError("connection refused (the database is stopped)")


urlpatterns = [path("kapot/", broken), path("database-weg/", database_gone), *real_patterns]
handler500 = "steunpunt.views.server_error"
