"""A story (the copies of one piece, from every outlet that ran it), its LSH band rows, and the editors' queue of
articles that are possibly the same story as another."""

from django.conf import settings
from django.db import models


class Story(models.Model):
    """One story: every article belongs to exactly one. Its outlets are its articles' sources; `size`, `first_seen`
    and `last_seen` are kept in the row (written with the articles) so that lists never count or scan."""

    lead = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    lead_chosen = models.BooleanField(default=False, help_text="An editor chose the lead; imports keep it.")
    size = models.PositiveIntegerField(default=0, help_text="How many articles tell this story.")
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name_plural = "stories"
        # Deleting an article looks up the stories it leads; so does SQLite for each article an import inserts while
        # rows that point at it wait for it (deferred foreign keys): without this index, a scan of the table each.
        indexes = [models.Index(fields=["lead"], name="story_lead")]

    def __str__(self):
        return f"Story {self.pk}"


class StoryBand(models.Model):
    """One LSH band key of an article's MinHash signature: articles sharing a key are candidates to verify.

    Looked up by key only (`story_band_key`); deleted by article when its text changes."""

    key = models.BigIntegerField()
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["key"], name="story_band_key")]

    def __str__(self):
        return f"Band {self.key} of article {self.article_id}"


class StoryCandidate(models.Model):
    """An article that is possibly the same story as another (between the thresholds): an editor decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="story_candidates")
    match = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", help_text="The most similar article."
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="candidates")
    jaccard = models.FloatField()
    containment = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "possible story match"
        verbose_name_plural = "possibly the same story"
        constraints = [models.UniqueConstraint(fields=["article", "story"], name="story_candidate_unique")]
        indexes = [models.Index(fields=["status", "-created_at"], name="story_candidate_queue")]
        permissions = [("decide_storycandidate", "Can accept or reject possible story matches")]

    def __str__(self):
        return f"Article {self.article_id} possibly in story {self.story_id}"


class StoryPin(models.Model):
    """An article an editor placed in its story (a move, a split, a merge, an accepted or rejected match): imports
    never move it, and `rebuild_stories` keeps it in the story it is in."""

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="story_pin"
    )
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    pinned_at = models.DateTimeField()

    def __str__(self):
        return f"Article {self.article_id} kept in its story"
