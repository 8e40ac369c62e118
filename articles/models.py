"""The newsroom's data: where pieces come from, who wrote them, what they are about, and how each one arrived."""

import datetime
import itertools

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles.claims import Claimable
from articles.public.addresses import public_path
from articles.search import FullTextSearch
from articles.search.sqlite import INDEX_RELATION, FTS5Document
from articles.text import (
    collapse_spaces,
    content_fingerprint,
    fingerprint_and_word_count,
    name_key,
    slug_for,
)

WORDS_PER_MINUTE = 230
VIEW_UNPUBLISHED_PERMISSION = "articles.view_article"


def sees_unpublished(user) -> bool:
    """Return whether `user` may see drafts, pieces in review, archived and scheduled articles, and what only they
    mention (authors, sources, tags). Everyone else, anonymous readers first, sees what is published."""
    return bool(user and user.is_authenticated and user.has_perm(VIEW_UNPUBLISHED_PERMISSION))


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SourceQuerySet(models.QuerySet):
    def with_article_counts(self):
        return self.annotate(article_count=models.Count("articles", distinct=True))

    def named(self, name: str):
        """Return the source called `name`, whatever its case or spacing (the unique constraint's rule)."""
        return self.filter(name__iexact=collapse_spaces(name))

    def visible_to(self, user):
        """Return the sources `user` may know of: every one for the desk, else those of a published article.

        A source named only on drafts is, to such a reader, the same as one that does not exist.
        """
        if sees_unpublished(user):
            return self
        return self.filter(Exists(Article.objects.published().filter(source=OuterRef("pk"))))


class Source(TimestampedModel):
    """An outlet, agency or aggregator that pieces come from ("The Frontier Post")."""

    class Kind(models.TextChoices):
        OUTLET = "outlet", "Outlet"
        AGENCY = "agency", "News agency"
        AGGREGATOR = "aggregator", "Aggregator"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage_url = models.URLField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTLET)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="source_name_unique_ci")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = collapse_spaces(self.name)
        if not self.slug:
            self.slug = slug_for(self.name)
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        # Lower("name") is an expression Django cannot attribute to the form field; say it in words.
        if Source.objects.exclude(pk=self.pk).named(self.name).exists():
            raise ValidationError(
                {"name": ValidationError("A source with this name already exists.", code="name_taken")}
            )
        super().validate_constraints(exclude=exclude)


class AuthorQuerySet(models.QuerySet):
    def with_article_counts(self):
        return self.annotate(article_count=models.Count("bylines__article", distinct=True))

    def named(self, name: str):
        return self.filter(name_key=name_key(name))

    def visible_to(self, user):
        """Return the authors `user` may know of: every one for the desk, else those credited on a published
        article (see `SourceQuerySet.visible_to`)."""
        if sees_unpublished(user):
            return self
        published = Article.objects.published().values("pk")
        return self.filter(Exists(Byline.objects.filter(author=OuterRef("pk"), article__in=published)))


