"""Youths and children are whole audiences; parents, youths and children find their way in."""

import re

import pytest
from django.test import Client

from informeren.models import Checklist, ChecklistItem
from steunen.models import AskerType, Case
from tests.informeren.helpers import published_topic
from tests.steunen.helpers import code_data, form_data

pytestmark = pytest.mark.django_db

# "u" or "uw" as a word: what a page for a youth or a child never says.
POLITE = re.compile(r"\b(?:u|uw|U|Uw)\b")


def visible_text(html: str) -> str:
    """The words a reader sees: no tags, scripts, styles, attributes or comments."""
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def polite_words(html: str) -> list[str]:
    text = visible_text(html)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in POLITE.finditer(text)]


def youth_topic(slug="thuiszitten", **content):
    content.setdefault("title", "Als uw kind thuiszit")
    content.setdefault("summary", "Gaat uw kind niet naar school? Wacht niet.")
    content.setdefault("title_jongeren", "Als je niet naar school gaat")
    content.setdefault("summary_jongeren", "Het is niet jouw schuld, en er is hulp.")
    content.setdefault("national_jongeren", "Ga je al een tijd niet naar school? Vraag hulp.")
    return published_topic(slug, body="Uw kind zit thuis. Bel de school.", **content)


def test_a_youth_topic_page_speaks_to_the_youth_from_title_to_feedback(client):
    other = youth_topic("leerplicht", title="Leerplicht voor uw kind", title_jongeren="Leerplicht")
    parents_only = published_topic("aanmelden", title="Uw kind aanmelden")
    topic = youth_topic()
    topic.related.add(other, parents_only)
    page = client.get(f"/informatie/{topic.slug}/jongeren/").text
    assert "<h1>Als je niet naar school gaat</h1>" in page
    assert "Het is niet jouw schuld, en er is hulp." in page
    assert "Staat je vraag er niet bij?" in page
    assert 'href="/vraag/?voor=jongere"' in page
    assert 'href="/informatie/leerplicht/jongeren/"' in page  # "zie ook" for the same audience
    assert "Uw kind aanmelden" not in page  # not written for youths: not offered to them
    assert "Heb je iets aan deze uitleg?" in page
    assert "0800-0432" in page  # De Kindertelefoon
    assert polite_words(page) == []


def test_the_parent_page_stays_in_u_and_the_title_is_the_parents(client):
    topic = youth_topic()
    page = client.get(f"/informatie/{topic.slug}/").text
    assert "<h1>Als uw kind thuiszit</h1>" in page
    assert "Staat uw vraag er niet bij?" in page
    assert "Heeft deze informatie u geholpen?" in page


def test_a_missing_variant_shows_the_parents_page_whole_with_an_honest_note(client):
    topic = published_topic(title="Uw kind aanmelden", body="U meldt uw kind aan.")
    response = client.get(f"/informatie/{topic.slug}/jongeren/")
    assert response.status_code == 200
    page = response.text
    assert (
        "Deze tekst is nog niet voor jongeren geschreven. Hieronder staat de tekst voor ouders."
        in page
    )
    # The parents' page, whole: never a youth's paragraph between a parent's.
    assert "<h1>Uw kind aanmelden</h1>" in page
    assert "Staat uw vraag er niet bij?" in page
    child_page = client.get(f"/informatie/{topic.slug}/kinderen/").text
    assert "Deze tekst is nog niet voor kinderen geschreven." in child_page


def test_youth_feedback_comes_back_to_the_youth_page_in_je(client):
    topic = youth_topic()
    response = client.post(
        f"/informatie/{topic.slug}/reactie/", {"helpful": "ja", "voor": "jongeren"}
    )
    assert response["Location"] == f"/informatie/{topic.slug}/jongeren/?bedankt=1#reactie"
    page = client.get(response["Location"]).text
    assert "Dank je wel!" in page


def test_the_youth_entry_lists_the_topics_written_for_youths_in_their_words(client):
    youth_topic()
    published_topic("aanmelden", title="Uw kind aanmelden")
    page = client.get("/jongeren/").text
    assert 'href="/informatie/thuiszitten/jongeren/"' in page
    assert "Als je niet naar school gaat" in page
    assert "Uw kind aanmelden" not in page
    assert 'href="/vraag/?voor=jongere"' in page
    assert polite_words(page) == []


def test_the_children_entry_has_big_ways_to_read_and_to_ask(client):
    published_topic(
        "pesten",
        title="Als uw kind gepest wordt",
        title_kinderen="Gepest worden",
        summary_kinderen="Op school moet je je veilig voelen.",
        national_kinderen="Word je gepest? Vertel het.",
    )
    page = client.get("/kinderen/").text
    assert 'href="/informatie/pesten/kinderen/"' in page
    assert "Gepest worden" in page
    assert 'href="/vraag/kind/"' in page
    assert polite_words(page) == []


