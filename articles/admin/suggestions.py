"""Topic suggestions on the desk: the list with its Accept and Reject actions, and the inline on an article."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from articles import suggestions
from articles.models import TopicSuggestion


class TopicSuggestionAdmin(admin.ModelAdmin):
    list_display = ["topic", "article", "score", "words", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["topic", "article", "decided_by"]
    search_fields = ["article__title", "topic__name"]
    readonly_fields = ["article", "topic", "score", "matched", "status", "suggested_at", "decided_at", "decided_by"]
    actions = ["accept_suggestions", "reject_suggestions"]

    def has_add_permission(self, request):
        return False  # made by the queue from the articles' words, never by hand

    @admin.display(description="words found")
    def words(self, suggestion):
        return ", ".join(suggestion.matched)

    @admin.action(description="Accept the selected suggestions (add the topics)", permissions=["change"])
    def accept_suggestions(self, request, queryset):
        try:
            done = suggestions.accept(queryset, user=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(request, f"Accepted {done} suggestion(s): their topics were added.", messages.SUCCESS)

    @admin.action(description="Reject the selected suggestions", permissions=["change"])
    def reject_suggestions(self, request, queryset):
        done = suggestions.reject(queryset, user=request.user)
        self.message_user(request, f"Rejected {done} suggestion(s).", messages.SUCCESS)


class TopicSuggestionInline(admin.TabularInline):
    """The article's suggestions, read only; they are decided on the suggestions' list (the link of each row)."""

    model = TopicSuggestion
    extra = 0
    can_delete = False
    fields = ["topic", "score", "matched", "status", "decided_by", "decide"]
    readonly_fields = fields
    verbose_name_plural = "topic suggestions (accept or reject them on the suggestions' list)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic", "decided_by")

    @admin.display(description="")
    def decide(self, suggestion):
        url = reverse("admin:articles_topicsuggestion_changelist") + f"?article__id__exact={suggestion.article_id}"
        return format_html('<a href="{}">accept or reject</a>', url)
