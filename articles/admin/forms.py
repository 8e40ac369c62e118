"""Forms of the editorial admin: the article form with its edit-conflict guard, the desk's search box, and the forms
of the desk's tools.

The article form checks what only a form knows (the revision it started from, the user's right to publish); every
rule about the article itself (identity, duplicate text) is the model's, reached through `ModelForm` validation.
"""

from django import forms
from django.conf import settings
from django.contrib.admin.views.main import SEARCH_VAR, ChangeListSearchForm
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from taggit.utils import parse_tags

from articles.ingest.reading import PieceFile, PieceInput, RawPiece
from articles.models import Article, Author, Byline, Source, Topic
from articles.workflow import require_publication_right

CONFLICT_MESSAGE = (
    "{who} saved this article at {when}, after you opened it (you started from revision {mine}, it is now at "
    "revision {theirs}). Your changes have not been saved; they are still in the form below. Compare them with the "
    "latest version in the history, then save again to keep yours."
)
POSITION_OFFSET = 1000
PUBLISH_MESSAGE = (
    "{refusal} Publishing, unpublishing, archiving or rescheduling a published article, and restoring a version "
    "that would do so, needs the “publish articles” permission. Send the article to review instead, and an editor "
    "will publish it."
)


class ArticleAdminForm(forms.ModelForm):
    """The article form. It carries the revision the editor started from, so a save made meanwhile is not lost.

    `user` is set by the admin on the form class it builds for each request.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "status",
            "published_at",
            "unpublish_at",
            "source",
            "language",
            "external_id",
            "topics",
            "tags",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField article-title"}),
            "summary": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 28, "class": "article-body", "spellcheck": "true"}),
        }
        error_messages = {
            "title": {"required": "Every article needs a title."},
            "slug": {"required": "Give the article a web address (slug); it fills itself in from the title."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A form opened from a past version (history revert) starts from the current revision, not the old one.
            reverting = hasattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME)
            self.fields["revision"].initial = self._current_revision() if reverting else self.instance.revision
            if reverting:
                self._keep_publication()

    def _keep_publication(self):
        """On a history revert, show the article's current status and publication time, not the old version's:
        restoring old wording never silently unpublishes, reschedules or republishes. The version's own are named
        beside the fields; an editor who wants them chooses them."""
        stored = Article.objects.filter(pk=self.instance.pk).only("status", "published_at", "unpublish_at").first()
        if stored is None:
            return  # restoring a deleted article: its version's status is all there is
        old_status, old_time = self.instance.get_status_display(), self.instance.published_at
        self.initial["status"], self.initial["published_at"] = stored.status, stored.published_at
        self.initial["unpublish_at"] = stored.unpublish_at
        when = date_format(timezone.localtime(old_time), "DATETIME_FORMAT") if old_time else "none"
        self.fields[
            "status"
        ].help_text = (
            f"Kept as it is now. The version being restored was {old_status.lower()}; choose that to restore it too."
        )
        self.fields["published_at"].help_text = f"Kept as it is now. The version being restored had: {when}."

    def _current_revision(self):
        return Article.objects.filter(pk=self.instance.pk).values_list("revision", flat=True).first()

    def _stored_article(self) -> Article | None:
        """Return the article as the database holds it (locked until the save), or None for a new one.

        On a history revert `self.instance` is the old version being restored, not the stored row, so every rule
        about what a save changes is checked against this.
        """
        if self.instance.pk is None:
            return None
        rows = Article.objects.filter(pk=self.instance.pk).only("revision", "status", "published_at", "unpublish_at")
        if connection.in_atomic_block and connection.features.has_select_for_update:
            rows = rows.select_for_update()
        return rows.first()

    def clean(self):
        cleaned = super().clean()
        stored = self._stored_article()
        if self.instance.pk:
            self._refuse_stale_revision(cleaned.get("revision"), stored)
        self._check_publishing(cleaned, stored)
        return cleaned

    def _refuse_stale_revision(self, mine, stored):
        theirs = stored.revision if stored is not None else None
        if theirs is None or mine == theirs:
            return
        latest = self.instance.history.filter(revision=theirs).select_related("history_user").first()
        who = (latest.history_user.get_username() if latest and latest.history_user else None) or "Someone else"
        when = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT") if latest else "a moment ago"
        message = CONFLICT_MESSAGE.format(who=who, when=when, mine=mine if mine is not None else "?", theirs=theirs)
        base = self.instance.history.filter(revision=mine).first() if mine is not None else None
        if latest and base:
            changed = [Article._meta.get_field(name).verbose_name for name in latest.diff_against(base).changed_fields]
            if changed:
                message += f" Changed meanwhile: {', '.join(changed)}; saving again replaces those changes with yours."
        # The next save from this form is a deliberate overwrite of the newer version, so it carries that revision.
        self.data = self.data.copy()
        self.data[self.add_prefix("revision")] = theirs
        raise ValidationError(message, code="edit_conflict")

    def _check_publishing(self, cleaned, stored):
        status, published_at = cleaned.get("status"), cleaned.get("published_at")
        if status is None:
            return  # the status field has its own error
        unpublish_at = cleaned.get("unpublish_at")
        try:
            require_publication_right(
                self.user, stored, status=status, published_at=published_at, unpublish_at=unpublish_at
            )
        except PermissionDenied as refusal:
            raise ValidationError(PUBLISH_MESSAGE.format(refusal=refusal), code="publish_permission") from None
        stored_at = stored.published_at if stored is not None else None
        if published_at is not None and stored_at is not None and published_at == stored_at.replace(microsecond=0):
            # The form shows whole seconds: an untouched time keeps the stored one exactly.
            cleaned["published_at"] = published_at = stored_at
        stored_down = stored.unpublish_at if stored is not None else None
        if unpublish_at is not None and stored_down is not None and unpublish_at == stored_down.replace(microsecond=0):
            cleaned["unpublish_at"] = stored_down
        if status == Article.Status.PUBLISHED and published_at is None:
            cleaned["published_at"] = timezone.now()


SEARCH_MAX_CHARS = 200  # as the API's `?search=`


class ArticleSearchForm(ChangeListSearchForm):
    """The desk's search box, with a length limit: the full-text query grows with every word, and a search of a few
    thousand words kept PostgreSQL busy for a minute and more. A longer search is refused with a message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SEARCH_VAR] = forms.CharField(required=False, strip=False, max_length=SEARCH_MAX_CHARS)


