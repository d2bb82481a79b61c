"""A small proof of work on the anonymous forms, of our own: no third party sees a visitor.

A flood of questions from many addresses passes any limit per address. So
each form carries a puzzle: find a number that makes the SHA-256 of the
puzzle and that number start with ``PUZZLE_BITS`` zero bits. The page's own
script (static/js/puzzle.js) solves it while the visitor types, in about a
second; for the steunpunt checking it is one hash. A flood now costs the
sender a second of computing per question, not the steunpunt.

Without JavaScript the form works too, slower: a puzzle not solved counts
once it is ``PUZZLE_WAIT_SECONDS`` old (a person takes longer than that to
write a question). Sent sooner, the form comes back with everything typed
and asks to press send again in a moment.

The puzzle is signed (it cannot be made up), says when it was made, and
counts once: a solved puzzle is noted in the shared cache until it expires.
It is made for each visit and rendered outside every kept fragment (like
the CSRF token, ``steunpunt.cache.VISITOR_MARKS``); the form pages are never
public, so no proxy keeps one either.
"""

import hashlib
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from steunpunt.cache import CACHE_UNAVAILABLE

SALT = "steunpunt.puzzle"
FIELD = "puzzle"
ANSWER_FIELD = "puzzle_answer"


def issue(*, made: float | None = None) -> str:
    """A new puzzle: "made:random:bits:signature"."""
    made = time.time() if made is None else made
    value = f"{int(made)}:{secrets.token_hex(8)}:{settings.PUZZLE_BITS}"
    return signing.Signer(salt=SALT).sign(value)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solves(puzzle: str, answer: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{puzzle}:{answer}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(puzzle: str) -> str:
    """What the page's script does (for tests and benchmarks that send forms without it)."""
    bits = int(puzzle.split(":")[2])
    answer = 0
    while not solves(puzzle, str(answer), bits):
        answer += 1
    return str(answer)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    wait_seconds: int = 0  # without JavaScript: how long until it counts
    puzzle: str = ""  # the puzzle to render again (the same one while waiting)


def check(data: Mapping[str, Any]) -> Outcome:
    """Whether the form in ``data`` (request.POST) brought a solved or old enough puzzle.

    Call it once the form is valid, just before acting on it: a form that
    comes back with errors keeps its puzzle.
    """
    puzzle = str(data.get(FIELD, ""))
    try:
        made, _random, bits = signing.Signer(salt=SALT).unsign(puzzle).split(":")
        age = time.time() - int(made)
    except (signing.BadSignature, ValueError):
        return Outcome(passed=False, wait_seconds=settings.PUZZLE_WAIT_SECONDS, puzzle=issue())
    if age > settings.PUZZLE_MAX_AGE_SECONDS:
        return Outcome(passed=False, wait_seconds=settings.PUZZLE_WAIT_SECONDS, puzzle=issue())
    solved = solves(puzzle, data.get(ANSWER_FIELD, "")[:32], int(bits))
    if not solved and age < settings.PUZZLE_WAIT_SECONDS:
        return Outcome(
            passed=False, wait_seconds=int(settings.PUZZLE_WAIT_SECONDS - age) + 1, puzzle=puzzle
        )
    if not _first_use(puzzle):
        return Outcome(passed=False, wait_seconds=settings.PUZZLE_WAIT_SECONDS, puzzle=issue())
    return Outcome(passed=True)


def _first_use(puzzle: str) -> bool:
    key = f"puzzle-used:{hashlib.sha256(puzzle.encode()).hexdigest()[:32]}"
    try:
        return cache.add(key, 1, settings.PUZZLE_MAX_AGE_SECONDS + 60)
    except CACHE_UNAVAILABLE:
        return True  # without the shared cache the rate limits answer 503 anyway


def posted_or_new(data: Mapping[str, Any]) -> str:
    """The puzzle to render again on a form that came back: the one sent, if it is ours."""
    puzzle = str(data.get(FIELD, ""))
    try:
        signing.Signer(salt=SALT).unsign(puzzle)
    except signing.BadSignature:
        return issue()
    return puzzle
