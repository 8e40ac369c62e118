"""The published-articles index also holds the id, the lists' tie-break: a page of `-published_at, -id` reads the
index alone on PostgreSQL (an index-only scan), however deep, instead of visiting each skipped row."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_search_vector_kept_in_row"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="article_status_published",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "-published_at", "-id"], name="article_status_published"),
        ),
    ]
