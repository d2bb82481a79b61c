"""Searches are counted per month without identifying anyone, and editors see only common ones."""

import threading
import time
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from informeren import searchlog
from informeren.models import SearchCount
from steunen.models import Case, Message
from tests.conftest import client_for
from tests.informeren.helpers import published_topic
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"


@pytest.fixture(autouse=True)
def _no_counts_of_other_tests(monkeypatch):
    # Searches of other tests wait in this process's memory: not counted here.
    with searchlog._pending_lock:
        searchlog._pending.clear()
    monkeypatch.setattr(searchlog, "_flushed_at", time.monotonic())


def counts() -> dict[str, tuple[int, int, int]]:
    """What is in the database once this process has written its counts."""
    searchlog.flush_searches()
    return {
        row.query: (row.searches, row.without_result, row.asked_after)
        for row in SearchCount.objects.all()
    }


# --- What is stored ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "counted"),
    [
        ("Thuiszitten", "thuiszitten"),
        ("  mijn zoon   ZIT al weken thuis ", "mijn zoon zit al weken thuis"),
        ("Moet ik tekenen voor het OPP?", "moet ik tekenen voor het opp"),
        ("van groep 8 naar de brugklas", "van groep 8 naar de brugklas"),
        ("zo'n rugzakje", "zo'n rugzakje"),
        ("'s-Hertogenbosch", "s-hertogenbosch"),
    ],
)
def test_a_query_is_counted_in_lowercase_with_whitespace_collapsed(typed, counted):
    assert searchlog.normalise(typed) == counted


@pytest.mark.parametrize(
    "typed",
    [
        "ouder@voorbeeld.nl",
        "mail naar j.jansen @ school",
        "0612345678",
        "bel mij op 06 12 34 56 78",
        "+31 6 1234 5678",
        "1234 AB kerkstraat",
        "geboren 12-03-2015",
        "www.voorbeeld.nl/pagina",
        "https://voorbeeld.nl",
        "een vraag van meer dan zes woorden lang",
        "a" * 101,
        "<script>",
        "x",
        "",
        "   ",
    ],
)
def test_an_address_a_number_a_long_or_odd_query_is_not_stored_at_all(typed):
    assert searchlog.normalise(typed) is None
    searchlog.record_search(typed, found=0)
    searchlog.record_asked_after_search(typed)
    assert not searchlog._pending
    assert counts() == {}


def test_a_search_waits_in_memory_and_is_written_at_most_every_few_seconds(monkeypatch):
    searchlog.record_search("thuiszitten", found=3)
    searchlog.record_search("thuiszitten", found=3)
    assert not SearchCount.objects.exists()  # no write per search
    monkeypatch.setattr(searchlog, "_flushed_at", searchlog._flushed_at - 11)
    searchlog.record_search("rugzakje", found=0)  # the first search after ten seconds writes
    assert {r.query: r.searches for r in SearchCount.objects.all()} == {
        "thuiszitten": 2,
        "rugzakje": 1,
    }
    assert not searchlog._pending


def test_a_search_is_counted_per_month_and_nothing_of_the_visitor(client, settings):
    published_topic(body="Thuiszitten: als uw kind niet naar school gaat.")
    with time_machine.travel("2026-11-17 14:03"):
        response = client.get(
            SEARCH,
            {"q": "Thuiszitten"},
            REMOTE_ADDR="192.0.2.7",
            HTTP_USER_AGENT="Telefoon van Jan",
        )
        client.get(SEARCH, {"q": "thuiszitten "})
        client.get(SEARCH, {"q": "xyzzy"})
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no session for it
    assert counts() == {"thuiszitten": (2, 0, 0), "xyzzy": (1, 1, 0)}
    # The month, the query and three numbers: no time, address, agent or session.
    assert {f.name for f in SearchCount._meta.get_fields()} == {
        "id", "month", "query", "searches", "without_result", "asked_after",
    }  # fmt: skip
    assert set(SearchCount.objects.values_list("month", flat=True)) == {date(2026, 11, 1)}


