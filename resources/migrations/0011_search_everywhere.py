"""Search on every database: the synonyms curators give a theme or commodity, and SQLite's
full-text index (resources/search/fts_index.py), created and filled from the published
resources on SQLite only (PostgreSQL has its own index table, 0002)."""

from django.db import migrations, models



def synonyms():
    return models.TextField(
        blank=True,
        help_text="Other words for this term, in any language: a search for them finds it.",
        verbose_name="synonyms",
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from resources.search import fts_index

    for sql in fts_index.TABLE_SQL:
        schema_editor.execute(sql)
    # An existing library is searchable at once (the code of today reads it: the rows are
    # the index's, not the schema's, and `manage.py reindex` rebuilds them any time).
    if apps.get_model("resources", "Resource").objects.filter(status="published").exists():
        fts_index.reindex()


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from resources.search import fts_index

    for sql in fts_index.DROP_SQL:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [('resources', '0010_resource_translations')]

    operations = [
        migrations.AddField(model_name="commodity", name="synonyms", field=synonyms()),
        migrations.AddField(model_name="theme", name="synonyms", field=synonyms()),
        migrations.RunPython(create, drop, elidable=False),
    ]
