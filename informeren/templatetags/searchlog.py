"""The question form's address after a search, carrying the query as it is counted."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from informeren.searchlog import normalise

register = template.Library()


@register.simple_tag
def ask_after_search_url(query: str) -> str:
    """/vraag/?na_zoeken=<query>, so a question sent from there counts as asked after it.

    A query that is not counted (an email address, a phone number, too long)
    is not carried either: then it is the plain /vraag/.
    """
    counted = normalise(query)
    url = reverse("steunen:ask")
    return f"{url}?{urlencode({'na_zoeken': counted})}" if counted else url
