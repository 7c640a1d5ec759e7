# The historical tables follow the updated_at field added beside history.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("learning_groups", "0003_merge_0002_history_0002_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicallearninggroup",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False, verbose_name="updated"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaloutlookreport",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False, verbose_name="updated"
            ),
            preserve_default=False,
        ),
    ]
