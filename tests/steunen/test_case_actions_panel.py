"""The staff case page: one action panel, and the destructive actions set apart and confirmed.

Closing and removing personal data ask for a tick "Ja, ik weet het zeker" that the
form checks (no JavaScript needed); without it the form comes back with a Dutch error
and what was chosen is still there.
"""

import pytest
from django.urls import reverse

from steunen.models import Case, Message, Status
from tests.conftest import client_for
from tests.steunen.helpers import ask
from tests.steunpunt.test_valid_html import java, vnu_errors  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

CLOSE_ERROR = "Vink aan dat u het zeker weet."
ERASE_ERROR = "Vink aan dat de vrager dit zelf heeft gevraagd."


def url(name: str, case: Case) -> str:
    return reverse(f"steunen:{name}", args=[case.pk])


def sections(page: str) -> tuple[str, str]:
    """The action panel and the part set apart, as text."""
    panel_at = page.index('id="acties"')
    apart_at = page.index('id="definitief"')
    assert panel_at < apart_at
    return page[panel_at:apart_at], page[apart_at : page.index("</aside>", apart_at)]


def test_every_action_is_in_one_panel_and_the_destructive_ones_apart(medewerker):
    case, _ = ask("Mijn dochter mag niet meer naar school.")
    page = client_for(medewerker).get(url("case", case)).text
    panel, apart = sections(page)
    # The panel's index leads to every action on the page, also those by the conversation.
    for anchor in (
        "#answer-title",
        "#notes-title",
        "#actie-behandeling",
        "#people-title",
        "#actie-verwijzen",
        "#advice-title",
        "#escalation-title",
        "#actie-tijd",
        "#definitief",
    ):
        assert f'href="{anchor}"' in panel, anchor
        assert f'id="{anchor[1:]}"' in page, anchor
    for name in ("case_status", "case_assign", "case_themes", "case_referral", "case_time"):
        assert url(name, case) in panel, name
    # Closing, merging and removing are not in the panel but apart, each confirmed.
    for name in ("case_close", "case_merge", "case_erase"):
        assert url(name, case) not in panel, name
        assert url(name, case) in apart, name
    assert apart.count("Ja, ik weet het zeker") == 2
    assert "button--danger" in apart


def test_closing_without_the_tick_keeps_the_case_open_and_the_outcome(medewerker):
    case, _ = ask()
    client = client_for(medewerker)
    response = client.post(url("case_close", case), {"close-outcome": "informatie"})
    assert response.status_code == 200
    assert CLOSE_ERROR in response.text
    # The outcome chosen is still chosen.
    assert '<option value="informatie" selected>' in response.text
    case.refresh_from_db()
    assert case.status != Status.AFGEROND
    assert case.closed_at is None


def test_closing_with_the_tick_closes(medewerker):
    case, _ = ask()
    response = client_for(medewerker).post(
        url("case_close", case), {"close-outcome": "informatie", "close-confirm": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AFGEROND
    assert case.outcome == "informatie"


def test_closing_by_htmx_without_the_tick_answers_the_case_with_the_error(medewerker):
    case, _ = ask()
    response = client_for(medewerker).post(
        url("case_close", case), {"close-outcome": "informatie"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert CLOSE_ERROR in response.text
    assert "<html" not in response.text  # only the case, for htmx to swap in
    case.refresh_from_db()
    assert case.is_open


def test_removing_personal_data_without_the_tick_removes_nothing(medewerker):
    case, _ = ask("Bel mij liever niet op mijn werk.")
    client = client_for(medewerker)
    response = client.post(url("case_erase", case))
    assert response.status_code == 200
    assert ERASE_ERROR in response.text
    assert Message.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.erased_at is None
    done = client.post(url("case_erase", case), {"confirm": "on"}, follow=True)
    assert "De persoonsgegevens van deze vraag zijn verwijderd." in done.text
    assert not Message.objects.filter(case=case).exists()


def test_a_buddy_is_not_given_the_panel(medewerker, coordinator):
    # The coordinator's and the medewerker's pages both have it; the permission
    # matrix keeps a buddy off staff's case pages (404).
    case, _ = ask()
    for user in (medewerker, coordinator):
        page = client_for(user).get(url("case", case)).text
        assert 'id="acties"' in page
        assert 'id="definitief"' in page


@pytest.mark.usefixtures("java")
def test_the_case_page_is_valid_html_also_with_the_errors_of_the_confirmation(medewerker, tmp_path):
    case, _ = ask()
    client = client_for(medewerker)
    pages = {
        "case": client.get(url("case", case)).text,
        "close not confirmed": client.post(
            url("case_close", case), {"close-outcome": "informatie"}
        ).text,
        "erase not confirmed": client.post(url("case_erase", case)).text,
    }
    assert vnu_errors(pages, tmp_path) == {}
