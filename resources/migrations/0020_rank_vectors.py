from django.db import migrations

# The ranking vectors (meta_vector) again, in a narrow table of their own where each is
# kept in its row (STORAGE MAIN): the relevance window's scores read up to 10,000 of them
# a statement. In the index table they are kept out of line (TOAST), so the heap its
# facets and newest orders scan stays narrow (migration 0002), and each one read there
# costs a probe of the TOAST index and a read of its chunk besides its row: at 100,000
# resources the scores of a window of 10,000 took 98-115 ms that way, 58-63 ms from this
# table (docs/performance.md). Triggers on the index table keep it equal to it, whatever
# writes the index (indexing.py, a TRUNCATE of a reindex or a seeding, a deletion); the
# transition tables make each statement's rows one INSERT, UPDATE or DELETE here.
CREATE = """
CREATE TABLE resources_rankvector (
    resource_id bigint PRIMARY KEY,
    meta_vector tsvector NOT NULL
);
ALTER TABLE resources_rankvector ALTER COLUMN meta_vector SET STORAGE MAIN;
CREATE FUNCTION asmhub_rank_vectors_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO resources_rankvector (resource_id, meta_vector)
    SELECT resource_id, meta_vector FROM written
    ON CONFLICT (resource_id) DO UPDATE SET meta_vector = EXCLUDED.meta_vector;
    RETURN NULL;
END $$;
CREATE FUNCTION asmhub_rank_vectors_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM resources_rankvector v USING deleted d WHERE v.resource_id = d.resource_id;
    RETURN NULL;
END $$;
CREATE FUNCTION asmhub_rank_vectors_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE resources_rankvector;
    RETURN NULL;
END $$;
CREATE TRIGGER rank_vectors_inserted AFTER INSERT ON resources_resourcesearch
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION asmhub_rank_vectors_written();
CREATE TRIGGER rank_vectors_updated AFTER UPDATE ON resources_resourcesearch
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION asmhub_rank_vectors_written();
CREATE TRIGGER rank_vectors_deleted AFTER DELETE ON resources_resourcesearch
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION asmhub_rank_vectors_deleted();
CREATE TRIGGER rank_vectors_emptied AFTER TRUNCATE ON resources_resourcesearch
    FOR EACH STATEMENT EXECUTE FUNCTION asmhub_rank_vectors_emptied();
INSERT INTO resources_rankvector (resource_id, meta_vector)
SELECT resource_id, meta_vector FROM resources_resourcesearch;
"""
DROP = """
DROP TRIGGER IF EXISTS rank_vectors_inserted ON resources_resourcesearch;
DROP TRIGGER IF EXISTS rank_vectors_updated ON resources_resourcesearch;
DROP TRIGGER IF EXISTS rank_vectors_deleted ON resources_resourcesearch;
DROP TRIGGER IF EXISTS rank_vectors_emptied ON resources_resourcesearch;
DROP FUNCTION IF EXISTS asmhub_rank_vectors_written();
DROP FUNCTION IF EXISTS asmhub_rank_vectors_deleted();
DROP FUNCTION IF EXISTS asmhub_rank_vectors_emptied();
DROP TABLE IF EXISTS resources_rankvector;
"""


def create_rank_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_rank_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0019_rank_query"),
    ]

    operations = [
        migrations.RunPython(create_rank_vectors, drop_rank_vectors),
    ]
