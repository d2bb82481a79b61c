from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from informeren.models import Organisatie, School
from steunpunt.roles import Role, role_required


@never_cache
@role_required(Role.REDACTEUR, Role.VALIDATOR)
def redactie(request: HttpRequest) -> HttpResponse:
    """The editors' dashboard."""
    return render(
        request,
        "informeren/redactie.html",
        {"school_count": School.objects.count(), "organisatie_count": Organisatie.objects.count()},
    )
