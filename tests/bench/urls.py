"""The portal's URLs plus a constant view: the framework's own cost, through every middleware."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

from steunpunt.urls import handler403, handler404, handler500
from steunpunt.urls import urlpatterns as portal_patterns

# As large as the information page the benchmark compares it with.
BODY = b"x" * int(os.environ.get("BENCH_PAGE_BYTES", "20000"))


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/constant/", constant), *portal_patterns]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
