"""What the reader of pieces finds in an article: its quotations with their speakers, and the people,
organisations and places it names, offered to editors as tags (`tasks.read_articles` writes both)."""

from django.conf import settings
from django.db import models


class QuoteQuerySet(models.QuerySet):
    def by_speaker(self, name: str):
        """Return the quotes whose speaker's name contains `name`, ignoring case."""
        return self.filter(speaker__icontains=" ".join(name.split()))


class Quote(models.Model):
    """A direct quotation in an article and who said it ("" when the piece does not say); `position` keeps the
    order the article gives them."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    speaker = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [models.UniqueConstraint(fields=["article", "position"], name="quote_position_unique")]

    def __str__(self):
        return f"{self.speaker or 'Unattributed'}: {self.text[:60]}"


class EntitySuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=EntitySuggestion.Status.PENDING)


class EntitySuggestion(models.Model):
    """A person, organisation or place an article names, suggested as a tag until an editor accepts (the article
    gets the tag) or rejects it; the decision, by whom and when, is kept, and a later reading of the article
    never suggests a rejected name again."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        PLACE = "place", "Place"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="entity_suggestions")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mentions = models.PositiveSmallIntegerField(default=1, help_text="How often the article names it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntitySuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-mentions", "name"]
        constraints = [models.UniqueConstraint(fields=["article", "name"], name="entity_suggestion_once")]
        indexes = [models.Index(fields=["status", "article"], name="entity_suggestion_status")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"
