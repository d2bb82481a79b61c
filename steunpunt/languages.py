"""The languages of the public pages: how a request gets one, and the switcher.

A page's language comes from its path and from nothing else: /ar/informatie/...
is Arabic, /informatie/... is Dutch, whatever the browser's Accept-Language or
a cookie says. So one URL is always one page in one language: the proxy and
the browser may keep it under its URL alone (no Vary: Accept-Language), and a
link someone shares shows the reader what the sender saw. A visitor changes
language with the switcher (links, no cookie, no session).

Staff pages (STAFF_PREFIXES) are Dutch and have no prefix; a prefixed staff
path (a link made on an Arabic page, or a mail composed in Turkish) is sent to
the Dutch one.
"""

from collections.abc import Callable
from html import escape
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from steunpunt.middleware import STAFF_PREFIXES

DEFAULT = settings.LANGUAGE_CODE
CODES = tuple(code for code, _ in settings.LANGUAGES)
PREFIXED = tuple(code for code in CODES if code != DEFAULT)
RIGHT_TO_LEFT = frozenset({"ar"})
# Longer names for staff ("Gesteld in het Arabisch"): in Dutch, as staff pages are.
DUTCH_NAMES = {
    "nl": "Nederlands",
    "en": "Engels",
    "ar": "Arabisch",
    "tr": "Turks",
    "pl": "Pools",
    "uk": "Oekraïens",
}


def split(path: str) -> tuple[str, str]:
    """The language of a path and the path without its prefix.

    ``/ar/vraag/`` -> ("ar", "/vraag/"); ``/ar`` -> ("ar", "/"); ``/vraag/`` -> ("nl", "/vraag/").
    """
    first, slash, rest = path.lstrip("/").partition("/")
    if first in PREFIXED and (slash or not rest):
        return first, "/" + rest
    return DEFAULT, path


def in_language(path: str, code: str) -> str:
    """The same page in another language: ``/ar/vraag/`` in "tr" is ``/tr/vraag/``."""
    _, bare = split(path)
    return bare if code == DEFAULT else f"/{code}{bare}"


def is_staff_path(bare_path: str) -> bool:
    return bare_path.startswith(STAFF_PREFIXES)


class LanguageMiddleware:
    """Activate the language of the path for this request, and only that one.

    Instead of Django's LocaleMiddleware, which also reads the browser's
    Accept-Language and a cookie and then makes pages vary by them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code, bare = split(request.path_info)
        if code != DEFAULT and is_staff_path(bare):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponseRedirect(bare + (f"?{query}" if query else ""))
        if code != DEFAULT and request.path_info == f"/{code}":
            return HttpResponseRedirect(f"/{code}/")
        request.LANGUAGE_CODE = code
        with translation.override(code):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


def languages(request: HttpRequest) -> dict[str, Any]:
    """For the layout: the page's language, its direction, and the language switcher."""
    code = getattr(request, "LANGUAGE_CODE", DEFAULT)
    _, bare = split(request.path_info)
    return {
        "page_language": code,
        "page_dir": "rtl" if code in RIGHT_TO_LEFT else "ltr",
        "language_switch": "" if is_staff_path(bare) else language_switch(bare, code),
    }


def language_switch(bare_path: str, current: str) -> SafeString:
    """The switcher: this same page in each language, every name written in its own
    language and marked so (lang, dir), so a screen reader reads "العربية" in Arabic.
    Plain links: no cookie, no script.

    Made with plain string formatting, only the path escaped: it is on every
    public page, where a template (an include, a loop, format_html_join) took a
    tenth of a kept topic page's time.
    """
    path = escape(bare_path)
    items = "\n".join(
        ITEM.format(
            href=path if code == DEFAULT else f"/{code}{path}",
            code=code,
            dir="rtl" if code in RIGHT_TO_LEFT else "ltr",
            current=' aria-current="true"' if code == current else "",
            name=NAMES[code],
        )
        for code in CODES
    )
    label = escape(gettext("Taal"))
    return mark_safe(  # noqa: S308 - the path and the label are escaped, the rest are constants
        f'<nav class="language-switch" aria-label="{label} (Language)">\n'
        f'  <ul class="language-switch__list">\n{items}\n  </ul>\n</nav>'
    )


ITEM = '<li><a href="{href}" lang="{code}" hreflang="{code}" dir="{dir}"{current}>{name}</a></li>'
NAMES = {code: escape(name) for code, name in settings.LANGUAGES}
