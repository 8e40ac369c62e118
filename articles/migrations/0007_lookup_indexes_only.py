"""Only the indexes lookups use: every index is written on every import, and the ones keyed by a hash or a slug are
written at random places, which is what made a long import slow down as the archive grew.

- The (source, slug) unique index now leads with the slug, so it also serves lookups by slug alone, and the slug's
  own index goes; the fingerprint's plain index goes too (lookups use its unique index: `fingerprint_in`).
- The history table keeps its indexes on the article id and the history date; the copies of the article's other
  indexes go. The import record's raw-bytes hash loses its index (nothing looks it up).

The plain indexes are dropped by name as the database reports them rather than by altering the fields: Django's
field alteration drops every index on the column, on PostgreSQL the partial unique indexes on the fingerprint and on
a slug without source included. SQLite changes a unique constraint by rebuilding the table, and the rebuild drops the
table's triggers: the full-text index's triggers (migration 0002) are put back after it, in either direction.
"""

from django.db import migrations, models

# The full-text index's triggers as migration 0002 created them, written out here so that this migration stays what
# it was whatever later migrations make of the index.
FULL_TEXT_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_update AFTER UPDATE OF title, summary, body ON articles_article
    BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO articles_article_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
]


# (model, column) whose plain, single-column index goes.
UNUSED_INDEXES = [
    ("article", "fingerprint"),
    ("article", "slug"),
    ("historicalarticle", "slug"),
    ("historicalarticle", "created_at"),
    ("historicalarticle", "source_id"),
    ("historicalarticle", "duplicate_of_id"),
    ("importrecord", "raw_sha256"),
]
TEXT_COLUMNS = {"fingerprint", "slug", "raw_sha256"}


def drop_unused_indexes(apps, schema_editor):
    """Drop the non-unique indexes on exactly the listed columns (on PostgreSQL also their `LIKE` twins)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for model_name, column in UNUSED_INDEXES:
            table = apps.get_model("articles", model_name)._meta.db_table
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                plain = info["index"] and not info["unique"] and not info["primary_key"]
                if plain and info["columns"] == [column]:
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_unused_indexes(apps, schema_editor):
    """Put the indexes back (under names of their own), with PostgreSQL's `LIKE` twins for the text columns."""
    quote = schema_editor.quote_name
    for model_name, column in UNUSED_INDEXES:
        table = apps.get_model("articles", model_name)._meta.db_table
        schema_editor.execute(f"CREATE INDEX {quote(f'{table}_{column}_idx')} ON {quote(table)} ({quote(column)})")
        if schema_editor.connection.vendor == "postgresql" and column in TEXT_COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX {quote(f'{table}_{column}_like')} ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
            )


def restore_full_text_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FULL_TEXT_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_published_index_covers_id"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_full_text_triggers),  # after a reverse rebuild
        migrations.RemoveConstraint(
            model_name="article",
            name="article_slug_unique_per_source",
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_unused_indexes, create_unused_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="fingerprint",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="slug",
                    field=models.SlugField(db_index=False, max_length=200),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="created_at",
                    field=models.DateTimeField(blank=True, editable=False),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="duplicate_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.DO_NOTHING,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="slug",
                    field=models.SlugField(db_index=False, max_length=200),
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.DO_NOTHING,
                        related_name="+",
                        to="articles.source",
                    ),
                ),
                migrations.AlterField(
                    model_name="importrecord",
                    name="raw_sha256",
                    field=models.CharField(max_length=64),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(fields=("slug", "source"), name="article_slug_unique_per_source"),
        ),
        migrations.RunPython(restore_full_text_triggers, migrations.RunPython.noop),
    ]
