from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from steunpunt.roles import Role, role_required


@never_cache
@role_required(Role.COORDINATOR, Role.BESTUUR)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Reports for the SWV board; composed by the coordinator."""
    return render(request, "signaleren/dashboard.html")
