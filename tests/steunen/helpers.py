"""Building cases the way askers and staff do, for the steunen tests."""

from steunen import actions
from steunen.models import AskerType, Case


def ask(question: str = "Mijn zoon zit thuis. Wat nu?", **kwargs) -> tuple[Case, str]:
    kwargs.setdefault("asker_type", AskerType.OUDER)
    return actions.submit_question(question=question, **kwargs)


def form_data(**overrides) -> dict:
    data = {
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