class JSONTextField(forms.JSONField):
    """Django's JSON form field, with text nested too deeply for the decoder an error on the field, not a crash."""

    default_error_messages = {"nested": "This JSON is nested too deeply."}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(self.error_messages["nested"], code="nested") from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


class BylineForm(forms.ModelForm):
    """One byline row. Positions are only an order here: the formset renumbers them, so clashes are not errors."""

    class Meta:
        model = Byline
        fields = ["position", "author", "role"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "position"}


class BylineInlineFormSet(forms.BaseInlineFormSet):
    """Bylines as the editor ordered them: positions are renumbered 0, 1, 2 ... so gaps and ties cannot clash."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            author = form.cleaned_data.get("author")
            if author is not None and author.pk in seen:
                raise ValidationError(f"{author} appears twice in the byline; keep one.")
            if author is not None:
                seen.add(author.pk)

    def save(self, commit=True):
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("author")
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("position") or 0)
        if commit and self.instance.pk:
            # (article, position) is unique and checked row by row: move the old rows out of the way first.
            Byline.objects.filter(article=self.instance).update(position=F("position") + POSITION_OFFSET)
        for index, form in enumerate(kept):
            form.instance.position = index
        saved = super().save(commit=commit)
        if commit:
            for index, form in enumerate(kept):
                Byline.objects.filter(pk=form.instance.pk).exclude(position=index).update(position=index)
        return saved


class MarkDuplicateForm(forms.Form):
    original = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        label="Original article",
        help_text="Type a word of its title or body. The selected articles will be archived as its duplicates.",
        error_messages={"required": "Choose the original article.", "invalid_choice": "That article does not exist."},
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].widget = AutocompleteSelect(Article._meta.get_field("duplicate_of"), admin_site)
        self.fields["original"].widget.choices = self.fields["original"].choices


class BulkEditForm(forms.Form):
    """The bulk edit's choices: topics and tags to add, a source and a status to set; each left empty is kept."""

    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False, label="Add topics")
    tags = forms.CharField(required=False, label="Add tags", help_text="Separated by commas.")
    source = forms.ModelChoiceField(queryset=Source.objects.all(), required=False, label="Set the source")
    status = forms.ChoiceField(
        choices=[("", "Keep each article's status"), *Article.Status.choices], required=False, label="Set the status"
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("topics", "source"):
            widget_class = AutocompleteSelectMultiple if name == "topics" else AutocompleteSelect
            self.fields[name].widget = widget_class(Article._meta.get_field(name), admin_site)
            self.fields[name].widget.choices = self.fields[name].choices

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("topics", "tags", "source", "status")):
            raise ValidationError("Choose at least one thing to change.")
        return cleaned


class MergeAuthorsForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Author.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this author",
        error_messages={"required": "Choose the author to keep."},
    )

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = authors
        self.fields["into"].label_from_instance = lambda a: f"{a.name} ({a.get_kind_display()}, {a.article_count})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ImportForm(forms.Form):
    """The import page's form: files (streamed to disk by the page's upload handler), pasted text, a status.

    `refused_files` are the uploads stopped for their size, as (name, bytes received) pairs: each becomes a failed
    piece with its reason, so that the page and the import log both say what became of it.
    """

    files = MultipleFileField(required=False, label="Text files", help_text="One piece per .txt file.")
    text = forms.CharField(
        required=False,
        label="Or paste a piece",
        widget=forms.Textarea(attrs={"rows": 12, "class": "article-body"}),
    )
    status = forms.ChoiceField(
        choices=[(Article.Status.DRAFT, "Draft"), (Article.Status.REVIEW, "In review")],
        initial=Article.Status.DRAFT,
        label="New articles start as",
    )

    def __init__(self, *args, refused_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_files = list(refused_files)

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("files") or self.refused_files
        if not chosen and not (cleaned.get("text") or "").strip():
            raise ValidationError("Choose at least one .txt file, or paste the text of a piece.")
        return cleaned

    def pieces(self) -> list[PieceInput]:
        """Return a piece for every uploaded file, every file refused for its size and the pasted text, in that
        order. An upload on disk is given as its temporary file, which the import reads when it stages the piece,
        one file at a time."""
        limit = settings.NEWSROOM_IMPORT_MAX_BYTES
        found: list[PieceInput] = []
        for upload in self.cleaned_data["files"]:
            origin = f"admin upload: {upload.name}"
            if hasattr(upload, "temporary_file_path"):
                found.append(PieceFile(path=upload.temporary_file_path(), origin=origin))
            else:  # a file in memory, from a caller other than the page
                data = upload.read(limit + 1)
                found.append(RawPiece(origin=origin, data=data, size=len(data)))
        for name, received in self.refused_files:
            found.append(RawPiece(origin=f"admin upload: {name}", size=received, error=upload_too_large(name, limit)))
        text = self.cleaned_data.get("text") or ""
        if text.strip():
            data = text.encode("utf-8")
            found.append(RawPiece(origin="admin paste", data=data, size=len(data)))
        return found


def upload_too_large(name: str, limit: int) -> str:
    return (
        f"“{name}” is over the import limit of {limit:,} bytes for one file (NEWSROOM_IMPORT_MAX_BYTES): the upload "
        "of it was stopped there and it was not imported."
    )
