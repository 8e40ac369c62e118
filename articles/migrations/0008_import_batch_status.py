"""Import batches say whether their run is running, finished or interrupted, and carry what tells a dead run: the
host and process id it ran as, and a heartbeat brought up to date after every stored transaction.

Batches already here with an end time are finished. Those without one were left by runs that stopped without
marking them (the importer could not do so before this change): they are interrupted, with the counts of the import
records they stored, and their last record's time as their end.
"""

from django.db import migrations, models
from django.db.models import Count, Max

OUTCOMES = ["created", "updated", "unchanged", "duplicate", "conflict", "failed"]


def mark_existing(apps, schema_editor):
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportRecord = apps.get_model("articles", "ImportRecord")
    ImportBatch.objects.exclude(finished_at=None).update(status="finished")
    for batch in ImportBatch.objects.filter(finished_at=None):
        records = ImportRecord.objects.filter(batch=batch).order_by()
        found = dict(records.values_list("outcome").annotate(pieces=Count("pk")).values_list("outcome", "pieces"))
        batch.counts = {outcome: found.get(outcome, 0) for outcome in OUTCOMES}
        batch.finished_at = records.aggregate(last=Max("created_at"))["last"] or batch.started_at
        batch.heartbeat_at = batch.finished_at
        batch.status = "interrupted"
        batch.save(update_fields=["counts", "finished_at", "heartbeat_at", "status"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_lookup_indexes_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, help_text="When the run last stored pieces.", null=True),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="host",
            field=models.CharField(blank=True, help_text="The machine the run started on.", max_length=255),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="pid",
            field=models.PositiveIntegerField(blank=True, help_text="The run's process id on that machine.", null=True),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[("running", "Running"), ("finished", "Finished"), ("interrupted", "Interrupted")],
                default="running",
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="importbatch",
            index=models.Index(
                condition=models.Q(("status", "running")), fields=["status"], name="importbatch_running"
            ),
        ),
    ]
