"""SQLite: rebuild the FTS5 index with word positions (`detail=full`), so that a quoted phrase is a phrase.

Migration 0002 kept only which column a word is in (`detail=column`): `"solar farm"` could then only mean both
words anywhere. Positions cost about a quarter more index; the triggers of 0002 (and 0007) keep filling the new
table, which takes the old one's name. The index is repopulated from the article table. PostgreSQL's tsvector
already holds positions: nothing to do there.

Also the state of the unmanaged model through which a search joins the FTS5 table (`ArticleTextIndex`).
"""

import django.db.models.deletion
from django.db import migrations, models

import articles.search.sqlite


def fts5_table(detail: str) -> list[str]:
    return [
        "DROP TABLE IF EXISTS articles_article_fts",
        f"""
        CREATE VIRTUAL TABLE articles_article_fts USING fts5(
            title, summary, body,
            content='articles_article', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2',
            detail={detail}
        )
        """,
        "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
    ]


def rebuilt(detail: str):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in fts5_table(detail):
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_queued_imports")]

    operations = [
        migrations.RunPython(rebuilt("full"), rebuilt("column")),
        migrations.CreateModel(
            name="ArticleTextIndex",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts5_index",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", articles.search.sqlite.FTS5Document(db_column="articles_article_fts", editable=False)),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
    ]
