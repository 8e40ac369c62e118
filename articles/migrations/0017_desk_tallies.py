from django.db import migrations, models

from articles.ingest.tally import batch_feed, count_records


def tally_past_imports(apps, schema_editor):
    """Count the imports made before the tallies existed, batch by batch, as a run's end would have."""
    ImportBatch, ImportRecord, ImportTally = (
        apps.get_model("articles", name) for name in ("ImportBatch", "ImportRecord", "ImportTally")
    )
    totals = {}
    batches = ImportBatch.objects.order_by("pk").values_list("pk", "feed_id", "options")
    for batch_id, feed_id, options in batches.iterator():
        records = ImportRecord.objects.filter(batch_id=batch_id).order_by("pk")
        rows = list(records.values_list("pk", "created_at", "outcome", "article__source_id", "warnings", "edits"))
        if not rows:
            continue
        for key, number in count_records((row[1:] for row in rows), batch_feed(feed_id, options)).items():
            totals[key] = totals.get(key, 0) + number
        ImportBatch.objects.filter(pk=batch_id).update(tallied_through=rows[-1][0])
    ImportTally.objects.bulk_create(
        ImportTally(day=day, source_pk=source_pk, feed_pk=feed_pk, measure=measure, count=number)
        for (day, source_pk, feed_pk, measure), number in totals.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_feeds"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="tallied_through",
            field=models.PositiveBigIntegerField(
                default=0,
                editable=False,
                help_text="The last import record of this batch counted in the import tallies.",
            ),
        ),
        migrations.CreateModel(
            name="ImportTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                (
                    "source_pk",
                    models.PositiveIntegerField(default=0, help_text="The source's id, 0 for pieces without one."),
                ),
                (
                    "feed_pk",
                    models.PositiveIntegerField(default=0, help_text="The feed's id, 0 for pieces from no feed."),
                ),
                ("measure", models.CharField(max_length=80)),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("day", "source_pk", "feed_pk", "measure"), name="importtally_key")
                ],
            },
        ),
        migrations.RunPython(tally_past_imports, migrations.RunPython.noop),
    ]
