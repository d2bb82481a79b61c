"""Bar charts drawn on the server: readable without JavaScript, with a table beside.

Labels and values are HTML text, not text inside an SVG: they wrap instead of
being cut off, keep the page's font size on a phone (an SVG scaled to a narrow
screen shrinks its text with it), and follow the page's direction. Only the bar
itself is a small SVG, sized by its width attribute (the page's Content Security
Policy allows no inline styles).
"""

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart(rows: list[dict[str, Any]], *, title: str, value_key: str = "value") -> SafeString:
    """Horizontal bars for published values; a hidden value gets no bar, only its '< N' text."""
    values = [row[value_key] for row in rows if isinstance(row.get(value_key), (int, float))]
    biggest = max(values, default=0) or 1
    parts = [f'<div class="chart" role="img" aria-label="{escape(title)}">']
    for row in rows:
        value = row.get(value_key)
        share = 100 * value / biggest if isinstance(value, (int, float)) else 0
        # A bar of a published value under 1% of the biggest is still drawn, thinly.
        width = f"{max(share, 0.5):.1f}" if share else "0"
        display = escape(str(row.get("display", value)))
        parts.append(
            '<div class="chart__row">'
            f'<span class="chart__label">{escape(str(row["label"]))}</span>'
            '<span class="chart__bar">'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 10" '
            'preserveAspectRatio="none" width="100%" height="100%" aria-hidden="true" '
            f'focusable="false"><rect x="0" y="0" width="{width}" height="10" '
            'fill="#00566b"/></svg></span>'
            f'<span class="chart__value">{display}</span>'
            "</div>"
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped
