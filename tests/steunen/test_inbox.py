"""The staff inbox: what needs attention first, filters, counts, pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from informeren.models import Thema
from steunen import actions
from steunen.models import Case, Status
from tests.conftest import client_for
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db
INBOX = "/medewerkers/vragen/"


def references(response) -> list[str]:
    page = response.text
    return [
        part.split("<")[0]
        for part in page.split('<th scope="row"><a href="')[1:]
        for part in [part.split(">", 1)[1]]
    ]


def test_inbox_lists_open_cases_with_counts_per_status(medewerker):
    open_case, _ = ask()
    closed, _ = ask()
    actions.close(case=closed, by=medewerker, outcome="informatie")
    response = client_for(medewerker).get(INBOX)
    assert references(response) == [open_case.reference]
    assert "Nieuw: <strong>1</strong>" in response.text
    assert "Afgerond (laatste 30 dagen): <strong>1</strong>" in response.text


def test_thuiszitters_come_first_then_the_earliest_deadline(medewerker, time_machine):
    time_machine.move_to("2026-11-16 09:00", tick=False)
    old, _ = ask("oud")
    time_machine.move_to("2026-11-17 09:00", tick=False)
    newer, _ = ask("nieuwer")
    urgent, _ = ask("thuis", thuiszitter=True)
    answered, _ = ask("beantwoord")
    actions.send_answer(case=answered, by=medewerker, body="antwoord")
    response = client_for(medewerker).get(INBOX)
    assert references(response) == [
        urgent.reference,
        old.reference,
        newer.reference,
        answered.reference,
    ]


def test_the_day_a_question_came_in_reads_in_dutch(medewerker, time_machine):
    time_machine.move_to("2026-03-17 09:00", tick=False)
    ask("maart")
    page = client_for(medewerker).get(INBOX).text
    assert '<time datetime="2026-03-17T' in page
    assert ">17 mrt 2026</time>" in page


def test_an_asker_reply_brings_the_case_back_up(medewerker, time_machine):
    time_machine.move_to("2026-11-16 09:00", tick=False)
    replied, _ = ask("eerst")
    actions.send_answer(case=replied, by=medewerker, body="antwoord")
    time_machine.move_to("2026-11-17 09:00", tick=False)
    fresh, _ = ask("later")
    time_machine.move_to("2026-11-17 10:00", tick=False)
    actions.reply_as_asker(case=replied, body="nog een vraag")
    response = client_for(medewerker).get(INBOX)
    assert references(response)[0] == fresh.reference
    assert replied.reference in references(response)
    assert "Nieuwe reactie" in response.text


def test_overdue_and_nearly_due_cases_are_marked(medewerker, time_machine):
    time_machine.move_to("2026-11-16 09:00", tick=False)  # Monday
    late, _ = ask()
    time_machine.move_to("2026-11-17 10:00", tick=False)
    soon, _ = ask()
    time_machine.move_to("2026-11-18 12:00", tick=False)
    client = client_for(medewerker)
    response = client.get(INBOX)
    assert "Antwoord te laat" in response.text
    assert references(client.get(INBOX, {"wachttijd": "te_laat"})) == [late.reference]
    assert references(client.get(INBOX, {"wachttijd": "bijna"})) == [soon.reference]


def test_filters_combine(medewerker, coordinator):
    thema = Thema.objects.get(slug="aanmelden")
    mine, _ = ask(themes=[thema])
    actions.assign(case=mine, by=coordinator, assignee=medewerker)
    _other_theme, _ = ask()
    unassigned, _ = ask(themes=[thema])
    client = client_for(medewerker)
    assert references(client.get(INBOX, {"thema": "aanmelden", "behandelaar": "ik"})) == [
        mine.reference
    ]
    assert references(client.get(INBOX, {"thema": "aanmelden", "behandelaar": "niemand"})) == [
        unassigned.reference
    ]
    assert references(client.get(INBOX, {"status": "in_behandeling"})) == [mine.reference]


def test_unknown_filter_values_are_ignored(medewerker):
    case, _ = ask()
    client = client_for(medewerker)
    for params in (
        {"status": "kapot"},
        {"thema": "bestaat-niet"},
        {"behandelaar": "<b>"},
        {"wachttijd": "eeuwig"},
        {"na": "geen-cursor"},
    ):
        response = client.get(INBOX, params)
        assert response.status_code == 200
        assert references(response) == [case.reference]


def test_htmx_filter_returns_only_the_results(medewerker):
    ask()
    response = client_for(medewerker).get(
        INBOX, {"status": "nieuw"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_pages_follow_each_other_without_gaps_or_repeats(medewerker, settings):
    from steunen import staff

    made = []
    for n in range(60):
        case, _ = ask(f"vraag {n}", thuiszitter=(n % 7 == 0))
        if n % 5 == 0:
            actions.send_answer(case=case, by=medewerker, body="ok")
        made.append(case.reference)
    client = client_for(medewerker)
    seen = []
    url = INBOX
    while url:
        response = client.get(url)
        seen += references(response)
        nav = response.text.split('class="pagination"')[1].split("</nav>")[0]
        url = None
        if "Volgende vragen" in nav:
            link = nav.split("Volgende vragen")[0].split('href="')[-1].split('"')[0]
            url = INBOX + link.replace("&amp;", "&")
    assert len(seen) == len(made) == len(set(seen))
    assert staff.PAGE_SIZE < 60


def test_inbox_query_count_does_not_grow_with_cases(medewerker, django_assert_max_num_queries):
    client = client_for(medewerker)
    client.get(INBOX)
    for n in range(5):
        ask(f"vraag {n}", themes=Thema.objects.all()[:2])
    with django_assert_max_num_queries(12) as few:
        client.get(INBOX)  # read anew: the new questions moved the inbox generation
    for n in range(30):
        ask(f"meer {n}", themes=Thema.objects.all()[:3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INBOX)


def test_the_inbox_reads_as_much_for_thirty_cases_as_for_one(medewerker, django_assert_num_queries):
    client = client_for(medewerker)
    case, _ = ask("Een vraag")
    client.get(INBOX)
    with django_assert_num_queries(7) as one:
        assert case.reference in client.get(INBOX).text
    for n in range(29):
        ask(f"Vraag {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(INBOX).text.count("<tr>") == 26  # a page of 25 and the header


def test_case_page_query_count_does_not_grow_with_messages(
    medewerker, django_assert_max_num_queries
):
    case, _ = ask()
    client = client_for(medewerker)
    client.get(reverse("steunen:case", args=[case.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("steunen:case", args=[case.pk]))
    for n in range(10):
        actions.send_answer(case=case, by=medewerker, body=f"antwoord {n}")
        actions.add_note(case=case, by=medewerker, body=f"notitie {n}")
        actions.log_time(
            case=case, by=medewerker, minutes=5, activity="email", on=timezone.localdate()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("steunen:case", args=[case.pk]))


def test_week_filter_shows_questions_waiting_longer_than_a_week(medewerker):
    old, _ = ask()
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=9))
    ask()
    assert references(client_for(medewerker).get(INBOX, {"wachttijd": "week"})) == [old.reference]


def test_status_filter_all_includes_closed(medewerker):
    case, _ = ask()
    actions.close(case=case, by=medewerker, outcome="informatie")
    assert references(client_for(medewerker).get(INBOX, {"status": "alle"})) == [case.reference]
    assert Case.objects.get().status == Status.AFGEROND


def row_of(response, case) -> str:
    page = response.text
    start = page.index(f">{case.reference}</a>")
    return page[start : page.index("</tr>", start)]


def test_a_row_shows_every_change_at_once(medewerker, time_machine):
    time_machine.move_to("2026-11-16 09:00", tick=False)
    aanmelden = Thema.objects.get(slug="aanmelden")
    case, _ = ask(themes=[aanmelden])
    client = client_for(medewerker)
    row = row_of(client.get(INBOX), case)
    assert aanmelden.name in row and "nog niemand" in row and "Spoed" not in row

    actions.assign(case=case, by=medewerker, assignee=medewerker)
    assert medewerker.get_full_name() in row_of(client.get(INBOX), case)
    actions.set_urgent(case=case, by=medewerker, urgent=True)
    assert "Spoed" in row_of(client.get(INBOX), case)
    other = Thema.objects.exclude(pk=aanmelden.pk).first()
    actions.set_themes(case=case, by=medewerker, themes=[other])
    row = row_of(client.get(INBOX), case)
    assert other.name in row and aanmelden.name not in row
    other.name = "Een nieuwe naam"
    other.save()
    assert "Een nieuwe naam" in row_of(client.get(INBOX), case)
    actions.change_status(case=case, by=medewerker, status=Status.WACHT_OP_VRAGER)
    assert "Wacht op vrager" in row_of(client.get(INBOX), case)
    actions.reply_as_asker(case=case, body="Nog een vraag")
    assert "Nieuwe reactie" in row_of(client.get(INBOX), case)
    # Time alone changes a row too: the promised answer gets late.
    time_machine.move_to("2026-12-01 09:00", tick=False)
    assert "Antwoord te laat" in row_of(client_for(medewerker).get(INBOX), case)


def test_the_filters_follow_the_team_and_the_themes(medewerker, coordinator):
    client = client_for(medewerker)
    assert "Nieuwe collega" not in client.get(INBOX).text
    coordinator.first_name, coordinator.last_name = "Nieuwe", "collega"
    coordinator.save()
    Thema.objects.create(slug="nieuw-thema", name="Een nieuw thema", position=99)
    page = client.get(INBOX, {"thema": "nieuw-thema"}).text
    assert "Nieuwe collega" in page
    assert '<option value="nieuw-thema" selected>Een nieuw thema</option>' in page


def test_a_row_names_its_themes_in_the_themes_own_order(medewerker):
    first, second = Thema.objects.order_by("position", "name")[:2]
    case, _ = ask(themes=[second, first])
    client = client_for(medewerker)
    assert f"<td>{first.name}, {second.name}</td>" in row_of(client.get(INBOX), case)
    first.position = second.position + 1
    first.save()
    assert f"<td>{second.name}, {first.name}</td>" in row_of(client.get(INBOX), case)


def test_with_the_shared_cache_away_the_inbox_reads_the_database_each_time(medewerker):
    from django.test import override_settings

    from tests.steunpunt.test_layout import REDIS_AWAY

    case, _ = ask("Een vraag")
    client = client_for(medewerker)
    with override_settings(CACHES=REDIS_AWAY):
        assert "Spoed" not in row_of(client.get(INBOX), case)
        Case.objects.filter(pk=case.pk).update(urgent=True)  # moves no generation
        assert "Spoed" in row_of(client.get(INBOX), case)


def test_a_theme_this_process_does_not_know_yet_never_breaks_the_inbox(medewerker):
    case, _ = ask("Een vraag", themes=[Thema.objects.get(slug="aanmelden")])
    client = client_for(medewerker)
    assert client.get(INBOX).status_code == 200
    # As if another server made the theme a moment ago: this process has not
    # seen the content generation move yet (bulk_create sends no signal).
    (new,) = Thema.objects.bulk_create([Thema(slug="net-nieuw", name="Net nieuw", position=1)])
    case.themes.add(new)
    row = row_of(client.get(INBOX), case)
    assert "Aanmelden en toelating" in row
