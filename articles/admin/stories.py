"""The story desk: the list of stories, a story's page (its articles side by side, each with a word diff against
the lead, and the editors' moves: choose the lead, split, move, merge), and the "possibly the same story" queue
(the two texts side by side, accept or reject). Every decision is one call of `articles.stories.desk`, which
checks the permission and records the history."""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.changelists import CappedCountPaginator
from articles.admin.provenance import inline_diff
from articles.ids import parse_id
from articles.models import Article, Story, StoryCandidate, StoryPin
from articles.stories import desk

DIFF_TITLE = "Differs from the lead"


def outlets_of(story_ids) -> dict[int, list[str]]:
    """Return the outlets (source names) of each story, in one query."""
    found = defaultdict(set)
    rows = Article.objects.filter(story_id__in=list(story_ids), source__isnull=False).order_by()
    for story_id, name in rows.values_list("story_id", "source__name").distinct():
        found[story_id].add(name)
    return {story_id: sorted(names, key=str.casefold) for story_id, names in found.items()}


def story_text(article) -> str:
    return "\n".join([article.title, article.body])


def compared(lead, article):
    """Return `article`'s text against the lead's as one flowing text, changes marked (or a note)."""
    if lead is None or article.pk == lead.pk:
        return None
    if story_text(article) == story_text(lead):
        return format_html('<p class="help">{}</p>', "The same text as the lead.")
    return inline_diff(story_text(lead), story_text(article), [], change_title=DIFF_TITLE) or format_html(
        '<p class="help">{}</p>', "Too long to compare here."
    )


