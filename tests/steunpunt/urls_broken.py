"""A URLconf with a view that fails, to show the 500 page."""

from django.urls import path

from steunpunt.urls import urlpatterns as real_patterns


def broken(request):
    raise RuntimeError("deliberately broken for the 500 test")


urlpatterns = [path("kapot/", broken), *real_patterns]
handler500 = "steunpunt.views.server_error"
