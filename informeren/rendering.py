"""From an editor's Markdown to safe HTML, glossary links and a readability score."""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import markdown
import nh3
import pyphen
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "div", "hr", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
}
# Callouts are written as `!!! doen "Wat kunt u doen?"` (Markdown admonitions).
ALLOWED_CLASSES = {"div": {"admonition", "doen", "let-op", "tip"}, "p": {"admonition-title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> SafeString:
    """Editors' Markdown as sanitised HTML: no script, no event handlers, no javascript: links."""
    raw = markdown.markdown(text or "", extensions=["tables", "admonition", "sane_lists"])
    # The page title is the only h1.
    raw = re.sub(r"<(/?)h1>", r"<\1h2>", raw)
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def plain_text(text: str) -> str:
    """The words of a Markdown text, without markup."""
    rendered = markdown.markdown(text or "", extensions=["tables", "admonition"])
    rendered = re.sub(r"</(p|li|h\d|td|th|div|tr)>", "\n", rendered)
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


_TAG = re.compile(r"(<[^>]+>)")
_NO_LINK_INSIDE = {"a", "h2", "h3", "h4", "code", "th"}


def link_glossary(
    safe_html: str, terms: list[tuple[str, str, str]], linked_urls: set[str] | None = None
) -> SafeString:
    """Link the first use of each glossary term in the text to its explanation.

    ``terms`` are (form, url, explanation); pass the same ``linked_urls``
    set for several parts of one page to link each term once. The HTML comes from
    render_markdown, so it is well formed; we only touch text between tags
    and never inside links, headings or code.
    """
    if not terms:
        return mark_safe(safe_html)  # noqa: S308 - input is already safe HTML
    forms = sorted(terms, key=lambda t: len(t[0]), reverse=True)
    by_form = {form.lower(): (url, explanation) for form, url, explanation in forms}
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(html.escape(f[0], quote=False)) for f in forms)
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    linked_urls = set() if linked_urls is None else linked_urls
    open_tags: list[str] = []
    out = []
    for part in _TAG.split(safe_html):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if part.startswith("</"):
                if name in open_tags:
                    open_tags.remove(name)
            elif not part.endswith("/>") and name in _NO_LINK_INSIDE:
                open_tags.append(name)
            out.append(part)
            continue
        if open_tags:
            out.append(part)
            continue

        def replace(match: re.Match[str]) -> str:
            found: str = match.group(0)
            url, explanation = by_form[html.unescape(found).lower()]
            if url in linked_urls:
                return found
            linked_urls.add(url)
            title = html.escape(explanation, quote=True)
            return f'<a href="{url}" class="begrip" title="{title}">{found}</a>'

        out.append(pattern.sub(replace, part))
    return mark_safe("".join(out))  # noqa: S308 - only our own anchors were added


# --- Readability -------------------------------------------------------------

LONG_SENTENCE_WORDS = 20
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9]+(?:[-'’][A-Za-zÀ-ÿ0-9]+)*")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


def syllables(word: str) -> int:
    if word.isdigit():
        return max(1, len(word))
    return len(_hyphenator().positions(word.lower())) + 1


@dataclass
class Readability:
    score: float | None
    words: int
    sentences: int
    long_sentences: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        """A plain label; B1 is the goal (score 60 or more)."""
        if self.score is None:
            return "geen tekst"
        if self.score >= 70:
            return "makkelijk"
        if self.score >= 60:
            return "goed (B1)"
        if self.score >= 45:
            return "wat moeilijk"
        return "moeilijk"

    @property
    def meets_b1(self) -> bool:
        return self.score is not None and self.score >= 60


def readability(markdown_text: str) -> Readability:
    """Flesch-Douma for Dutch.

    206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence.
    """
    text = plain_text(markdown_text)
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    if not words or not sentences:
        return Readability(score=None, words=0, sentences=0)
    syllable_count = sum(syllables(w) for w in words)
    score = (
        206.84 - 0.77 * (100 * syllable_count / len(words)) - 0.93 * (len(words) / len(sentences))
    )
    long_ones = [s for s in sentences if len(_WORD.findall(s)) > LONG_SENTENCE_WORDS]
    return Readability(
        score=round(score, 1), words=len(words), sentences=len(sentences), long_sentences=long_ones
    )
