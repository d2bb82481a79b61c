"""Name each existing revision's author among its editors.

Who else edited a revision before editors were recorded is not known; the
four-eyes check also compares with the author, so this only completes the
history.
"""

from django.db import migrations


def fill(apps, schema_editor):
    Revision = apps.get_model("informeren", "Revision")
    Through = Revision.editors.through
    Through.objects.bulk_create(
        [
            Through(revision_id=pk, user_id=author_id)
            for pk, author_id in Revision.objects.filter(author__isnull=False).values_list(
                "pk", "author_id"
            )
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("informeren", "0010_revision_editors_and_publisher")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