class Author(TimestampedModel):
    """A byline: a person, a desk ("Web Desk") or an agency ("APP"). One row per name, whatever its case or spacing."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Desk"
        AGENCY = "agency", "Agency"

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    bio = models.TextField(blank=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = collapse_spaces(self.name)
        self.name_key = name_key(self.name)
        if not self.slug:
            self.slug = slug_for(self.name)
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        if Author.objects.exclude(pk=self.pk).named(self.name).exists():
            raise ValidationError(
                {"name": ValidationError("An author with this name already exists.", code="name_taken")}
            )
        super().validate_constraints(exclude=exclude)


class TopicQuerySet(models.QuerySet):
    def with_article_counts(self):
        return self.annotate(article_count=models.Count("articles", distinct=True))

    def tree(self) -> dict[int, dict]:
        """Return, for every topic here, its depth and its path of lower-cased names from the root (one query).

        A path ends at a topic whose parent is not among these topics, or where the parents loop back.
        """
        rows = {pk: (parent, name) for pk, parent, name in self.values_list("pk", "parent_id", "name")}
        tree = {}
        for pk in rows:
            path, node, seen = [], pk, set()
            while node in rows and node not in seen:
                seen.add(node)
                parent, name = rows[node]
                path.append((name.casefold(), node))
                node = parent
            tree[pk] = {"depth": len(path) - 1, "path": tuple(reversed(path))}
        return tree


class Topic(TimestampedModel):
    """An editor-managed subject, in a tree, with the words the desk associates with it (`keywords`)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)
    iptc_code = models.CharField(
        "IPTC Media Topic code", max_length=20, blank=True, help_text="For example medtop:04000000."
    )
    keywords = models.JSONField(default=list, blank=True, help_text="Words that suggest this topic.")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iptc_code"],
                condition=~Q(iptc_code=""),
                name="topic_iptc_code_unique_when_set",
                violation_error_code="unique",  # Django puts a one-field constraint's "unique" error on the field
                violation_error_message="Another topic has this IPTC code.",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="topic_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_for(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None and self.pk is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": ValidationError("A topic cannot sit below itself.", code="cycle")})
            ancestor = ancestor.parent

    def descendant_ids(self) -> set[int]:
        """Return the ids of this topic and every topic below it (one query per level of the tree)."""
        found, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(Topic.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - found
            found |= frontier
        return found


def fingerprint_in(fingerprints) -> Q:
    """Match the articles whose text has one of `fingerprints`, phrased so that the database uses the unique index.

    That index leaves out the empty fingerprint (hand-written articles may share it), and SQLite uses such a partial
    index only for a query that states the index's condition.
    """
    return Q(fingerprint__in=[fingerprint for fingerprint in fingerprints if fingerprint]) & ~Q(fingerprint="")


def errors_on_fields(error: ValidationError, fields_by_code: dict[str, str]) -> dict[str, list]:
    """Return the errors of `error` by field, those of the whole form moved to the field their code names."""
    moved: dict[str, list] = {}
    for field, errors in error.error_dict.items():
        for each in errors:
            target = fields_by_code.get(each.code, field) if field == NON_FIELD_ERRORS else field
            moved.setdefault(target, []).append(each)
    return moved


# The field an editor changes to resolve each constraint's violation.
CONSTRAINT_ERROR_FIELDS = {
    "slug_taken": "slug",
    "external_id_taken": "external_id",
    "duplicate_text": "body",
    "take_down_before_go_live": "unpublish_at",
}


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """Return articles a reader may see: published, with a publication time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def visible_to(self, user):
        """Return the articles `user` may see: all of them for the desk (`sees_unpublished`), else the published."""
        return self if sees_unpublished(user) else self.published()

    full_text = None  # the search these rows are the matches of (set by `search()`, kept through chaining)

    def _clone(self):
        clone = super()._clone()
        clone.full_text = self.full_text
        return clone

    def search(self, text: str, *, ranked: bool = True, snippets: bool = True):
        """Return the articles matching `text` (the query language: `articles/search/query.py`), marked with the
        search (`full_text`), with `rank` (higher is better) and `snippet` annotated.

        The rows are not reordered: a caller that wants the best matches first orders by `-rank`, or pages them
        through `full_text.ranked_page`. The snippet is the article's plain text with `<mark>` around the hits
        (`articles.search.safe_snippet` makes it HTML); each costs a pass over the article's text, so a caller that
        shows a page asks for `snippets=False` and the page's snippets afterwards (`full_text.snippets`).
        `ranked=False`: the cheap form, narrowed through the index, neither scored nor highlighted, for a list in
        another order.
        """
        search = FullTextSearch(text, self, ranked=ranked)
        found = search.matches(snippets=snippets and ranked)
        found.full_text = search
        return found

    def publication_span(self) -> tuple[datetime.datetime, datetime.datetime] | None:
        """Return the first and last publication times of these articles, or None when none has one.

        Over the whole table this reads every row's date; the admin caches it (`articles/admin/changelists.py`).
        """
        found = self.aggregate(first=Min("published_at"), last=Max("published_at"))
        return (found["first"], found["last"]) if found["first"] else None

    def languages(self):
        """Return the distinct languages these articles are written in, in order (a pass over every row; the admin
        caches the table's: `articles/admin/changelists.py`)."""
        return self.order_by("language").values_list("language", flat=True).distinct()

    def with_import_warnings(self):
        """Return the articles some import left with warnings (failed imports aside: they stored nothing).

        An `IN` subquery is computed once per query; a correlated `EXISTS` would run once per article when counting.
        """
        return self.filter(pk__in=ImportRecord.objects.with_warnings().values("article_id"))

    def without_import_warnings(self):
        """Return the articles no import left with warnings (those typed in by hand included)."""
        warned = ImportRecord.objects.with_warnings().exclude(article=None)  # NOT IN a list with NULL matches nothing
        return self.exclude(pk__in=warned.values("article_id"))

    def free_slug(self, slug: str) -> str:
        """Return `slug` when none of these articles uses it, else the first of `slug-2`, `slug-3`, ... that none
        uses (cut to fit the field), from one query: the slugs taken here that start like it."""
        limit = Article._meta.get_field("slug").max_length

        def numbered(number: int) -> str:
            suffix = f"-{number}"
            return f"{slug[: limit - len(suffix)]}{suffix}"

        stem = slug[: limit - 8]  # the start of every numbered candidate up to 9,999,999
        taken = set(self.filter(slug__startswith=stem).order_by().values_list("slug", flat=True))
        if slug not in taken:
            return slug
        return next(candidate for candidate in map(numbered, itertools.count(2)) if candidate not in taken)


class Article(TimestampedModel):
    """A piece of journalism: cleaned text, its workflow state, and who wrote it for which outlet."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=500)
    # Looked up through the (slug, source) unique index, which leads with the slug: no index of its own.
    slug = models.SlugField(max_length=200, db_index=False)
    summary = models.TextField(blank=True, help_text="The lede, shown in lists and feeds.")
    body = models.TextField(
        blank=True, help_text="Paragraphs separated by blank lines; subheadings as lines starting with '## '."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the article: readers see it from then on."
    )
    unpublish_at = models.DateTimeField(
        "take down at",
        null=True,
        blank=True,
        help_text="Optional: the scheduler takes the published article back to draft at this time.",
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True)
    tags = TaggableManager(blank=True)
    language = models.CharField(max_length=12, default="en")
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # Looked up through its unique index (see `fingerprint_in`), which skips the empty fingerprint: no index of its own.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    external_id = models.CharField(
        max_length=500, blank=True, help_text="The piece's identity at its source (URL or GUID), where known."
    )
    link = models.CharField(max_length=1000, blank=True, help_text="The piece's own address at its source.")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    story = models.ForeignKey(
        "articles.Story",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The story this article tells: its copies from other outlets belong to the same one.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    imported_revision = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The revision the importer last wrote; a higher revision "
        "means an editor changed the article since, and a re-import will not overwrite it.",
    )

    objects = ArticleQuerySet.as_manager()
    # History is read per article (by id) and by date; the copies of the article's other indexes would only slow
    # every save and import down.
    history = HistoricalRecords(
        excluded_fields=["fingerprint", "word_count", "imported_revision"],
        no_db_index=["slug", "created_at", "source", "duplicate_of", "story"],
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish and unpublish articles")]
        constraints = [
            # Slug first, so that the index also serves lookups by slug alone (the API's slug keys, the importer).
            models.UniqueConstraint(
                fields=["slug", "source"],
                name="article_slug_unique_per_source",
                violation_error_code="slug_taken",
                violation_error_message="Another article from this source already uses this web address (slug); "
                "change the slug.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(source__isnull=True),
                name="article_slug_unique_without_source",
                violation_error_code="slug_taken",
                violation_error_message="Another article without a source already uses this web address (slug); "
                "change the slug.",
            ),
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(fingerprint=""),
                name="article_fingerprint_unique",
                violation_error_code="duplicate_text",
                violation_error_message="Another article already has exactly this text. Mark this one as its "
                "duplicate instead.",
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="article_external_id_unique_per_source",
                violation_error_code="external_id_taken",
                violation_error_message="Another article from this source already has this identity (URL or GUID).",
            ),
            # A piece's identity at its source is one article's whether or not it names a source; the index holds
            # only the articles without a source that have an identity.
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(source__isnull=True) & ~Q(external_id=""),
                name="article_external_id_unique_without_source",
                violation_error_code="external_id_taken",
                violation_error_message="Another article without a source already has this identity (URL or GUID).",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_published_at",
                violation_error_message="A published article needs a publication date.",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(unpublish_at__gt=models.F("published_at")),
                name="article_take_down_after_go_live",
                violation_error_code="take_down_before_go_live",
                violation_error_message="The take-down time must come after the publication time.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_published"),
            models.Index(fields=["-updated_at", "-id"], name="article_updated"),
            models.Index(fields=["language"], name="article_language"),
            # The scheduler's question: the published articles whose take-down time has come (few have one).
            models.Index(fields=["unpublish_at"], condition=Q(unpublish_at__isnull=False), name="article_take_down"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_derived_fields()
        if self.pk is not None:
            self.revision = (self.revision or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "word_count", "fingerprint", "revision", "updated_at"}
        new_story = self.story_id is None and kwargs.get("update_fields") is None
        if new_story:
            # An article written by hand tells a story of its own until an editor moves it.
            seen = self.published_at or timezone.now()
            self.story = Story.objects.create(size=1, first_seen=seen, last_seen=seen, created_at=timezone.now())
        super().save(*args, **kwargs)
        if new_story:
            Story.objects.filter(pk=self.story_id).update(lead=self.pk)

    def get_absolute_url(self):
        """Return the article's public page (`articles/public/addresses.py`); only a published one serves it."""
        return public_path(self.slug, self.source.slug if self.source_id else None)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        # What the change log compares a save with (articles/changes.py): was the stored article public?
        article._loaded_publication = (article.__dict__.get("status"), article.__dict__.get("published_at"))
        return article

    def refresh_derived_fields(self):
        """Derive the row's own fields (slug, word count, fingerprint) from its text. Also used before bulk writes."""
        self.title = collapse_spaces(self.title)
        if not self.slug:
            self.slug = slug_for(self.title)
        self.fingerprint, self.word_count = fingerprint_and_word_count(self.body)

    def clean(self):
        fingerprint = content_fingerprint(self.body)
        if fingerprint:
            # The fingerprint is derived on save, so the unique constraint cannot see a new text yet; this names the
            # article that has it.
            twin = Article.objects.exclude(pk=self.pk).filter(fingerprint_in([fingerprint])).only("pk", "title").first()
            if twin:
                raise ValidationError(
                    {
                        "body": ValidationError(
                            f"Another article already has exactly this text: “{twin.title}” (#{twin.pk}). Mark this "
                            "one as its duplicate instead.",
                            code="duplicate_text",
                        )
                    }
                )

    def validate_constraints(self, exclude=None):
        """Check the constraints, with each identity rule's error on the field to change (Django puts the error of
        a constraint over two fields, or a conditional one, on the whole form)."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(errors_on_fields(error, CONSTRAINT_ERROR_FIELDS)) from None

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE)) if self.word_count else 0

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at > timezone.now())
        )

    @property
    def public_page(self) -> str | None:
        """Return the public page's path while readers may see the article (published, its time come), else None."""
        if self.status != self.Status.PUBLISHED or self.published_at is None or self.published_at > timezone.now():
            return None
        return self.get_absolute_url()

    @property
    def edited_since_import(self) -> bool:
        return self.imported_revision is not None and self.revision > self.imported_revision


class ArticleTextIndex(models.Model):
    """SQLite's full-text index of the articles: the FTS5 table the migrations create and its triggers keep current.

    Never written by the ORM (`managed = False`): a search joins it through `article.fts5_index` to match, score and
    highlight (`articles/search/sqlite.py`). PostgreSQL keeps its index in the article row (`search_vector`) instead,
    and has no such table.
    """

    article = models.OneToOneField(
        "Article",
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,  # the delete trigger removes the entry
        related_name=INDEX_RELATION,
    )
    document = FTS5Document()

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self):
        return f"index entry of article {self.article_id}"


def tags_visible_to(user, tags=None):
    """Return the tags (of `tags`, default all) `user` may know of: every one for the desk, else those of a
    published article. taggit's Tag has no queryset of ours, hence a function (see `SourceQuerySet.visible_to`)."""
    tags = Tag.objects.all() if tags is None else tags
    if sees_unpublished(user):
        return tags
    tagged = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type__app_label=Article._meta.app_label,
        content_type__model=Article._meta.model_name,
        object_id__in=Article.objects.published().values("pk"),
    )
    return tags.filter(Exists(tagged))


