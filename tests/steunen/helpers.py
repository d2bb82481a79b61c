"""Building cases the way askers and staff do, for the steunen tests."""

import time

from django.conf import settings

from steunen import actions
from steunen.models import AskerType, Case
from steunpunt import puzzle


def ask(question: str = "Mijn zoon zit thuis. Wat nu?", **kwargs) -> tuple[Case, str]:
    kwargs.setdefault("asker_type", AskerType.OUDER)
    return actions.submit_question(question=question, **kwargs)


def old_puzzle() -> str:
    """A puzzle the form handed out long enough ago to count without its answer,
    as for a visitor without JavaScript (steunpunt/puzzle.py)."""
    return puzzle.issue(made=time.time() - settings.PUZZLE_WAIT_SECONDS - 1)


def form_data(**overrides) -> dict:
    data = {
        "puzzle": overrides.pop("puzzle", None) or old_puzzle(),
        "submission_token": overrides.pop("submission_token", "token-1"),
        "asker_type": "ouder",
        "question": "Mag de school mijn kind zomaar naar huis sturen?",
        "school_type": "",
        "school": "",
        "name": "",
        "contact_preference": "geen",
        "email": "",
        "phone": "",
        "phone_times": "",
    }
    data.update(overrides)
    return data


def code_data(code: str, **overrides) -> dict:
    """What the return-code form sends: the code and its puzzle, counted as for a
    visitor without JavaScript who took a while (steunpunt/puzzle.py)."""
    return {"code": code, "puzzle": old_puzzle(), **overrides}
