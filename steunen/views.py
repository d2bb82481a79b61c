from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from steunpunt.roles import Role, role_required


@never_cache
@role_required(Role.MEDEWERKER, Role.COORDINATOR, Role.VRIJWILLIGER)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff side of the steunpunt: where questions are handled."""
    return render(request, "steunen/dashboard.html")
