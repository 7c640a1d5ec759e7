"""Create the Partners and Curators groups with their permissions on a fresh install."""

from django.db import migrations


def create_roles(apps, schema_editor):
    # The live models are meant here: sync_roles also runs after every migrate, and
    # groups and permissions are stable auth tables.
    from resources.curation.roles import sync_roles

    sync_roles()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("resources", "0002_curation"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