class Byline(models.Model):
    """One author's place on one article's byline; `position` keeps the order the byline gave."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=100, blank=True, help_text="For example 'Additional reporting'.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="byline_position_unique"),
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once_per_article"),
        ]

    def __str__(self):
        return f"{self.author} ({self.position})"


class TopicSuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=TopicSuggestion.Status.PENDING)


class TopicSuggestion(models.Model):
    """A topic the article's words suggest (`articles.suggestions`), until an editor accepts it (the topic is
    added) or rejects it (never suggested again); who decided and when are kept either way."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="topic_suggestions")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="suggestions")
    score = models.PositiveIntegerField(default=0, help_text="Keyword hits; a hit in the title counts three.")
    matched = models.JSONField(default=list, blank=True, help_text="The topic's words found in the article.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    suggested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-score", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="topic_suggestion_once_per_article"),
        ]
        indexes = [models.Index(fields=["status", "article"], name="topic_suggestion_status")]

    def __str__(self):
        return f"{self.topic} ({self.status})"  # shown on each row of the article's inline: no article query


class ImportBatchQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate each batch with `pending` (queued pieces no worker has recorded yet) and `recorded` (its import
        records): one subquery each, so a page of batches costs one query."""
        pending = QueuedPiece.objects.filter(batch=OuterRef("pk")).order_by().values("batch")
        recorded = ImportRecord.objects.filter(batch=OuterRef("pk")).order_by().values("batch")
        return self.annotate(
            pending=Coalesce(Subquery(pending.annotate(n=Count("pk")).values("n")), 0),
            recorded=Coalesce(Subquery(recorded.annotate(n=Count("pk")).values("n")), 0),
        )

    def visible_to(self, user):
        """Return the batches `user` may follow: every batch for those who read the import log (editors), their
        own for other signed-in users, none for anonymous ones."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.has_perm("articles.view_importbatch"):
            return self
        return self.filter(initiated_by=user)


