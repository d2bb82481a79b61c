"""The staff inbox's filter form: which filters exist and their choices.

What a filter means for the cases is CaseQuerySet.inbox_filtered; this module
only reads and validates what was asked for.
"""

from typing import Any

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from steunen.models import InboxFilters, Status, person_name, themes_in_order
from steunpunt.forms import field_of
from steunpunt.roles import Role, users_with_role

CASE_HANDLER_ROLES = (Role.MEDEWERKER, Role.COORDINATOR, Role.VRIJWILLIGER)


def case_handlers() -> list[tuple[str, str]]:
    """Everyone who may handle cases, as (pk, name): the choices of the inbox filter."""
    return [
        (str(pk), person_name(first_name, last_name, username))
        for pk, first_name, last_name, username in users_with_role(*CASE_HANDLER_ROLES).values_list(
            "pk", "first_name", "last_name", "username"
        )
    ]


class QuickSelect(forms.Select):
    """A plain select whose options are made in one go, not one template each.

    The inbox shows its filters on every view; Django's own Select renders each
    option through a template, a fifth of the inbox's time. Same HTML.
    """

    template_name = "steunen/widgets/school_select.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = "" if value is None else str(value[0] if isinstance(value, list) else value)
        context["widget"]["options"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return context


class InboxFilterForm(forms.Form):
    """Filters of the inbox. Unknown values are ignored, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle open vragen")), *Status.choices, ("alle", _("Alle vragen"))],
        widget=QuickSelect,
    )
    thema = forms.ChoiceField(label=_("Thema"), required=False, widget=QuickSelect)
    behandelaar = forms.ChoiceField(label=_("Behandelaar"), required=False, widget=QuickSelect)
    spoed = forms.BooleanField(label=_("Alleen spoed en thuiszitters"), required=False)
    wachttijd = forms.ChoiceField(
        label=_("Wachttijd"),
        required=False,
        widget=QuickSelect,
        choices=[
            ("", _("Alle")),
            ("te_laat", _("Antwoord te laat")),
            ("bijna", _("Antwoord bijna te laat")),
            ("week", _("Langer dan een week binnen")),
        ],
    )
    # Call-backs and the back office (steunen/terugbellen.py, steunen/backoffice.py).
    KINDS = [
        ("", "Alle"),
        ("terugbellen", "Terugbellen"),
        ("terugbellen_te_laat", "Terugbellen te laat"),
        ("advies_aan_mij", "Advies gevraagd aan mij"),
        ("coordinator", "Bij de coördinator"),
    ]
    BACKOFFICE_KINDS = ("advies_aan_mij", "coordinator")
    soort = forms.ChoiceField(
        label="Terugbellen en overleg", required=False, widget=QuickSelect, choices=KINDS
    )

    def __init__(self, *args: Any, backoffice: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not backoffice:
            # A buddy sees nothing of the back office: no filter on it either.
            field_of(self, "soort", forms.ChoiceField).choices = [
                (value, label) for value, label in self.KINDS if value not in self.BACKOFFICE_KINDS
            ]
        # Read once a view: the rows name their themes from it too (CaseQuerySet.inbox_rows).
        self.theme_rows = themes_in_order()
        self.themes = [(slug, name) for _pk, slug, name in self.theme_rows]
        self.staff = case_handlers()
        field_of(self, "thema", forms.ChoiceField).choices = [("", _("Alle thema's")), *self.themes]
        field_of(self, "behandelaar", forms.ChoiceField).choices = [
            ("", _("Iedereen")),
            ("ik", _("Ik")),
            ("niemand", _("Nog niemand")),
            *self.staff,
        ]

    def applied(self) -> InboxFilters:
        """The valid filters asked for; an invalid value is dropped, not reported."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return InboxFilters(
            status=data.get("status") or "",
            thema=data.get("thema") or "",
            behandelaar=data.get("behandelaar") or "",
            spoed=bool(data.get("spoed")),
            wachttijd=data.get("wachttijd") or "",
            soort=data.get("soort") or "",
        )
