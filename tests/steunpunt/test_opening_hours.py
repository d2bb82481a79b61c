"""The opening hours at the foot of every page, in the reader's language."""

from django.test import Client

from steunpunt.cache import forget_kept


def footer(path: str) -> str:
    page = Client().get(path).content.decode()
    return page[page.index("<footer") :]


def test_a_dutch_page_gives_the_hours_in_dutch(db):
    assert "maandag tot en met vrijdag, 9.00 tot 17.00 uur" in footer("/begrippen/")


def test_an_english_and_a_polish_page_give_them_in_their_own_language(db):
    assert "Monday to Friday, 9.00 to 17.00" in footer("/en/begrippen/")
    assert "od poniedziałku do piątku, od 9.00 do 17.00" in footer("/pl/begrippen/")
    assert "maandag" not in footer("/en/begrippen/")


def test_other_hours_follow_the_settings(db, settings):
    settings.STEUNPUNT_OPEN_FROM, settings.STEUNPUNT_OPEN_UNTIL = "08:30", "16:00"
    forget_kept()  # the footer is kept made per process
    assert "Monday to Friday, 8.30 to 16.00" in footer("/en/begrippen/")


def test_hours_written_out_in_the_settings_are_shown_as_written(db, settings):
    settings.STEUNPUNT_HOURS = "dinsdag en donderdag, 10.00 tot 14.00 uur"
    forget_kept()
    assert "dinsdag en donderdag, 10.00 tot 14.00 uur" in footer("/en/begrippen/")
