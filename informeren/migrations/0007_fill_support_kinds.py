"""The kinds of support a school profile can list; editors may add more."""

from django.db import migrations

KINDS = [
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


def fill(apps, schema_editor):
    Ondersteuningsvorm = apps.get_model("informeren", "Ondersteuningsvorm")
    for position, (slug, name) in enumerate(KINDS):
        Ondersteuningsvorm.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("informeren", "0006_regional_offer")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