class StoryChangeList(ChangeList):
    """The stories, with each row's outlets looked up for the page in one query."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        outlets = outlets_of(story.pk for story in self.result_list)
        for story in self.result_list:
            story.outlet_names = outlets.get(story.pk, [])


class StoryAdmin(admin.ModelAdmin):
    list_display = ["story", "size", "outlets", "first_seen", "last_seen", "kept"]
    list_display_links = ["story"]
    list_select_related = ["lead"]
    list_per_page = 50
    show_full_result_count = False
    paginator = CappedCountPaginator
    search_fields = ["=id"]
    search_help_text = "A story number."

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a story goes when its last article leaves it (a move, a merge)

    @admin.display(description="story (its lead)")
    def story(self, story):
        return format_html("#{} {}", story.pk, story.lead.title if story.lead_id else "(no lead)")

    @admin.display(description="outlets")
    def outlets(self, story):
        return ", ".join(getattr(story, "outlet_names", []))

    @admin.display(description="lead chosen", boolean=True)
    def kept(self, story):
        return story.lead_chosen

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_id(str(object_id))
        story = get_object_or_404(Story.objects.select_related("lead"), pk=pk) if pk is not None else None
        if story is None:
            raise Http404
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        if request.method == "POST":
            return self._decide(request, story)
        articles = list(
            story.articles.select_related("source")
            .annotate(seen=Coalesce("published_at", "created_at"))
            .order_by("seen", "pk")
        )
        lead = next((a for a in articles if a.pk == story.lead_id), articles[0] if articles else None)
        pinned = set(StoryPin.objects.filter(article__in=articles).values_list("article_id", flat=True))
        rows = [
            {"article": a, "is_lead": lead is not None and a.pk == lead.pk, "diff": compared(lead, a)} for a in articles
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Story {story.pk}",
            "opts": self.model._meta,
            "story": story,
            "lead": lead,
            "rows": rows,
            "outlets": outlets_of([story.pk]).get(story.pk, []),
            "pinned": bool(pinned),
            "can_change": request.user.has_perm(desk.CHANGE_STORY_PERMISSION),
            "pending": story.candidates.filter(status=StoryCandidate.Status.PENDING).count(),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/story/story.html", context)

    def _decide(self, request, story):
        back = HttpResponseRedirect(request.path)
        chosen = [pk for pk in map(parse_id, request.POST.getlist("article")) if pk is not None]
        members = list(story.articles.filter(pk__in=chosen).order_by("pk"))
        operation = request.POST.get("operation")
        try:
            if operation == "lead" and len(members) == 1:
                desk.choose_lead(members[0], user=request.user)
                done = f"“{members[0]}” is now the lead."
            elif operation == "split" and members:
                new = desk.split_story(members, user=request.user)
                done = format_html(
                    'Split {} article(s) into <a href="{}">story {}</a>.',
                    len(members),
                    reverse("admin:articles_story_change", args=[new.pk]),
                    new.pk,
                )
            elif operation in {"move", "merge"}:
                target_id = parse_id(request.POST.get("story", "").strip().lstrip("#"))
                target = Story.objects.filter(pk=target_id).first() if target_id is not None else None
                if target is None:
                    raise ValidationError("No story has that number.")
                if operation == "merge":
                    desk.merge_stories([target], into=story, user=request.user)
                    done = f"Merged story {target.pk} into this one."
                else:
                    if not members:
                        raise ValidationError("Choose the articles to move.")
                    desk.move_articles(members, to=target, user=request.user)
                    done = f"Moved {len(members)} article(s) to story {target.pk}."
                    if not Story.objects.filter(pk=story.pk).exists():
                        back = HttpResponseRedirect(reverse("admin:articles_story_change", args=[target.pk]))
            else:
                raise ValidationError("Choose the articles first (one, to make it the lead).")
        except (PermissionDenied, ValidationError) as refusal:
            text = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            self.message_user(request, f"Nothing was changed: {text}", messages.ERROR)
            return back
        self.message_user(request, done, messages.SUCCESS)
        return back


@admin.action(description="Accept: the same story (join it)", permissions=["decide"])
def accept(model_admin, request, queryset):
    return _decide_all(model_admin, request, queryset, desk.accept_candidate, "Accepted")


@admin.action(description="Reject: not the same story (keep apart)", permissions=["decide"])
def reject(model_admin, request, queryset):
    return _decide_all(model_admin, request, queryset, desk.reject_candidate, "Rejected")


def _decide_all(model_admin, request, queryset, decide, done: str):
    pending = list(queryset.filter(status=StoryCandidate.Status.PENDING))
    try:
        for candidate in pending:
            decide(candidate, user=request.user)
    except PermissionDenied as refusal:
        model_admin.message_user(request, f"Nothing was changed: {refusal}", messages.ERROR)
        return
    model_admin.message_user(request, f"{done} {len(pending)} possible match(es).", messages.SUCCESS)


class PendingFirstFilter(admin.SimpleListFilter):
    """The queue opens on what waits for a decision."""

    title = "decision"
    parameter_name = "decision"

    def lookups(self, request, model_admin):
        return [("all", "All"), *StoryCandidate.Status.choices]

    def choices(self, changelist):
        value = self.value() or StoryCandidate.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or StoryCandidate.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class StoryCandidateAdmin(admin.ModelAdmin):
    """The "possibly the same story" queue."""

    list_display = ["article_title", "match_title", "jaccard", "containment", "status", "created_at"]
    list_display_links = ["article_title"]
    list_filter = [PendingFirstFilter]
    list_select_related = ["article__source", "match__source"]
    list_per_page = 50
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = [accept, reject]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm(desk.DECIDE_PERMISSION)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__body", "match__body")

    @admin.display(description="article")
    def article_title(self, candidate):
        return _titled(candidate.article)

    @admin.display(description="possibly the same story as")
    def match_title(self, candidate):
        return _titled(candidate.match)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_id(str(object_id))
        candidate = (
            get_object_or_404(
                StoryCandidate.objects.select_related("article__source", "match__source", "decided_by"), pk=pk
            )
            if pk is not None
            else None
        )
        if candidate is None:
            raise Http404
        if not self.has_view_or_change_permission(request, candidate):
            raise PermissionDenied
        if request.method == "POST":
            decide = {"accept": desk.accept_candidate, "reject": desk.reject_candidate}.get(
                request.POST.get("decision")
            )
            if decide is None or candidate.status != StoryCandidate.Status.PENDING:
                self.message_user(request, "Nothing was changed: this match is decided already.", messages.WARNING)
            else:
                try:
                    decide(candidate, user=request.user)
                except PermissionDenied as refusal:
                    self.message_user(request, f"Nothing was changed: {refusal}", messages.ERROR)
                    return HttpResponseRedirect(request.path)
                word = "Accepted: it joined" if decide is desk.accept_candidate else "Rejected: it stays apart from"
                self.message_user(request, f"{word} story {candidate.match.story_id}.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_storycandidate_changelist"))
        article, match = candidate.article, candidate.match
        context = {
            **self.admin_site.each_context(request),
            "title": "Possibly the same story",
            "opts": self.model._meta,
            "candidate": candidate,
            "article": article,
            "match": match,
            "diff": compared(match, article),
            "can_decide": self.has_decide_permission(request),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/storycandidate/compare.html", context)


def _titled(article):
    return format_html(
        '{} <span class="byline-quiet">#{} · {}</span>',
        article.title,
        article.pk,
        article.source.name if article.source_id else "no source",
    )