class ImportBatch(Claimable):
    """One run of the importer (a command invocation, an API call, an admin upload).

    A run is `running` until it ends `finished`, or `interrupted` (stopped by Ctrl-C or an error, or found dead by
    a later import: its process gone from its host, or its heartbeat silent for long). The heartbeat and the counts
    are brought up to date after every transaction the run stores.

    A queued import (`articles.ingest.queued`) starts `queued`, its pieces' bytes kept as `QueuedPiece` rows until
    a worker on any machine, holding the batch's claim, has recorded each of them in this batch.
    """

    class Channel(models.TextChoices):
        COMMAND = "command", "Command"
        API = "api", "API"
        ADMIN = "admin", "Admin"
        PYTHON = "python", "Python"
        FEED = "feed", "Feed"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        INTERRUPTED = "interrupted", "Interrupted"

    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PYTHON)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="When the run last stored pieces.")
    host = models.CharField(max_length=255, blank=True, help_text="The machine the run started on.")
    pid = models.PositiveIntegerField(null=True, blank=True, help_text="The run's process id on that machine.")
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    options = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Workers that took this queued import.")
    error = models.TextField(blank=True, help_text="Why the last attempt at this queued import stopped.")
    origin = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The document the pieces were split from (a feed's URL, a file's path), when they came as one.",
    )
    feed = models.ForeignKey(
        "Feed",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batches",
        help_text="The feed whose poll made this batch, so its items and failures can be listed by feed.",
    )
    tallied_through = models.PositiveBigIntegerField(
        default=0, editable=False, help_text="The last import record of this batch counted in the import tallies."
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "import batches"
        indexes = [
            # Every import looks for running batches whose process died; finished ones are nearly all the rows.
            models.Index(fields=["status"], condition=Q(status="running"), name="importbatch_running"),
            # The scheduler looks for queued batches (with the batches that still have queued pieces).
            models.Index(fields=["status"], condition=Q(status="queued"), name="importbatch_queued"),
        ]

    def __str__(self):
        return f"Import {self.pk} ({self.channel}, {self.started_at:%Y-%m-%d %H:%M})"

    @property
    def reported_status(self) -> str:
        """Return the status to show: `failed` for a queued import that used up its attempts with pieces left
        (nobody will take it up again unless an editor retries it), else the stored one. Needs `with_progress()`."""
        stuck = self.status in (self.Status.QUEUED, self.Status.INTERRUPTED) and self.pending
        unclaimed = self.claimed_until is None or self.claimed_until <= timezone.now()
        if stuck and unclaimed and self.attempts >= settings.NEWSROOM_TASK_MAX_ATTEMPTS:
            return "failed"
        return self.status


class QueuedPiece(models.Model):
    """One piece of a queued import, exactly as it arrived, kept until a worker has recorded it in its batch.

    The bytes live in the database, not on the disk of the machine that received them, so that a worker on any
    machine can run the import; they are deleted once the piece's import record (which keeps them for good) exists.
    """

    # The unique (batch, position) index serves lookups by batch: no index of its own.
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="queued_pieces", db_index=False)
    position = models.PositiveIntegerField(help_text="The piece's place in the import, from 0.")
    origin = models.CharField(max_length=1000)
    raw = models.BinaryField(help_text="The bytes exactly as they arrived.")
    raw_sha256 = models.CharField(max_length=64)
    error = models.TextField(blank=True, help_text="Why the piece could not be read when it was queued.")

    class Meta:
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="queuedpiece_position_unique")]

    def __str__(self):
        return f"{self.origin} (import {self.batch_id}, #{self.position})"


