"""Each region's own face: the steunpunt's colours as design tokens.

The stylesheet (static/css/steunpunt.css) uses custom properties for every colour,
named like an NL Design System theme's tokens (``--steunpunt-color-primary``). A
deployment sets its own in the environment (``STEUNPUNT_COLOR_PRIMARY=#7a1f5c``,
settings.STEUNPUNT_COLORS); ``/thema.css`` sets them again after the stylesheet, and
``manage.py check`` (steunpunt/checks.py) refuses any pair of them whose contrast is
below WCAG 2.2 AA: 4.5:1 for text, 3:1 for the parts of controls and the focus bar.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
TEXT = 4.5  # WCAG 1.4.3, text
UI = 3.0  # WCAG 1.4.11, parts of controls and the focus indicator


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    minimum: float
    where: str


# Which tokens meet where on the page, and how much contrast they need there.
PAIRS = (
    Pair("text", "background", TEXT, "text on the page"),
    Pair("text", "surface", TEXT, "text in grey boxes and the footer"),
    Pair("text", "tint", TEXT, "text in tinted boxes"),
    Pair("muted", "background", TEXT, "hints and small print"),
    Pair("muted", "surface", TEXT, "hints in grey boxes"),
    Pair("on-primary", "primary", TEXT, "the header and the buttons"),
    Pair("on-primary", "primary-dark", TEXT, "a button under the mouse"),
    Pair("primary", "background", TEXT, "secondary buttons and the audience switch"),
    Pair("link", "background", TEXT, "links"),
    Pair("link", "surface", TEXT, "links in grey boxes and the footer"),
    Pair("link", "tint", TEXT, "links in tinted boxes"),
    Pair("link-visited", "background", TEXT, "visited links"),
    Pair("focus-text", "focus", TEXT, "a link with keyboard focus"),
    Pair("focus-text", "background", UI, "the focus bar"),
    Pair("focus", "primary", UI, "the focus on the header"),
    Pair("border", "background", UI, "the edges of form fields"),
    Pair("error", "background", TEXT, "error messages"),
    Pair("on-exit", "exit", TEXT, "the quick-exit button"),
)


def channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rgb or #rrggbb colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colours() -> dict[str, str]:
    """Every token's colour: the stylesheet's defaults with the configured ones over them."""
    return {**DEFAULTS, **settings.STEUNPUNT_COLORS}


def problems() -> list[str]:
    """What is wrong with the configured colours, in words; empty when all is well."""
    found = []
    values = colours()
    for token, value in settings.STEUNPUNT_COLORS.items():
        if token not in DEFAULTS:
            found.append(f"STEUNPUNT_COLOR_{token.upper().replace('-', '_')}: unknown token")
        elif not HEX.match(value):
            found.append(f"--steunpunt-color-{token}: {value!r} is not a colour like #00566b")
    if found:
        return found
    for pair in PAIRS:
        ratio = contrast(values[pair.foreground], values[pair.background])
        if ratio < pair.minimum:
            found.append(
                f"--steunpunt-color-{pair.foreground} {values[pair.foreground]} on "
                f"--steunpunt-color-{pair.background} {values[pair.background]} "
                f"({pair.where}): contrast {ratio:.2f}:1, needs {pair.minimum}:1"
            )
    return found


def stylesheet() -> str:
    """The configured tokens as CSS, loaded after the stylesheet."""
    lines = [
        f"  --steunpunt-color-{token}: {value};"
        for token, value in settings.STEUNPUNT_COLORS.items()
        if token in DEFAULTS and HEX.match(value)
    ]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def stylesheet_url() -> str:
    """The theme's address with its content's hash (browsers keep it for a year);
    "" when no colour is configured: the stylesheet's own are the demo's."""
    if not settings.STEUNPUNT_COLORS:
        return ""
    version = hashlib.sha256(stylesheet().encode()).hexdigest()[:12]
    return f"{reverse('theme')}?v={version}"


@require_safe
def theme_css(request: HttpRequest) -> HttpResponse:
    """/thema.css: the same for every visitor, nothing of anyone in it."""
    response = HttpResponse(stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# The stylesheet's own defaults (static/css/steunpunt.css, :root), which a
# deployment may change: STEUNPUNT_COLOR_<TOKEN> in the environment.
DEFAULTS = {
    "text": "#1b1b1b",
    "muted": "#4a4a4a",
    "background": "#ffffff",
    "surface": "#f3f6f7",
    "border": "#6b7780",
    "primary": "#00566b",
    "primary-dark": "#003a48",
    "on-primary": "#ffffff",
    "tint": "#e6f0f2",
    "link": "#00566b",
    "link-visited": "#5a2d82",
    "focus": "#ffbf47",
    "focus-text": "#0b0c0c",
    "error": "#b3261e",
    "exit": "#a4161a",
    "on-exit": "#ffffff",
}
