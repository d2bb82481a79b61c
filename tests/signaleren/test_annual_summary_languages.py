"""The annual summary read in another language: the frozen Dutch tables say they are Dutch,
so a screen reader reads them with a Dutch voice (WCAG 3.1.2, language of parts)."""

import re

import pytest
from django.test import Client

from signaleren import actions
from tests.signaleren.test_annual_summary import url, year_report  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_in_english_the_dutch_table_words_are_marked_dutch(year_report, coordinator):  # noqa: F811
    actions.publish_summary(report=year_report, by=coordinator)
    page = Client().get("/en" + url()).text
    headings = re.findall(r'<h2 id="tabel-[^"]+"([^>]*)>', page)
    assert headings and all(' lang="nl"' in attrs for attrs in headings)
    assert '<th scope="row" lang="nl">' in page


def test_in_dutch_nothing_is_marked_apart(year_report, coordinator):  # noqa: F811
    actions.publish_summary(report=year_report, by=coordinator)
    page = Client().get(url()).text
    assert 'lang="nl">' not in page.split("<body", 1)[1]