# The kinds of reason a piece fails for, in the failures inbox (`articles.ingest.failures.failure_kind`).
FAILURE_KINDS = [
    ("unreadable", "Could not be read"),
    ("too_large", "Over the size limit"),
    ("encoding", "Undecodable text"),
    ("not_a_feed", "Not a feed or piece"),
    ("bad_item", "Unreadable item"),
    ("no_body", "No body text"),
    ("too_long", "Field too long"),
    ("database", "Refused by the database"),
    ("other", "Other"),
]


class ImportRecordQuerySet(models.QuerySet):
    def with_warnings(self):
        """Return the records of imports that stored a piece and left warnings about it (a failed import stores
        nothing, so its warnings are about no article)."""
        return self.exclude(warnings=[]).exclude(outcome=ImportRecord.Outcome.FAILED)


class ImportRecord(models.Model):
    """One import attempt of one piece: exactly what arrived, what became of it, and every edit the cleaner made."""

    class Outcome(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        UNCHANGED = "unchanged", "Unchanged"
        DUPLICATE = "duplicate", "Duplicate"
        CONFLICT = "conflict", "Conflict"
        FAILED = "failed", "Failed"
        IGNORED = "ignored", "Ignored (not an article)"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_records"
    )
    origin = models.CharField(max_length=1000, help_text="A file path, 'stdin', 'api' or 'admin upload: name'.")
    raw = models.BinaryField(help_text="The bytes exactly as they arrived.")
    raw_sha256 = models.CharField(max_length=64)
    raw_size = models.PositiveIntegerField(default=0)
    raw_format = models.CharField(
        max_length=20,
        default="text",
        help_text="How the raw bytes are read: 'text', or the format of the document "
        "they are an item of (rss, atom, jsonl...).",
    )
    raw_context = models.JSONField(
        default=dict, blank=True, help_text="What an item needs from its document to be read again alone."
    )
    encoding = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, db_index=True)
    error = models.TextField(blank=True)
    failure_kind = models.CharField(
        max_length=20, blank=True, choices=FAILURE_KINDS, help_text="The kind of reason a failed piece failed."
    )
    retry_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
        help_text="The record whose raw bytes this one was imported again from (a retry or a re-derivation).",
    )
    warnings = models.JSONField(default=list, blank=True)
    edits = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ImportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.origin}: {self.outcome}"

    @property
    def raw_text(self) -> str:
        """Return the raw bytes decoded as they were decoded at import (undecodable input shown with U+FFFD)."""
        data = bytes(self.raw)
        try:
            return data.decode(self.encoding or "utf-8", errors="replace")
        except LookupError:
            return data.decode("utf-8", errors="replace")


