from typing import Any

from django.conf import settings
from django.http import HttpRequest

from steunpunt.middleware import STAFF_PREFIXES
from steunpunt.roles import areas_for


def steunpunt(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: who we are and where you may go."""
    user = getattr(request, "user", None)
    return {
        "steunpunt_name": settings.STEUNPUNT_NAME,
        "steunpunt_email": settings.STEUNPUNT_EMAIL,
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
        "steunpunt_hours": settings.STEUNPUNT_HOURS,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        # Every page outside the staff areas has the quick exit; staff pages do not.
        "show_quick_exit": not request.path.startswith(STAFF_PREFIXES),
        "at_home": request.path == "/",
        "user_areas": areas_for(user) if user is not None else [],
    }
