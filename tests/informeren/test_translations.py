"""Topic texts in other languages: translations of a validated Dutch revision.

An editor translates the published Dutch text, a second person approves it,
and the page under the language's prefix shows it with the date of the Dutch
text it follows. A newer Dutch text makes it outdated: still shown, with a
note and a link to the Dutch text. A topic without a translation shows the
Dutch text whole, marked Dutch, with a note in the reader's language.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from informeren import actions
from informeren.models import RevisionStatus, Translation
from steunpunt.cache import forget_kept
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db

ENGLISH = {
    "title": "Duty of care: the school looks for a suitable place",
    "summary": "Does your child need extra support? Then the school looks for a suitable place.",
    "national_ouders": "Does your child need extra support? Then the school must find a place.",
}


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.COUNT_READS = False
    forget_kept()


@pytest.fixture
def translator(db):
    return UserFactory(first_name="Tom", last_name="Vertaler", roles=[Role.REDACTEUR])


@pytest.fixture
def checker(db):
    return UserFactory(first_name="Esra", last_name="Meelezer", roles=[Role.VALIDATOR])


def article(page: str) -> str:
    return page[page.index('<article class="topic">') : page.index("</article>")]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def new_dutch_text(topic, **changes) -> None:
    author = UserFactory(roles=[Role.REDACTEUR])
    validator = UserFactory(roles=[Role.VALIDATOR])
    revision = draft(topic, author, **changes)
    revision.submit(by=author)
    revision.approve(by=validator)
    actions.publish(revision=revision, by=validator)


def translate_through_the_screens(topic, translator, checker, language="en", **texts):
    """The whole way through the editor's pages: start, write, submit, approve, publish."""
    writer = client_for(translator)
    started = writer.post(reverse("informeren:translation_start", args=[topic.pk, language]))
    translation = Translation.objects.get(topic=topic, language=language, status="concept")
    assert started["Location"] == reverse("informeren:translation_edit", args=[translation.pk])
    saved = writer.post(started["Location"], ENGLISH | texts)
    assert saved.status_code == 302, saved.context["form"].errors
    writer.post(reverse("informeren:translation_submit", args=[translation.pk]))
    reviewer = client_for(checker)
    reviewer.post(reverse("informeren:translation_approve", args=[translation.pk]))
    reviewer.post(reverse("informeren:translation_publish", args=[translation.pk]))
    translation.refresh_from_db()
    assert translation.status == RevisionStatus.GEPUBLICEERD
    return translation


def test_an_editor_translates_a_second_approves_and_it_shows_under_en(translator, checker):
    topic = published_topic(title="Zorgplicht", body="De school zoekt een passende plek.")
    translation = translate_through_the_screens(topic, translator, checker)
    assert translation.source_id == topic.published_revision_id
    assert translation.author == translator and translation.reviewer == checker

    page = Client().get("/en/informatie/zorgplicht/")
    assert page.status_code == 200
    text = article(page.text)
    assert "<h1>Duty of care: the school looks for a suitable place</h1>" in text
    assert "the school must find a place" in text
    date = timezone.localtime(topic.published_revision.published_at)
    assert f"Translation of the Dutch text of {date:%b}. {date.day}, {date.year}." in _text(text)
    assert 'lang="nl"' not in text.split("Bronnen")[0].split("Sources")[0]
    assert "passende plek" not in text
    assert "The Dutch text has changed" not in text
    assert "<title>Duty of care" in page.text
    # The Dutch page is as it was.
    dutch = Client().get("/informatie/zorgplicht/").text
    assert "<h1>Zorgplicht</h1>" in dutch and "Duty of care" not in dutch
    assert "Vertaling van de Nederlandse tekst" not in dutch


def test_the_author_cannot_approve_their_own_translation(checker):
    both = UserFactory(
        first_name="Noor", last_name="Dubbel", roles=[Role.REDACTEUR, Role.VALIDATOR]
    )
    topic = published_topic()
    writer = client_for(both)
    writer.post(reverse("informeren:translation_start", args=[topic.pk, "en"]))
    translation = Translation.objects.get(topic=topic)
    writer.post(reverse("informeren:translation_edit", args=[translation.pk]), ENGLISH)
    writer.post(reverse("informeren:translation_submit", args=[translation.pk]))
    refused = writer.post(
        reverse("informeren:translation_approve", args=[translation.pk]), follow=True
    )
    assert "U heeft aan deze versie meegeschreven" in refused.text
    translation.refresh_from_db()
    assert translation.status == RevisionStatus.TER_BEOORDELING and translation.reviewer is None
    # The page offers them no approve button, and another validator may approve.
    detail = writer.get(reverse("informeren:translation", args=[translation.pk])).text
    assert reverse("informeren:translation_approve", args=[translation.pk]) not in detail
    assert "Een andere validator moet hem beoordelen" in detail
    client_for(checker).post(reverse("informeren:translation_approve", args=[translation.pk]))
    translation.refresh_from_db()
    assert translation.status == RevisionStatus.GOEDGEKEURD and translation.reviewer == checker
    # Nor may a redacteur without the validator role approve, nor publish what is not approved.
    assert "Duty of care" not in Client().get("/en/informatie/zorgplicht/").text


def test_a_new_dutch_text_marks_the_translation_outdated(translator, checker):
    topic = published_topic(title="Zorgplicht", body="De school zoekt een passende plek.")
    translation = translate_through_the_screens(topic, translator, checker)
    assert Client().get("/en/informatie/zorgplicht/").status_code == 200  # cached now

    new_dutch_text(topic, national_ouders="De school zoekt binnen zes weken een plek.")

    text = article(Client().get("/en/informatie/zorgplicht/").text)
    assert "the school must find a place" in text  # still shown
    note = re.search(r'<p class="note topic__outdated" role="note">(.*?)</p>', text, re.S)
    assert note, text
    assert "The Dutch text has changed since" in _text(note[1])
    assert '<a href="/informatie/zorgplicht/" hreflang="nl">' in note[1]
    translation.refresh_from_db()
    assert translation.is_outdated

    # The editors' overview says so, and "vertaling maken" starts from the last translation.
    overview = client_for(translator).get(reverse("informeren:redactie")).text
    row = re.search(r"<tr>\s*<th scope=\"row\"><a[^>]*>Zorgplicht</a>.*?</tr>", overview, re.S)
    assert "EN</abbr>&nbsp;verouderd" in row[0] and "AR</abbr>&nbsp;ontbreekt" in row[0]
    admin = client_for(translator).get(reverse("informeren:topic_admin", args=[topic.pk])).text
    assert "vertaling maken" in admin
    writer = client_for(translator)
    started = writer.post(reverse("informeren:translation_start", args=[topic.pk, "en"]))
    form_page = writer.get(started["Location"]).text
    assert "the school must find a place" in form_page  # prefilled
    assert "binnen zes weken" in form_page  # the new Dutch text beside it
    second = Translation.objects.get(topic=topic, language="en", status="concept")
    assert second.based_on == translation
    assert second.source_id == type(topic).objects.get(pk=topic.pk).published_revision_id

    # Once the new translation is published, the page is up to date again.
    writer.post(started["Location"], ENGLISH | {"national_ouders": "Within six weeks."})
    writer.post(reverse("informeren:translation_submit", args=[second.pk]))
    client_for(checker).post(reverse("informeren:translation_approve", args=[second.pk]))
    client_for(checker).post(reverse("informeren:translation_publish", args=[second.pk]))
    text = article(Client().get("/en/informatie/zorgplicht/").text)
    assert "Within six weeks." in text and "topic__outdated" not in text
    translation.refresh_from_db()
    assert translation.status == RevisionStatus.VERVANGEN
    overview = client_for(translator).get(reverse("informeren:redactie")).text
    assert "EN</abbr>&nbsp;actueel" in overview


def test_a_topic_without_arabic_translation_shows_the_dutch_text_marked_dutch(translator, checker):
    topic = published_topic(title="Zorgplicht", body="De school zoekt een passende plek.")
    translate_through_the_screens(topic, translator, checker, language="en")
    text = article(Client().get("/ar/informatie/zorgplicht/").text)
    assert '<h1 lang="nl" dir="ltr">Zorgplicht</h1>' in text
    assert re.search(r'<div class="prose" lang="nl" dir="ltr">\s*<p>De school zoekt', text)
    assert "هذا النص غير متوفر بلغتك بعد" in text
    assert "Duty of care" not in text and "topic__translation" not in text


def test_a_youth_text_not_translated_shows_the_dutch_youth_text(translator, checker):
    topic = published_topic(
        title="Zorgplicht",
        national_jongeren="Jij krijgt een plek die past.",
        title_jongeren="Zorgplicht voor jou",
    )
    translate_through_the_screens(topic, translator, checker)
    youth = article(Client().get("/en/informatie/zorgplicht/jongeren/").text)
    assert '<h1 lang="nl" dir="ltr">Zorgplicht voor jou</h1>' in youth
    assert "Jij krijgt een plek" in youth and "Duty of care" not in youth
    parents = article(Client().get("/en/informatie/zorgplicht/").text)
    assert "Duty of care" in parents


def test_a_half_translated_audience_is_refused_and_keeps_what_was_typed(translator):
    topic = published_topic(
        national_jongeren="Jij krijgt een plek.", title_jongeren="Zorgplicht voor jou"
    )
    writer = client_for(translator)
    started = writer.post(reverse("informeren:translation_start", args=[topic.pk, "tr"]))
    answer = writer.post(
        started["Location"], ENGLISH | {"national_jongeren": "Sana uygun bir okul."}
    )
    assert answer.status_code == 200
    assert "Vertaal ook dit deel" in answer.text
    assert "Sana uygun bir okul." in answer.text
    assert 'lang="tr"' in answer.text
    # Nothing typed in an empty form: the parents' text is required, and said so.
    empty = writer.post(started["Location"], {})
    assert "De tekst voor ouders is verplicht." in empty.text


def test_the_translated_page_lists_related_pages_by_their_translated_titles(translator, checker):
    topic = published_topic(title="Zorgplicht")
    other = published_topic("aanmelden", title="Aanmelden")
    third = published_topic("thuiszitten", title="Thuiszitten")
    topic.related.add(other, third)
    translate_through_the_screens(other, translator, checker, title="Registering at a school")
    text = article(Client().get("/en/informatie/zorgplicht/").text)
    assert '<a href="/en/informatie/aanmelden/">Registering at a school</a>' in text
    assert '<a href="/en/informatie/thuiszitten/" lang="nl" dir="ltr">Thuiszitten</a>' in text


def _queries(url: str) -> int:
    forget_kept()
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_dutch_page_costs_no_extra_query_and_another_language_one_at_most(
    translator, checker, django_assert_num_queries
):
    topic = published_topic(title="Zorgplicht")
    dutch_before = _queries("/informatie/zorgplicht/")
    translate_through_the_screens(topic, translator, checker)
    assert _queries("/informatie/zorgplicht/") == dutch_before
    assert _queries("/en/informatie/zorgplicht/") <= dutch_before + 1
    assert _queries("/ar/informatie/zorgplicht/") <= dutch_before + 1
    # With the caches warm: no query at all, in any language.
    for url in ("/informatie/zorgplicht/", "/en/informatie/zorgplicht/"):
        Client().get(url)
        with django_assert_num_queries(0):
            Client().get(url)


def test_three_visitors_in_three_languages_read_the_page_with_the_caches_warm(translator, checker):
    topic = published_topic(title="Zorgplicht", body="De school zoekt een passende plek.")
    translate_through_the_screens(topic, translator, checker)
    for url in (
        "/informatie/zorgplicht/",
        "/en/informatie/zorgplicht/",
        "/ar/informatie/zorgplicht/",
    ):
        Client().get(url)  # warm
    dutch, english, arabic = Client(), Client(), Client()
    for _ in range(2):
        nl_page = dutch.get("/informatie/zorgplicht/")
        en_page = english.get("/en/informatie/zorgplicht/")
        ar_page = arabic.get("/ar/informatie/zorgplicht/")
        assert '<html lang="nl"' in nl_page.text and "<h1>Zorgplicht</h1>" in nl_page.text
        assert "Duty of care" not in nl_page.text
        assert '<html lang="en"' in en_page.text and "Duty of care" in en_page.text
        assert "passende plek" not in article(en_page.text)
        assert '<html lang="ar" dir="rtl">' in ar_page.text
        assert '<h1 lang="nl" dir="ltr">Zorgplicht</h1>' in ar_page.text
        assert "Duty of care" not in ar_page.text
        for page in (nl_page, en_page, ar_page):
            assert "csrfmiddlewaretoken" not in page.text
            assert "public" in page["Cache-Control"]


def test_the_reference_themes_are_named_in_the_page_language():
    topic = published_topic(title="Zorgplicht")
    dutch_form = Client().get("/vraag/").text
    assert "Rechten en plichten" in dutch_form
    english_form = Client().get("/en/vraag/").text
    assert "Rights and duties" in english_form and "Rechten en plichten" not in english_form
    youth_form = Client().get("/tr/vraag/?voor=jongere").text
    assert "Neye izin var, neye yok?" in youth_form
    index = Client().get("/pl/informatie/").text
    assert "Prawa i obowiązki" in index
    page = Client().get(f"/uk{topic.get_absolute_url()}").text
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Права та обов'язки" in crumbs or "Права та обов&#x27;язки" in crumbs


def test_the_information_index_lists_translated_titles_and_marks_the_dutch_ones(
    translator, checker
):
    topic = published_topic(title="Zorgplicht")
    published_topic("thuiszitten", title="Thuiszitten")
    translate_through_the_screens(topic, translator, checker)
    english = Client().get("/en/informatie/").text
    assert '<li><a href="/en/informatie/zorgplicht/">Duty of care' in english
    assert (
        '<li lang="nl" dir="ltr"><a href="/en/informatie/thuiszitten/">Thuiszitten</a>' in english
    )
    dutch = Client().get("/informatie/").text
    assert '<li><a href="/informatie/zorgplicht/">Zorgplicht</a>' in dutch
    assert 'lang="nl" dir="ltr"><a' not in dutch


def test_the_youth_entry_lists_translated_youth_titles_and_marks_the_dutch_ones(
    translator, checker
):
    topic = published_topic(
        title="Zorgplicht",
        national_jongeren="Jij krijgt een plek.",
        title_jongeren="Zorgplicht voor jou",
    )
    published_topic(
        "thuiszitten",
        title="Thuiszitten",
        national_jongeren="Je zit thuis.",
        title_jongeren="Als je thuis zit",
    )
    translate_through_the_screens(
        topic, translator, checker,
        title_jongeren="Duty of care for you", summary_jongeren="A place for you.",
        national_jongeren="You get a place.",
    )  # fmt: skip
    english = Client().get("/en/jongeren/").text
    assert '<li><a href="/en/informatie/zorgplicht/jongeren/">Duty of care for you</a>' in english
    assert (
        '<li lang="nl" dir="ltr"><a href="/en/informatie/thuiszitten/jongeren/">Als je thuis zit'
        in english
    )
    dutch = Client().get("/jongeren/").text
    assert "Zorgplicht voor jou" in dutch and 'lang="nl" dir="ltr"><a' not in dutch
