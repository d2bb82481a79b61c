from datetime import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext

from steunpunt.languages import split as split_language
from steunpunt.middleware import STAFF_PREFIXES
from steunpunt.roles import areas_for
from steunpunt.theme import stylesheet_url

# The main menu's items by the first part of their path.
NAV_SECTIONS = (
    "wegwijzer", "informatie", "scholen", "bijeenkomsten", "organisaties", "vraag", "zoeken",
)  # fmt: skip


# Pages under another item of the menu.
NAV_PARTS = {"begrippen": "informatie", "checklists": "informatie", "jongeren": "informatie",
             "kinderen": "informatie"}  # fmt: skip


def nav_current(path: str) -> str:
    """Which menu item this page belongs to ("" for none), and whether it is that item's page.

    "informatie" for /informatie/thuiszitten/, "informatie:page" for /informatie/ itself.
    The layout keeps the menu per value of this (templates/base.html).
    """
    if path == "/":
        return "home:page"
    if path.startswith("/vraag/terug/"):  # "Mijn vraag" is an item of its own
        return "mijn-vraag:page" if path == "/vraag/terug/" else "mijn-vraag"
    first, _, rest = path.strip("/").partition("/")
    if first in NAV_PARTS:  # the glossary and the checklists belong to the information
        return NAV_PARTS[first]
    if first not in NAV_SECTIONS:
        return ""
    return f"{first}:page" if not rest else first


def nav_audience(path: str, query: Any) -> str:
    """Whom this page speaks to: "jongere", "kind" or "" (parents and everyone else).

    The menu of a youth's or child's page leads to their own variants (their entry
    page, their question form, their "Mijn vraag"), so that a child who follows it
    is not suddenly addressed as a parent. From the address only: /jongeren/,
    /informatie/<slug>/jongeren/, /vraag/kind/, ?voor=jongere, ?wie=kind.
    """
    parts = path.strip("/").split("/")
    if parts[0] == "kinderen" or parts[-1] == "kinderen" or parts[:2] == ["vraag", "kind"]:
        return "kind"
    if parts[0] == "jongeren" or parts[-1] == "jongeren":
        return "jongere"
    asked = query.get("voor") or query.get("wie") or ""
    return asked if asked in ("jongere", "kind") else ""


def opening_hours() -> str:
    """When the steunpunt can be reached, in the page's language: "maandag tot en met
    vrijdag, 9.00 tot 17.00 uur" (STEUNPUNT_OPEN_FROM and STEUNPUNT_OPEN_UNTIL)."""
    start, end = (
        time.fromisoformat(value)
        for value in (settings.STEUNPUNT_OPEN_FROM, settings.STEUNPUNT_OPEN_UNTIL)
    )
    return gettext("maandag tot en met vrijdag, %(start)s tot %(end)s uur") % {
        "start": f"{start.hour}.{start.minute:02d}",
        "end": f"{end.hour}.{end.minute:02d}",
    }


def steunpunt(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: who we are and where you may go."""
    user = getattr(request, "user", None)
    path = split_language(request.path)[1]  # /ar/informatie/ is the Arabic /informatie/
    return {
        "nav_current": nav_current(path),
        "nav_audience": nav_audience(path, request.GET),
        "steunpunt_name": settings.STEUNPUNT_NAME,
        "steunpunt_logo": settings.STEUNPUNT_LOGO,
        # Called by the template only when the kept top of the page is made.
        "theme_css_url": stylesheet_url,
        "steunpunt_email": settings.STEUNPUNT_EMAIL,
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
        # Called by a template only when it shows them (in the kept footer).
        "steunpunt_hours": settings.STEUNPUNT_HOURS or opening_hours,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        # Every page outside the staff areas has the quick exit; staff pages do not.
        "show_quick_exit": not request.path.startswith(STAFF_PREFIXES),
        "at_home": path == "/",
        # Once, for the layout's two questions (the staff menu, the kept footer).
        "logged_in": user is not None and user.is_authenticated,
        "user_areas": (lambda: areas_for(user)) if user is not None else [],
        # A youth's or child's page says so in its own context; named here so the
        # layout finds them on every other page without a failed lookup.
        "youth": False,
        "child": False,
    }
