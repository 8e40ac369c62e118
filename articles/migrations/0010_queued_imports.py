"""Imports can run on the task queue: a batch can be `queued`, its pieces' bytes kept as queued pieces until a
worker records them; batches carry a claim (a token and when it lapses) that one worker at a time holds, how many
workers took the import, and why the last attempt stopped.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="QueuedPiece",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(help_text="The piece's place in the import, from 0.")),
                ("origin", models.CharField(max_length=1000)),
                ("raw", models.BinaryField(help_text="The bytes exactly as they arrived.")),
                ("raw_sha256", models.CharField(max_length=64)),
                (
                    "error",
                    models.TextField(blank=True, help_text="Why the piece could not be read when it was queued."),
                ),
            ],
            options={
                "ordering": ["batch", "position"],
            },
        ),
        migrations.AddField(
            model_name="importbatch",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, help_text="Workers that took this queued import."),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="claim_token",
            field=models.UUIDField(blank=True, editable=False, help_text="The holder's proof of its claim.", null=True),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="claimed_until",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When the claim lapses unless its holder renews it.", null=True
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="error",
            field=models.TextField(blank=True, help_text="Why the last attempt at this queued import stopped."),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("finished", "Finished"),
                    ("interrupted", "Interrupted"),
                ],
                default="running",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="importbatch",
            index=models.Index(condition=models.Q(("status", "queued")), fields=["status"], name="importbatch_queued"),
        ),
        migrations.AddField(
            model_name="queuedpiece",
            name="batch",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="queued_pieces",
                to="articles.importbatch",
            ),
        ),
        migrations.AddConstraint(
            model_name="queuedpiece",
            constraint=models.UniqueConstraint(fields=("batch", "position"), name="queuedpiece_position_unique"),
        ),
    ]
