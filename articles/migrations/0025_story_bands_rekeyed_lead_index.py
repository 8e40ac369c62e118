"""Compute every article's story band keys again, with the signatures of this release; index stories by lead.

Words are now split at white space with their surrounding punctuation dropped (not at every non-word character),
and a band's key mixes its rows arithmetically instead of hashing them with BLAKE2b (`articles/stories/signatures.py`):
both make signatures cheaper in the import, and both change the keys, so keys stored before would never meet the
keys of new articles. Stories, leads and editors' decisions stay as they are; only the band rows are replaced, a
chunk of articles at a time. (Regrouping the archive with the new keys is `rebuild_stories`' job, not needed here.)

The lead's index: see `Story.Meta`.
"""

from django.db import migrations, models

CHUNK = 1000


def rekey(apps, schema_editor):
    from articles.stories.signatures import band_keys

    Article, StoryBand = apps.get_model("articles", "Article"), apps.get_model("articles", "StoryBand")
    StoryBand.objects.all().delete()
    last = 0
    while chunk := list(Article.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "body")[:CHUNK]):
        StoryBand.objects.bulk_create(
            [StoryBand(key=key, article_id=pk) for pk, body in chunk for key in band_keys(body)], batch_size=CHUNK
        )
        last = chunk[-1][0]


class Migration(migrations.Migration):
    dependencies = [("articles", "0024_merge_take_down_story_desk_suggestions_quotes")]

    # Reversed, the keys stay as computed here: the earlier code would find no candidates among them until
    # `rebuild_stories` is run with it.
    operations = [
        migrations.AddIndex(model_name="story", index=models.Index(fields=["lead"], name="story_lead")),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
