"""The add-and-drop pair of School.search_key was emptied before the first release."""

from django.db.migrations.loader import MigrationLoader


def test_the_emptied_search_key_pair_keeps_its_place_in_the_history():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for name in ("0008_school_search_key", "0009_drop_school_search_key"):
        assert loader.get_migration("informeren", name).operations == []
    later = loader.get_migration("informeren", "0010_revision_editors_and_publisher")
    assert ("informeren", "0009_drop_school_search_key") in later.dependencies