class Feed(Claimable):
    """A feed newsroom subscribes to: where it is, how often it is polled, and how its polls have gone.

    The scheduler claims each feed whose next check has come and a worker polls it (`articles.feeds.polling`); the
    claim keeps two workers from polling one feed at once. A failing feed is never stopped silently: its errors
    push the next check back (exponentially, up to a ceiling) and are shown with it; only `410 Gone` disables it,
    with the reason.
    """

    url = models.URLField(
        max_length=2000, unique=True, help_text="The feed's address (updated by a permanent redirect)."
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feeds",
        help_text="The outlet of the feed's items; when empty, each item's footer or the feed's channel names it.",
    )
    enabled = models.BooleanField(default=True)
    poll_interval = models.DurationField(
        default=datetime.timedelta(minutes=15), help_text="How often the feed is polled when all goes well."
    )
    next_check_at = models.DateTimeField(default=timezone.now, help_text="When the feed is due to be polled next.")
    etag = models.CharField(max_length=1000, blank=True, help_text="The ETag of the last feed body read.")
    last_modified = models.CharField(
        max_length=200, blank=True, help_text="The Last-Modified of the last feed body read."
    )
    consecutive_errors = models.PositiveIntegerField(default=0, help_text="Failed polls since the last success.")
    last_error = models.TextField(blank=True, help_text="Why the last failed poll failed.")
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The HTTP status of the last answer (none when no answer came)."
    )
    items_seen = models.PositiveIntegerField(default=0, help_text="Items read from this feed, all polls together.")
    disabled_reason = models.TextField(blank=True, help_text="Why the feed stopped being polled (410 Gone, an editor).")
    title = models.CharField(max_length=500, blank=True, help_text="The feed's own title, from its channel.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        indexes = [
            # The scheduler's question, every few seconds: enabled feeds whose next check has come.
            models.Index(fields=["next_check_at"], condition=Q(enabled=True), name="feed_due"),
        ]

    def __str__(self):
        return self.title or self.url


