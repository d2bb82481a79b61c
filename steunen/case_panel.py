"""The destructive actions of the staff case page, each confirmed by its form.

The case page (templates/steunen/case_detail.html) groups every action in one
panel and sets apart what cannot simply be taken back: closing the question,
merging it into another (a confirm page of its own, steunen/staff.py
``case_merge``) and removing the asker's personal data. Closing and removing
ask for a tick "Ja, ik weet het zeker" that the form checks, so the
confirmation works without JavaScript; a form sent without it comes back with
a Dutch error at the tick and what was chosen still filled in.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from steunen.staff_forms import CloseForm, StaffForm


class ConfirmedCloseForm(CloseForm):
    """Close the question, with an outcome and a tick that staff are sure."""

    confirm = forms.BooleanField(
        label=_("Ja, ik weet het zeker: rond deze vraag af"),
        error_messages={
            "required": _(
                "Vink aan dat u het zeker weet. Dan wordt de vraag afgerond. "
                "De uitkomst die u koos, blijft staan."
            )
        },
    )


class EraseForm(StaffForm):
    """Remove the asker's personal data on their own request (by phone, at the door).

    Without a prefix: the tick is called ``confirm``, as it always was.
    """

    confirm = forms.BooleanField(
        label=_("Ja, ik weet het zeker: de vrager heeft zelf gevraagd alles te verwijderen"),
        error_messages={
            "required": _(
                "Vink aan dat de vrager dit zelf heeft gevraagd. Zonder dat vinkje "
                "verwijderen we niets."
            )
        },
    )
