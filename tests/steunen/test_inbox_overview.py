"""A medewerker with forty open cases sees in the inbox what each question is about
and when its answer is promised, without opening every case."""

import pytest
from django.utils import timezone

from steunen import actions
from steunen.models import Case
from tests.conftest import client_for
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db
INBOX = "/medewerkers/vragen/"


def test_each_row_shows_the_first_line_of_the_question(medewerker):
    ask("Mijn dochter mag niet meer naar school.\nZe is twaalf en zit al twee weken thuis.")
    page = client_for(medewerker).get(INBOX).text
    assert '<span class="inbox-question">Mijn dochter mag niet meer naar school.</span>' in page
    assert "Ze is twaalf" not in page


def test_a_long_first_line_is_cut_at_a_word(medewerker):
    ask("Wij " + "wachten al heel lang op een plek " * 6)
    page = client_for(medewerker).get(INBOX).text
    shown = page.split('<span class="inbox-question">')[1].split("</span>")[0]
    assert shown.endswith("…")
    assert len(shown) <= 91
    words = {"wachten", "al", "heel", "lang", "op", "een", "plek"}
    assert shown.removesuffix("…").split()[-1] in words


def test_the_promised_answer_date_reads_in_dutch(medewerker, time_machine):
    time_machine.move_to("2026-11-16 09:00", tick=False)  # a Monday
    case, _ = ask()
    promised = timezone.localtime(Case.objects.get(pk=case.pk).response_due_at)
    page = client_for(medewerker).get(INBOX).text
    weekday = ["ma", "di", "wo", "do", "vr", "za", "zo"][promised.weekday()]
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    text = f"{weekday} {promised.day} {months[promised.month - 1]}, {promised:%H.%M}"
    assert f'<time datetime="{promised.isoformat(timespec="minutes")}">{text}</time>' in page


def promised_cell(page: str, case: Case) -> str:
    """The "Antwoord beloofd" cell of the case's row (after "Binnen")."""
    row = page.split(f">{case.reference}</a>")[1].split("</tr>")[0]
    return row.split("<td>")[2].split("</td>")[0]


def test_an_answered_case_owes_nothing_until_the_asker_writes_again(medewerker, time_machine):
    time_machine.move_to("2026-11-16 09:00", tick=False)
    case, _ = ask()
    actions.send_answer(case=case, by=medewerker, body="Dit is ons antwoord.")
    assert promised_cell(client_for(medewerker).get(INBOX).text, case) == "–"
    time_machine.move_to("2026-11-17 09:00", tick=False)
    actions.reply_as_asker(case=case, body="Dank u, nog één vraag.")
    assert promised_cell(client_for(medewerker).get(INBOX).text, case).startswith("<time datetime=")


def test_a_buddy_never_reads_a_question_of_a_case_they_are_not_on(vrijwilliger):
    ask("Een vraag die alleen het steunpunt mag lezen.")
    page = client_for(vrijwilliger).get(INBOX).text
    assert "alleen het steunpunt mag lezen" not in page


def test_the_board_never_reads_a_question(bestuur):
    ask("Een vraag die het bestuur nooit ziet.")
    response = client_for(bestuur).get(INBOX)
    assert "het bestuur nooit ziet" not in response.text
