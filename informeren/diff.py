"""A readable word-level diff between two revisions, as HTML with <ins> and <del>."""

import difflib
import html
import re

from django.db.models import Field
from django.utils.safestring import SafeString, mark_safe

from informeren.models import Revision

_TOKEN = re.compile(r"\s+|[^\s]+")


def diff_html(old: str, new: str) -> SafeString:
    old_tokens, new_tokens = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(old_tokens[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(''.join(old_tokens[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(''.join(new_tokens[b1:b2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped


def revision_diff(old: Revision | None, new: Revision) -> list[tuple[str, SafeString]]:
    """(field label, diff) for every field that changed."""
    changes = []
    for name in Revision.CONTENT_FIELDS:
        before = getattr(old, name) if old else ""
        after = getattr(new, name)
        if before != after:
            field = Revision._meta.get_field(name)
            label = str(field.verbose_name) if isinstance(field, Field) else name
            changes.append((label, diff_html(before, after)))
    return changes