class ArticleChange(models.Model):
    """One change to an article, appended in the transaction that made it: what a partner's mirror follows.

    Rows are written unordered (`position` empty) by every path that writes articles (`articles/changes.py`), and
    numbered afterwards by `changes.sequence_changes`, one numbering at a time, in the order their transactions
    committed: a reader's cursor (`position`, or `public_position` in the stream anonymous readers see) then never
    skips a change that commits late. `article_id` is a plain number: the change of a deletion outlives its article.
    """

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        DELETED = "deleted", "Deleted"

    article_id = models.BigIntegerField(help_text="The article changed (it may since have been deleted).")
    revision = models.PositiveIntegerField(help_text="The article's revision after the change.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    public_before = models.BooleanField(help_text="Whether readers could see the article before the change.")
    public_after = models.BooleanField(help_text="Whether readers could see the article after the change.")
    occurred_at = models.DateTimeField(default=timezone.now)
    position = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text="The change's place in the desk's feed, given once committed."
    )
    public_position = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text="Its place in the public feed (changes readers could see)."
    )

    class Meta:
        ordering = ["position"]
        indexes = [
            # The sequencer's question: the committed changes not numbered yet, oldest first.
            models.Index(fields=["id"], condition=Q(position__isnull=True), name="article_change_unsequenced"),
        ]

    def __str__(self):
        return f"{self.kind} article {self.article_id} (revision {self.revision})"


