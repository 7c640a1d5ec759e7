from django.db import migrations

# ts_rank of a query whose top is an OR (every search's reading, but one with a -word)
# depends only on its distinct words (PostgreSQL's calc_rank_or sorts them and drops the
# repeats, in every row it scores). A thesaurus-expanded search says each word many
# times: "gold women" is a query of 677 nodes and 45 distinct words. Ranked by the words
# alone, each row is scored against 45, not sorted from 677 again. A word that is also a
# prefix (the last word typed) is kept as the prefix, one of the two ts_rank kept before.
CREATE = """
CREATE OR REPLACE FUNCTION asmhub_rank_query(q tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(word, ' | ' ORDER BY word)::tsquery, q)
    FROM (
        SELECT m[1] || max(coalesce(m[2], '')) AS word
        FROM regexp_matches(q::text, '(''(?:[^'']|'''')*'')(:[*A-D]+)?', 'g') AS m
        GROUP BY m[1]
    ) words
$$;
"""
DROP = "DROP FUNCTION IF EXISTS asmhub_rank_query(tsquery);"


def create_rank_query(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_rank_query(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0018_offline_packs"),
    ]

    operations = [
        migrations.RunPython(create_rank_query, drop_rank_query),
    ]
