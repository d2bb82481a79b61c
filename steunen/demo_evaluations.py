"""Demo evaluations: scores for the figures, a few remarks for the coordinator's page,
and one unhappy asker who asked us to look again (the case reopened, as the action does)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from steunen.models import Case, CaseEvent, Evaluation, EventKind, Status

# Written for the demo; fictional askers, no real person or school.
REMARKS = [
    "Fijn dat iemand echt luisterde. Ik weet nu wat ik de school kan vragen.",
    "Snel antwoord en duidelijke uitleg over het OPP.",
    "Het gesprek op school ging beter omdat u erbij was.",
    "Ik had liever eerder gehoord dat u niet over de klacht zelf beslist.",
    "Goed geholpen, maar het duurde een week voor ik antwoord kreeg.",
    "De uitleg was lastig. Ik begreep niet alle woorden.",
]
UNHAPPY_REMARK = "Ik heb nog steeds geen plek voor mijn zoon. Er is niets veranderd."


@transaction.atomic
def generate_evaluations(seed: int = 2026) -> int:
    """About a third of the closed cases of the last half year rated, unless any are."""
    if Evaluation.objects.exists():
        return 0
    rng = random.Random(seed)
    since = timezone.now() - timedelta(days=183)
    closed = list(
        Case.objects.live()
        .filter(status=Status.AFGEROND, closed_at__gte=since)
        .order_by("closed_at")
    )
    rows = []
    for case in closed:
        if rng.random() > 0.35:
            continue
        day = timezone.localdate(case.closed_at) + timedelta(days=rng.randint(0, 3))
        scores = [rng.choice([3, 4, 4, 5, 5, 5]) for _ in range(3)]
        remark = rng.choice(REMARKS) if rng.random() < 0.25 else ""
        rows.append(
            Evaluation(
                case=case,
                day=min(day, timezone.localdate()),
                listened=scores[0],
                helped=scores[1],
                recommend=scores[2],
                remark=remark,
            )
        )
    Evaluation.objects.bulk_create(rows)
    # The most recent closed case without a rating: unhappy, and reopened on request.
    rated = {row.case_id for row in rows}
    last = next((c for c in reversed(closed) if c.pk not in rated), None)
    if last is not None:
        Evaluation.objects.create(
            case=last, listened=2, helped=1, recommend=2, remark=UNHAPPY_REMARK, reopen_wanted=True
        )
        now = timezone.now()
        last.save(update_fields=last.reopen_for_asker(now))
        CaseEvent.objects.create(
            case=last,
            kind=EventKind.REOPENED,
            detail="op verzoek van de vrager na de beoordeling",
            created_at=now,
        )
    return len(rows) + (last is not None)
