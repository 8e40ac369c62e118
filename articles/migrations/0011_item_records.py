"""Items of documents as pieces: an import record keeps how to read its raw bytes again (the document's format and
the item's context) and why it failed (a kind, for the failures inbox), and links to the record it retries; an
item an export holds that is not an article is `ignored`; a batch names the document it was split from; an article
keeps its own address at its source."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_index_with_positions"),
    ]

    operations = [
        # Added in place: on SQLite, Django's own AddField would rebuild the table (a column with a default), which
        # drops the full-text index's triggers. The column's database default only fills the rows already there.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="article",
                    name="link",
                    field=models.CharField(
                        blank=True, help_text="The piece's own address at its source.", max_length=1000
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE articles_article ADD COLUMN link varchar(1000) NOT NULL DEFAULT ''",
                    "ALTER TABLE articles_article DROP COLUMN link",
                ),
            ],
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="link",
            field=models.CharField(blank=True, help_text="The piece's own address at its source.", max_length=1000),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="origin",
            field=models.CharField(
                blank=True,
                help_text="The document the pieces were split from (a feed's URL, a file's path), when they came as one.",
                max_length=1000,
            ),
        ),
        migrations.AddField(
            model_name="importrecord",
            name="failure_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("unreadable", "Could not be read"),
                    ("too_large", "Over the size limit"),
                    ("encoding", "Undecodable text"),
                    ("not_a_feed", "Not a feed or piece"),
                    ("bad_item", "Unreadable item"),
                    ("no_body", "No body text"),
                    ("too_long", "Field too long"),
                    ("database", "Refused by the database"),
                    ("other", "Other"),
                ],
                help_text="The kind of reason a failed piece failed.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="importrecord",
            name="raw_context",
            field=models.JSONField(
                blank=True, default=dict, help_text="What an item needs from its document to be read again alone."
            ),
        ),
        migrations.AddField(
            model_name="importrecord",
            name="raw_format",
            field=models.CharField(
                default="text",
                help_text="How the raw bytes are read: 'text', or the format of the document they are an item of (rss, atom, jsonl...).",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="importrecord",
            name="retry_of",
            field=models.ForeignKey(
                blank=True,
                help_text="The record whose raw bytes this one was imported again from (a retry or a re-derivation).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="retries",
                to="articles.importrecord",
            ),
        ),
        migrations.AlterField(
            model_name="importrecord",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("updated", "Updated"),
                    ("unchanged", "Unchanged"),
                    ("duplicate", "Duplicate"),
                    ("conflict", "Conflict"),
                    ("failed", "Failed"),
                    ("ignored", "Ignored (not an article)"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
    ]