def test_the_search_page_without_a_query_counts_nothing(client):
    client.get(SEARCH)
    client.get(SEARCH, {"q": "   "})
    assert counts() == {}


def test_a_search_is_counted_once_not_for_every_page_of_results(client):
    for n in range(11):
        published_topic(f"zorgplicht-{n}", title=f"Zorgplicht {n}", body="Over de zorgplicht.")
    first = client.get(SEARCH, {"q": "zorgplicht"})
    assert first.context["results"].pages == 2
    client.get(SEARCH, {"q": "zorgplicht", "pagina": "2"})
    assert counts() == {"zorgplicht": (1, 0, 0)}


def test_a_query_with_an_email_address_or_phone_number_is_not_stored(client):
    client.get(SEARCH, {"q": "ouder@voorbeeld.nl"})
    client.get(SEARCH, {"q": "06-12345678"})
    assert counts() == {}


@pytest.mark.django_db(transaction=True)
def test_processes_writing_at_the_same_moment_lose_no_count():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: no race to test")
    start = threading.Barrier(8)
    month = searchlog.this_month()

    def process() -> None:  # each with its own connection, as a worker has
        start.wait()
        for _ in range(5):
            searchlog.write_counts([(month, "leerlingenvervoer", 2, 1, 0)])
        connection.close()

    threads = [threading.Thread(target=process) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts() == {"leerlingenvervoer": (80, 40, 0)}


# --- Asked anyway --------------------------------------------------------------------


def test_a_question_sent_after_a_search_is_counted_for_that_query_and_not_kept(client):
    query = "busje naar speciale school"
    page = client.get(SEARCH, {"q": query}).text
    ask_url = f"{reverse('steunen:ask')}?na_zoeken=busje+naar+speciale+school"
    assert f'href="{ask_url}"' in page
    form = client.get(ask_url).text
    assert 'name="na_zoeken" value="busje naar speciale school"' in form
    response = client.post(reverse("steunen:ask"), form_data(na_zoeken=query))
    assert response.status_code == 200 and "code" in response.context
    assert counts() == {query: (1, 1, 1)}
    # The case holds nothing of the search.
    case = Case.objects.get()
    stored = [str(value) for value in Case.objects.values().get().values()]
    stored += [
        str(value) for m in Message.objects.filter(case=case).values() for value in m.values()
    ]
    assert not any("busje" in value for value in stored)


def test_results_that_do_not_answer_lead_to_the_question_form_and_count_it(client):
    published_topic(
        "leerlingenvervoer", title="Leerlingenvervoer", body="Met het busje naar school."
    )
    page = client.get(SEARCH, {"q": "busje"}).text
    assert "Leerlingenvervoer" in page
    assert "Staat uw antwoord er niet bij?" in page
    ask_url = f"{reverse('steunen:ask')}?na_zoeken=busje"
    assert f'href="{ask_url}"' in page
    assert 'name="na_zoeken" value="busje"' in client.get(ask_url).text
    client.post(reverse("steunen:ask"), form_data(na_zoeken="busje"))
    assert counts() == {"busje": (1, 0, 1)}  # found something, and asked anyway


def test_a_question_without_a_search_counts_nothing(client):
    client.get(SEARCH, {"q": "rugzakje"})
    client.post(reverse("steunen:ask"), form_data())
    assert counts() == {"rugzakje": (1, 1, 0)}


def test_a_question_after_a_query_nobody_searched_is_never_listed(client, settings):
    settings.REPORT_SUPPRESSION_THRESHOLD = 1
    client.post(reverse("steunen:ask"), form_data(na_zoeken="iets wat niemand zocht"))
    assert Case.objects.count() == 1
    assert counts() == {"iets wat niemand zocht": (0, 0, 1)}
    report = searchlog.month_report(searchlog.this_month())
    assert not report.asked_anyway and not report.found_nothing


def test_a_link_with_an_address_carries_nothing_into_the_form(client):
    form = client.get(reverse("steunen:ask"), {"na_zoeken": "ouder@voorbeeld.nl"}).text
    assert "ouder@voorbeeld.nl" not in form
    assert 'name="na_zoeken"' in form


def test_a_search_with_an_address_links_to_the_plain_question_form(client):
    page = client.get(SEARCH, {"q": "ouder@voorbeeld.nl"}).text
    assert f'href="{reverse("steunen:ask")}"' in page
    assert "na_zoeken" not in page


# --- What editors see ----------------------------------------------------------------


def _count(query: str, searches: int, without_result: int = 0, asked_after: int = 0, **kw):
    return SearchCount.objects.create(
        month=kw.get("month", searchlog.this_month()),
        query=query,
        searches=searches,
        without_result=without_result,
        asked_after=asked_after,
    )


def test_editors_see_only_queries_searched_often_enough(settings):
    settings.REPORT_SUPPRESSION_THRESHOLD = 10
    _count("rugzakje", 25, without_result=25)
    _count("busje naar school", 12, without_result=12, asked_after=3)
    _count("thuiszitten", 40, asked_after=11)
    _count("mijn zoon jan de vries", 2, without_result=2, asked_after=1)  # one family's words
    report = searchlog.month_report(searchlog.this_month())
    assert [
        (q.query, q.searches.display, q.without_result.display) for q in report.found_nothing
    ] == [
        ("rugzakje", "25", "25"),
        ("busje naar school", "12", "12"),
    ]
    assert [(q.query, q.asked_after.display) for q in report.asked_anyway] == [
        ("thuiszitten", "11"),
        ("busje naar school", "< 10"),
    ]
    assert report.searches.display == "79"
    assert report.asked_after.display == "15"


def test_the_editors_page_leaves_rare_queries_out(settings, redacteur, validator):
    settings.REPORT_SUPPRESSION_THRESHOLD = 10
    _count("rugzakje", 14, without_result=14)
    _count("mijn zoon jan de vries", 9, without_result=9, asked_after=1)
    for user in (redacteur, validator):
        page = client_for(user).get(reverse("informeren:search_queries")).text
        assert "rugzakje" in page
        assert "jan de vries" not in page
        assert "&lt; 10" in page  # the one question after a search


def test_the_editors_page_shows_another_month_when_asked(redacteur):
    _count("rugzakje", 14, without_result=14, month=date(2026, 10, 1))
    _count("thuiszitten", 14, without_result=14, month=date(2026, 11, 1))
    with time_machine.travel("2026-11-20"):
        editor = client_for(redacteur)
        november = editor.get(reverse("informeren:search_queries")).text
        october = editor.get(reverse("informeren:search_queries"), {"maand": "2026-10"}).text
        unknown = editor.get(reverse("informeren:search_queries"), {"maand": "1999-99"}).text
    assert "thuiszitten" in november and "rugzakje" not in november
    assert "rugzakje" in october and "thuiszitten" not in october
    assert "thuiszitten" in unknown  # an unknown month: the newest


@pytest.mark.parametrize("role", ["outsider", "bestuur", "medewerker"])
def test_only_editors_see_the_searches(request, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("informeren:search_queries"))
    assert response.status_code == 403


def test_the_search_page_of_editors_is_linked_from_the_dashboard(validator):
    page = client_for(validator).get(reverse("informeren:redactie")).text
    assert reverse("informeren:search_queries") in page


# --- Retention -----------------------------------------------------------------------


def test_counts_older_than_thirteen_months_are_deleted():
    for month in (date(2025, 10, 1), date(2025, 11, 1), date(2026, 11, 1)):
        _count("thuiszitten", 12, month=month)
    with time_machine.travel("2026-11-03"):
        assert searchlog.forget_old_search_counts.call() == 1
    assert set(SearchCount.objects.values_list("month", flat=True)) == {
        date(2025, 11, 1),
        date(2026, 11, 1),
    }


def test_the_scheduler_runs_the_retention_of_search_counts():
    from crontask import scheduler

    import informeren.tasks  # noqa: F401

    assert "forget_old_search_counts" in {job.name for job in scheduler.get_jobs()}
