"""Reference data every steunpunt starts with: the themes and the kinds of support.

Created by data migrations (0003, 0007) and ensured again after every
migrate or flush (the test suite's browser tests flush the database), so a
deployment never runs without them. Editors may add more; nothing here
removes or renames what exists.
"""

from django.utils.translation import gettext_noop as _

# Stored in Dutch; marked for the catalogues, so that Thema.label shows them in
# the page's language (a name an editor changes is shown as the editor wrote it).
THEMES = [
    ("schoolkeuze", _("Een school kiezen"), _("Een school kiezen")),
    ("aanmelden", _("Aanmelden en toelating"), _("Naar een nieuwe school")),
    ("ondersteuning", _("Ondersteuning op school"), _("Hulp op school")),
    ("niet-goed", _("Als het niet goed gaat op school"), _("Als het niet goed gaat")),
    ("meepraten", _("Meepraten en medezeggenschap"), _("Meepraten over school")),
    ("rechten", _("Rechten en plichten"), _("Wat mag wel en niet?")),
]

SUPPORT_KINDS = [
    ("dyslexie", "Dyslexie"),
    ("dyscalculie", "Dyscalculie"),
    ("autisme", "Autisme"),
    ("adhd", "ADHD en concentratie"),
    ("gedrag", "Gedrag"),
    ("hoogbegaafdheid", "Hoogbegaafdheid"),
    ("medische-zorg", "Medische zorg"),
    ("kleine-groepen", "Les in kleine groepen"),
    ("taal-spraak", "Taal en spraak"),
    ("zien-horen", "Slechtziend of slechthorend"),
    ("lichamelijk", "Lichamelijke beperking"),
    ("faalangst", "Faalangst en angst"),
]


def ensure_reference_data() -> None:
    from informeren.models import Ondersteuningsvorm, Thema

    for position, (slug, name, youth_name) in enumerate(THEMES):
        Thema.objects.get_or_create(
            slug=slug, defaults={"name": name, "youth_name": youth_name, "position": position}
        )
    for position, (slug, name) in enumerate(SUPPORT_KINDS):
        Ondersteuningsvorm.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