def test_a_child_asks_with_few_words_and_gets_a_receipt_in_je():
    child = Client()
    form = child.get("/vraag/kind/").text
    assert polite_words(form) == []
    for left_out in ('name="school"', 'name="gemeente"', 'name="themes"', 'name="phone"'):
        assert left_out not in form
    data = form_data(question="Ik word gepest in de pauze.", submission_token="kind-1")
    data.pop("asker_type")
    receipt = child.post("/vraag/kind/", data)
    assert receipt.status_code == 200
    case = Case.objects.get(submission_token="kind-1")
    assert case.asker_type == AskerType.KIND
    assert "Dit is je code" in receipt.text
    assert 'href="/vraag/terug/?voor=kind"' in receipt.text
    assert polite_words(receipt.text) == []


def test_a_child_form_without_a_question_says_what_to_do_in_je():
    child = Client()
    data = form_data(question="", submission_token="kind-2")
    page = child.post("/vraag/kind/", data).text
    assert "Schrijf je vraag op." in page
    assert not Case.objects.filter(submission_token="kind-2").exists()


def test_a_youth_goes_back_with_the_code_and_reads_the_conversation_in_je():
    youth = Client()
    data = form_data(
        asker_type="jongere", question="Mag ik zelf meepraten?", submission_token="jong-1"
    )
    receipt = youth.post("/vraag/?voor=jongere", data).text
    code = re.search(r'id="return-code"[^>]*>([^<]+)<', receipt).group(1).strip()
    back = youth.get("/vraag/terug/?voor=jongere").text
    assert "Vul de code in die je kreeg" in back
    assert polite_words(back) == []
    response = youth.post("/vraag/terug/?voor=jongere", code_data(code))
    assert response.status_code == 302
    conversation = youth.get(response["Location"]).text
    assert "Je gegevens" in conversation
    assert polite_words(conversation) == []


def test_the_menu_marks_the_current_section_and_has_mijn_vraag(client):
    youth_topic()
    topics = client.get("/informatie/thuiszitten/").text
    assert re.search(r'href="/informatie/"\s+aria-current="true"', topics)
    back = client.get("/vraag/terug/").text
    assert re.search(r'href="/vraag/terug/"\s+aria-current="page">Mijn vraag<', back)
    home = client.get("/").text
    assert re.search(r'href="/"\s+aria-current="page"', home)
    assert not re.search(r'href="/informatie/"\s+aria-current', home)
    assert 'href="/vraag/terug/"' in client.get("/informatie/").text  # footer and menu


def test_the_home_page_has_one_primary_action_a_search_box_and_ways_in(client):
    home = client.get("/").text
    assert re.search(r'class="button button--primary-action" href="/vraag/"', home)
    assert 'action="/zoeken/"' in home and 'type="search"' in home
    assert 'href="/jongeren/"' in home and 'href="/kinderen/"' in home
    assert '<meta name="description"' in home


def test_a_checklist_is_linked_from_the_topics_it_belongs_to(client):
    topic = published_topic()
    checklist = Checklist.objects.create(slug="mijn-school", title="Vragen voor de school")
    ChecklistItem.objects.create(checklist=checklist, text="Welke hulp is er?", topic=topic)
    page = client.get(f"/informatie/{topic.slug}/").text
    assert f'href="{checklist.get_absolute_url()}"' in page
    assert 'href="/checklists/"' in client.get("/informatie/").text


def test_a_topic_page_describes_itself_for_search_engines(client):
    topic = youth_topic()
    page = client.get(f"/informatie/{topic.slug}/jongeren/").text
    assert '<meta name="description" content="Het is niet jouw schuld, en er is hulp.">' in page


def test_the_information_index_shows_each_topic_once_most_read_first(client):
    from datetime import date

    from informeren.models import DailyReads, ReadKind, Thema

    pages = [published_topic(f"pagina-{n}", title=f"Pagina {n}") for n in range(5)]
    pages[4].themes.add(Thema.objects.get(slug="aanmelden"))  # in two themes
    for n, page in enumerate(pages[2:]):
        DailyReads.objects.create(
            kind=ReadKind.TOPIC, object_id=page.pk, day=date.today(), count=10 + n
        )
    index = client.get("/informatie/").text
    for page in pages:
        assert index.count(f'href="{page.get_absolute_url()}"') == 1
    most_read = index[index.index('id="veel-gelezen"') : index.index("</section>")]
    assert most_read.index("Pagina 4") < most_read.index("Pagina 3") < most_read.index("Pagina 2")
    assert "Pagina 0" not in most_read


def test_editors_see_per_topic_which_audiences_are_written(redacteur):
    from tests.conftest import client_for

    youth_topic()
    published_topic("aanmelden", title="Aanmelden")
    page = client_for(redacteur).get("/redactie/").text
    assert "Geschreven voor jongeren: 1 van 2 pagina" in page
    row = page[page.index(">Aanmelden<") :]
    row = row[: row.index("</tr>")]
    assert "nog niet:" in row and "jongeren, kinderen" in row