def new_webhook_secret() -> str:
    """Return a new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64."""
    import base64
    import secrets

    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookEndpoint(models.Model):
    """An address newsroom tells about events (an article published, an import failed), signed with its secret."""

    class Event(models.TextChoices):
        ARTICLE_PUBLISHED = "article.published", "An article was published"
        ARTICLE_UPDATED = "article.updated", "A published article was changed"
        ARTICLE_UNPUBLISHED = "article.unpublished", "A published article was taken off the site"
        ARTICLE_DELETED = "article.deleted", "A published article was deleted"
        IMPORT_FAILED = "import.failed", "A piece failed to import"
        FEED_FAILING = "feed.failing", "A feed stopped answering"
        FEED_RECOVERED = "feed.recovered", "A failing feed answered again"
        TEST = "webhook.test", "A test event (sent from the admin or the API)"

    url = models.URLField(max_length=2000, help_text="Where events are POSTed (public addresses only).")
    secret = models.CharField(
        max_length=100,
        default=new_webhook_secret,
        help_text="The signing secret (`whsec_` and base64), shared with the receiver.",
    )
    events = models.JSONField(default=list, blank=True, help_text="The events sent here; empty: every event.")
    enabled = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When deliveries started failing (none: all is well)."
    )
    disabled_reason = models.TextField(blank=True, help_text="Why the endpoint stopped receiving events.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event: str) -> bool:
        return self.enabled and (not self.events or event in self.events or event == self.Event.TEST)


class WebhookDelivery(Claimable):
    """One event for one endpoint: its message (signed when sent), its attempts and what the receiver answered."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40, unique=True, help_text="The `webhook-id` (the same on retries).")
    payload = models.JSONField()
    article_id = models.BigIntegerField(
        null=True, blank=True, help_text="The article the event is about: its events are delivered in order."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True, help_text="The last attempt's round trip.")
    response_excerpt = models.TextField(blank=True, help_text="The start of the receiver's last answer.")
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "article_id", "id"], name="webhook_delivery_order"),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint}"


class ImportTallyQuerySet(models.QuerySet):
    def since(self, day: datetime.date):
        return self.filter(day__gte=day)


class ImportTally(models.Model):
    """How many pieces of one kind a day's imports brought, from one source through one feed: the desk's numbers.

    Counting import records on every visit to the dashboard grows with a year of imports; these rows grow with
    days times sources times measures, and are added to once per import run (`articles.ingest.tally`), from the
    records the run stored since it was last tallied, so a resumed or retried run never counts a piece twice.
    `measure` is an outcome (`created`, `failed`...), `warned` (pieces stored with warnings) or `repair:<rule>`
    (edits the cleaner made by that rule). Source and feed are kept as plain numbers, 0 for none, so that the
    unique key holds on every database (a NULL never equals another).
    """

    day = models.DateField()
    source_pk = models.PositiveIntegerField(default=0, help_text="The source's id, 0 for pieces without one.")
    feed_pk = models.PositiveIntegerField(default=0, help_text="The feed's id, 0 for pieces from no feed.")
    measure = models.CharField(max_length=80)
    count = models.PositiveIntegerField(default=0)

    objects = ImportTallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "source_pk", "feed_pk", "measure"], name="importtally_key"),
        ]

    def __str__(self):
        return f"{self.day} {self.measure}: {self.count}"


from articles.stories.models import Story, StoryBand, StoryCandidate, StoryPin  # noqa: E402  (the stories' models are ours)

__all__ = ["Story", "StoryBand", "StoryCandidate", "StoryPin"]
from articles.reading.models import EntitySuggestion, Quote  # noqa: E402  (the reader's models are ours)

__all__ += ["EntitySuggestion", "Quote"]
