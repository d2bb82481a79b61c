"""A GIN index on the stored search vector, on PostgreSQL only.

SQLite has no full-text index of this kind; search falls back to simple
matching there (see informeren/search.py).
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS informeren_topic_search_gin "
            "ON informeren_topic USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS informeren_topic_search_gin")


class Migration(migrations.Migration):
    dependencies = [("informeren", "0004_topics_and_glossary")]

    operations = [migrations.RunPython(create_index, drop_index)]
