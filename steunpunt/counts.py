"""Counts about visitors as they may be shown: a small count is never shown itself.

Every page and report that shows how many questions, searches or answers
there were reads a count under its threshold (for reports
settings.REPORT_SUPPRESSION_THRESHOLD) as "< N", so that no one visitor can
be picked out.
"""


def below(threshold: int) -> str:
    """How a count under the threshold reads: "< 10", never the number itself."""
    return f"< {threshold}"


def shown_count(value: int, threshold: int) -> str:
    """The count itself from the threshold up, else "< N"."""
    return str(value) if value >= threshold else below(threshold)
