"""Bar charts drawn on the server as SVG: readable without JavaScript, with a table beside."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 26
GAP = 10
LABEL_WIDTH = 230
BAR_AREA = 300
VALUE_WIDTH = 70


def bar_chart(rows: list[dict], *, title: str, value_key: str = "value") -> SafeString:
    """Horizontal bars for published values; a hidden value gets no bar, only its '< N' text."""
    values = [row[value_key] for row in rows if isinstance(row.get(value_key), (int, float))]
    biggest = max(values, default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        value = row.get(value_key)
        bar = round(BAR_AREA * value / biggest) if isinstance(value, (int, float)) else 0
        label = escape(str(row["label"]))[:40]
        display = escape(str(row.get("display", value)))
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.0f}" text-anchor="end" '
            f'font-size="14" fill="#1b1b1b">{label}</text>'
        )
        if bar:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
                'fill="#00566b"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="14" '
            f'fill="#1b1b1b">{display}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped
