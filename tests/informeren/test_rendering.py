"""Markdown from editors is stored as written and shown harmless."""

import pytest

from informeren.rendering import link_glossary, readability, render_markdown
from tests.informeren.helpers import published_topic

ATTACKS = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<p onclick="alert(1)">tekst</p>',
    "<iframe src=https://evil.example></iframe>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_unsafe_markup_is_removed(attack):
    html = render_markdown(f"Tekst {attack} meer tekst")
    lowered = html.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered
    assert "javascript:" not in lowered
    assert "<iframe" not in lowered
    assert "data:" not in lowered


def test_allowed_markup_survives():
    html = render_markdown(
        "## Kopje\n\n- een\n- twee\n\n[link](https://example.nl)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '!!! doen "Wat kunt u doen?"\n    1. Bel de school\n'
    )
    assert "<h2>Kopje</h2>" in html
    assert "<li>een</li>" in html
    assert 'href="https://example.nl"' in html
    assert "<table>" in html
    assert '<div class="admonition doen">' in html
    assert "Wat kunt u doen?" in html


def test_h1_becomes_h2_so_the_page_keeps_one_title():
    assert "<h1>" not in render_markdown("# Groot")


@pytest.mark.django_db
def test_script_in_a_revision_is_stored_as_written_but_rendered_harmless(client):
    topic = published_topic(body='Hallo <script>alert("x")</script> daar')
    assert '<script>alert("x")</script>' in topic.published_revision.national_ouders
    page = client.get(f"/informatie/{topic.slug}/").text
    assert 'alert("x")' not in page


def test_glossary_links_skip_headings_and_existing_links():
    html = render_markdown("## OPP\n\n[OPP](https://x.nl) en dan het OPP.")
    linked = link_glossary(html, [("OPP", "/begrippen/#opp", "Plan")])
    assert "<h2>OPP</h2>" in linked
    assert linked.count('class="begrip"') == 1
    assert 'en dan het <a href="/begrippen/#opp" class="begrip" title="Plan">OPP</a>' in linked


def test_readability_scores_plain_text_higher_than_long_words_and_sentences():
    easy = readability("Uw kind gaat naar school. De school helpt. U praat mee.")
    hard = readability(
        "Samenwerkingsverbanden organiseren ondersteuningsvoorzieningen teneinde "
        "onderwijsbelemmeringen structureel te elimineren conform wettelijke verplichtingen "
        "betreffende passend onderwijs en aanverwante beleidsdoelstellingen."
    )
    assert easy.meets_b1 and not hard.meets_b1
    assert easy.score > hard.score


def test_readability_of_empty_text_says_so():
    assert readability("").score is None
    assert readability("").level == "geen tekst"
