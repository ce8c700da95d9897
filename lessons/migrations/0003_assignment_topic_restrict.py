"""Assignment.topic: RESTRICT instead of PROTECT, so deleting a teacher (their classrooms,
assignments and topics go together) no longer fails with ProtectedError. No SQL changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lessons", "0002_turn_text_search_indexes")]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="assignments",
                to="lessons.topic",
            ),
        ),
    ]
