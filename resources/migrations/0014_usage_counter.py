# The per-resource download counter becomes a figure derived from COUNTER usage events
# (usage app); the downloads it counted so far are kept as the "before COUNTER" baseline.

from django.db import migrations, models


def keep_old_downloads(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    Baseline = apps.get_model("usage", "Baseline")
    counted = Resource.objects.filter(download_count__gt=0).values_list("pk", "download_count")
    Baseline.objects.bulk_create(
        [Baseline(item_kind="resource", item_id=pk, downloads=n) for pk, n in counted.iterator()],
        batch_size=5000,
        ignore_conflicts=True,
    )


def forget_baseline(apps, schema_editor):
    apps.get_model("usage", "Baseline").objects.filter(item_kind="resource").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0013_partner_desk'),
        ("usage", "0001_usage_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="view_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="views"),
        ),
        migrations.RunPython(keep_old_downloads, forget_baseline),
    ]
