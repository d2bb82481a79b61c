"""What a Wijziging holds for each kind of public text, and how it becomes public.

A kind says which values a change carries (``data``, plain JSON), how the
public row looks as such values (``values_of``), which of them a reader must
be able to read at B1 (``readability_texts``), how they are shown in the
history (``describe``) and how they are written to the public row once the
change is published (``apply``). Only ``apply`` writes public rows, and only
``actions.publish_change`` calls it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from informeren.models import (
    Begrip,
    Checklist,
    ChecklistItem,
    Ervaring,
    Organisatie,
    OrganisatieSoort,
    Topic,
    Verteller,
    Werkgebied,
    WijzigingSoort,
)

# What a change proposes: the new values of one public row, field by field, as
# Wijziging.data (JSON) keeps them.
ChangeData = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    fields: dict[str, Any]  # name: label, in the order shown
    values_of: Callable[[Any], ChangeData]
    apply: Callable[[Any, ChangeData], models.Model]
    readability_texts: Callable[[ChangeData], dict[str, str]]
    label_of: Callable[[ChangeData], str]
    # The fields the national hub owns for an item that came from its feed: with a
    # hub configured they change here only with a regionale afwijking. The rest
    # (an organisation's local contact details, where it works) stays the region's.
    national_fields: tuple[str, ...] = ()


def _unique_slug(model: type[models.Model], text: str, limit: int) -> str:
    base = slugify(text)[:limit] or "item"
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Begrip ---------------------------------------------------------------------------

BEGRIP_FIELDS = {
    "term": _("begrip"),
    "explanation": _("uitleg"),
    "also_matches": _("andere vormen"),
}


def _begrip_values(begrip: Begrip) -> ChangeData:
    return {name: getattr(begrip, name) for name in BEGRIP_FIELDS}


def _begrip_apply(begrip: Begrip | None, data: ChangeData) -> Begrip:
    if begrip is None:
        # The slug is the anchor other pages link to: made once, kept after.
        begrip = Begrip(slug=_unique_slug(Begrip, data["term"], 100))
    for name in BEGRIP_FIELDS:
        setattr(begrip, name, data[name])
    begrip.save()
    return begrip


# --- Organisatie ----------------------------------------------------------------------

ORGANISATIE_FIELDS = {
    "name": _("naam"),
    "soort": _("soort"),
    "national": _("landelijk"),
    "summary": _("wat doen zij?"),
    "when_to_go": _("wanneer ga je erheen?"),
    "for_whom": _("voor wie?"),
    "address": _("adres"),
    "opening_hours": _("openingstijden"),
    "website": _("website"),
    "phone": _("telefoon"),
    "email": _("e-mail"),
    "gemeenten": _("werkt in de gemeenten"),
}


# A national organisation's local office: the region's to keep up to date.
ORGANISATIE_REGIONAL_FIELDS = ("address", "opening_hours", "phone", "email", "gemeenten")


def _organisatie_values(organisatie: Organisatie) -> ChangeData:
    values = {
        name: getattr(organisatie, name) for name in ORGANISATIE_FIELDS if name != "gemeenten"
    }
    values["gemeenten"] = (
        sorted(organisatie.werkgebied.values_list("gemeente", flat=True)) if organisatie.pk else []
    )
    return values


def _organisatie_apply(organisatie: Organisatie | None, data: ChangeData) -> Organisatie:
    organisatie = organisatie or Organisatie()
    for name in ORGANISATIE_FIELDS:
        if name != "gemeenten":
            setattr(organisatie, name, data[name])
    organisatie.save()
    chosen = [] if data["national"] else data.get("gemeenten", [])
    organisatie.werkgebied.exclude(gemeente__in=chosen).delete()
    have = set(organisatie.werkgebied.values_list("gemeente", flat=True))
    Werkgebied.objects.bulk_create(
        Werkgebied(organisatie=organisatie, gemeente=g) for g in chosen if g not in have
    )
    return organisatie


# --- Checklist ------------------------------------------------------------------------

CHECKLIST_FIELDS = {"title": _("titel"), "intro": _("inleiding"), "items": _("punten")}


def _checklist_values(checklist: Checklist) -> ChangeData:
    items = (
        [{"text": i.text, "topic": i.topic_id} for i in checklist.items.all()]
        if checklist.pk
        else []
    )
    return {"title": checklist.title, "intro": checklist.intro, "items": items}


def _checklist_apply(checklist: Checklist | None, data: ChangeData) -> Checklist:
    if checklist is None:
        checklist = Checklist(
            slug=_unique_slug(Checklist, data["title"], 40),
            position=Checklist.objects.count(),
        )
    checklist.title = data["title"]
    checklist.intro = data["intro"]
    checklist.save()
    existing = set(
        Topic.objects.filter(pk__in=[i["topic"] for i in data["items"]]).values_list(
            "pk", flat=True
        )
    )
    # Visitors keep their ticks by item number (static/js/steunpunt.js): the
    # items there are changed in place, position by position, and only the
    # difference is added or removed.
    kept = list(checklist.items.order_by("position", "pk")) if checklist.pk else []
    for number, item in enumerate(data["items"]):
        values = {
            "text": item["text"],
            "topic_id": item["topic"] if item["topic"] in existing else None,
            "position": number,
        }
        if number < len(kept):
            row = kept[number]
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.save(update_fields=list(values))
        else:
            ChecklistItem.objects.create(checklist=checklist, **values)
    ChecklistItem.objects.filter(pk__in=[row.pk for row in kept[len(data["items"]) :]]).delete()
    return checklist


def _checklist_texts(data: ChangeData) -> dict[str, str]:
    # Items are short lines; each counts as a sentence of its own.
    items = "\n\n".join(f"{item['text'].rstrip('.?!')}." for item in data.get("items", []))
    return {str(_("inleiding")): data.get("intro", ""), str(_("punten")): items}


# --- Ervaring -------------------------------------------------------------------------

ERVARING_FIELDS = {
    "title": _("titel"),
    "teller": _("wie vertelt?"),
    "text": _("het verhaal"),
    "topics": _("bij de pagina's"),
    "fictional": _("verzonnen voorbeeld"),
}


def _ervaring_values(ervaring: Ervaring) -> ChangeData:
    return {
        "title": ervaring.title,
        "teller": ervaring.teller,
        "text": ervaring.text,
        "topics": sorted(ervaring.topics.values_list("pk", flat=True)) if ervaring.pk else [],
        "fictional": ervaring.fictional,
    }


def _ervaring_apply(ervaring: Ervaring | None, data: ChangeData) -> Ervaring:
    from django.utils import timezone

    ervaring = ervaring or Ervaring()
    ervaring.title = data["title"]
    ervaring.teller = data["teller"]
    ervaring.text = data["text"]
    ervaring.fictional = data["fictional"]
    if not ervaring.published:
        ervaring.published = True
        ervaring.published_at = timezone.now()
        ervaring.withdrawn_at = None  # published again, after a second person approved it
    ervaring.save()
    ervaring.topics.set(Topic.objects.filter(pk__in=data["topics"]))
    return ervaring


KINDS: dict[str, Kind] = {
    WijzigingSoort.BEGRIP: Kind(
        model=Begrip,
        fields=BEGRIP_FIELDS,
        values_of=_begrip_values,
        apply=_begrip_apply,
        readability_texts=lambda data: {str(_("uitleg")): data.get("explanation", "")},
        label_of=lambda data: data["term"],
        national_fields=tuple(BEGRIP_FIELDS),
    ),
    WijzigingSoort.ORGANISATIE: Kind(
        model=Organisatie,
        fields=ORGANISATIE_FIELDS,
        values_of=_organisatie_values,
        apply=_organisatie_apply,
        readability_texts=lambda data: {
            str(_("wat doen zij?")): data.get("summary", ""),
            str(_("wanneer ga je erheen?")): data.get("when_to_go", ""),
        },
        label_of=lambda data: data["name"],
        national_fields=tuple(
            name for name in ORGANISATIE_FIELDS if name not in ORGANISATIE_REGIONAL_FIELDS
        ),
    ),
    WijzigingSoort.CHECKLIST: Kind(
        model=Checklist,
        fields=CHECKLIST_FIELDS,
        values_of=_checklist_values,
        apply=_checklist_apply,
        readability_texts=_checklist_texts,
        label_of=lambda data: data["title"],
        national_fields=tuple(CHECKLIST_FIELDS),
    ),
    WijzigingSoort.ERVARING: Kind(
        model=Ervaring,
        fields=ERVARING_FIELDS,
        values_of=_ervaring_values,
        apply=_ervaring_apply,
        readability_texts=lambda data: {str(_("het verhaal")): data.get("text", "")},
        label_of=lambda data: data["title"],
    ),
}


def name_taken(kind: str, data: ChangeData, target_id: int | None) -> str:
    """Why the change cannot be public under its name (a Dutch message), or "".

    A glossary term and an organisation are known by their name: two open
    changes may propose the same one, and only the first can be published.
    """
    taken: models.QuerySet[Begrip] | models.QuerySet[Organisatie]
    if kind == WijzigingSoort.BEGRIP:
        taken = Begrip.objects.filter(term__iexact=data["term"].strip())
        message = _(
            "Er staat al een begrip met deze naam op de website: %(name)s. "
            "Pas de naam aan, of wijzig het begrip dat er al staat."
        )
    elif kind == WijzigingSoort.ORGANISATIE:
        taken = Organisatie.objects.filter(name__iexact=data["name"].strip())
        message = _(
            "Er staat al een organisatie met deze naam op de website: %(name)s. "
            "Pas de naam aan, of wijzig de organisatie die er al staat."
        )
    else:
        return ""
    if target_id is not None:
        taken = taken.exclude(pk=target_id)
    if taken.exists():
        return str(message) % {"name": KINDS[kind].label_of(data)}
    return ""


def shown(kind: str, name: str, value: Any) -> str:
    """One value as the history shows it."""
    if name == "items":
        titles = dict(Topic.objects.values_list("pk", "title"))
        return "\n".join(
            f"- {item['text']}" + (f" ({titles[item['topic']]})" if item["topic"] in titles else "")
            for item in value
        )
    if name == "topics":
        return ", ".join(Topic.objects.filter(pk__in=value).values_list("title", flat=True))
    if name == "gemeenten":
        return ", ".join(value) or str(_("de hele regio"))
    if name == "soort":
        return str(OrganisatieSoort(value).label) if value in OrganisatieSoort.values else value
    if name == "teller":
        return str(Verteller(value).label) if value in Verteller.values else value
    if isinstance(value, bool):
        return str(_("ja")) if value else str(_("nee"))
    return str(value or "")


def describe(kind: str, data: ChangeData, previous: ChangeData) -> list[tuple[str, str, str, bool]]:
    """(label, before, after, changed) for every field of a change."""
    rows = []
    for name, label in KINDS[kind].fields.items():
        before = shown(kind, name, previous[name]) if name in previous else ""
        after = shown(kind, name, data.get(name, ""))
        rows.append((str(label), before, after, before != after))
    return rows
