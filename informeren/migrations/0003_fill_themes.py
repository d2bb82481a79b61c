"""The themes of the product design: every steunpunt starts with these."""

from django.db import migrations

THEMES = [
    ("schoolkeuze", "Een school kiezen", "Een school kiezen"),
    ("aanmelden", "Aanmelden en toelating", "Naar een nieuwe school"),
    ("ondersteuning", "Ondersteuning op school", "Hulp op school"),
    ("niet-goed", "Als het niet goed gaat op school", "Als het niet goed gaat"),
    ("meepraten", "Meepraten en medezeggenschap", "Meepraten over school"),
    ("rechten", "Rechten en plichten", "Wat mag wel en niet?"),
]


def fill_themes(apps, schema_editor):
    Thema = apps.get_model("informeren", "Thema")
    for position, (slug, name, youth_name) in enumerate(THEMES):
        Thema.objects.get_or_create(
            slug=slug, defaults={"name": name, "youth_name": youth_name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("informeren", "0002_thema")]

    operations = [migrations.RunPython(fill_themes, migrations.RunPython.noop)]
