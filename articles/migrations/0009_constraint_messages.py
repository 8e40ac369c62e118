"""The identity constraints say what is wrong in words, on the field to change: each carries a message and a code
(no change to the database). One constraint is new: an article without a source keeps its identity at the source
(`external_id`) to itself, as one with a source does; its partial unique index holds only such articles.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_import_batch_status"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source__isnull", True), models.Q(("external_id", ""), _negated=True)),
                fields=("external_id",),
                name="article_external_id_unique_without_source",
                violation_error_code="external_id_taken",
                violation_error_message="Another article without a source already has this identity (URL or GUID).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_slug_unique_without_source",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source__isnull", True)),
                fields=("slug",),
                name="article_slug_unique_without_source",
                violation_error_code="slug_taken",
                violation_error_message="Another article without a source already uses this web address (slug); change the slug.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_fingerprint_unique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("fingerprint", ""), _negated=True),
                fields=("fingerprint",),
                name="article_fingerprint_unique",
                violation_error_code="duplicate_text",
                violation_error_message="Another article already has exactly this text. Mark this one as its duplicate instead.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_external_id_unique_per_source",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("source", "external_id"),
                name="article_external_id_unique_per_source",
                violation_error_code="external_id_taken",
                violation_error_message="Another article from this source already has this identity (URL or GUID).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_slug_unique_per_source",
            constraint=models.UniqueConstraint(
                fields=("slug", "source"),
                name="article_slug_unique_per_source",
                violation_error_code="slug_taken",
                violation_error_message="Another article from this source already uses this web address (slug); change the slug.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="topic",
            name="topic_iptc_code_unique_when_set",
            constraint=models.UniqueConstraint(
                condition=models.Q(("iptc_code", ""), _negated=True),
                fields=("iptc_code",),
                name="topic_iptc_code_unique_when_set",
                violation_error_code="unique",
                violation_error_message="Another topic has this IPTC code.",
            ),
        ),
    ]
