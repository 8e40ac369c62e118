"""What the reader found in an article, in the admin: its quotes (read-only, on the article's form) and the
people, organisations and places it names, which editors accept as tags or reject."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.models import EntitySuggestion, Quote
from articles.reading.tasks import accept_suggestions, reject_suggestions


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ["position", "speaker", "text"]
    readonly_fields = fields
    ordering = ["position"]
    extra = 0
    can_delete = False
    classes = ["collapse"]
    verbose_name_plural = "quotes (read from the body after each import)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EntitySuggestionInline(admin.TabularInline):
    model = EntitySuggestion
    fields = ["name", "kind", "mentions", "status", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    classes = ["collapse"]
    verbose_name_plural = "tag suggestions (accept or reject them under Entity suggestions)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")


@admin.action(description="Accept as tags", permissions=["change"])
def accept(modeladmin, request, queryset):
    modeladmin.message_user(request, f"{accept_suggestions(queryset, user=request.user)} suggestion(s) accepted.")


@admin.action(description="Reject", permissions=["change"])
def reject(modeladmin, request, queryset):
    modeladmin.message_user(request, f"{reject_suggestions(queryset, user=request.user)} suggestion(s) rejected.")


class EntitySuggestionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "mentions", "article_link", "status", "decided_by", "decided_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["article", "decided_by"]
    search_fields = ["name"]
    ordering = ["status", "-mentions", "name"]
    actions = [accept, reject]
    fields = ["article", "name", "kind", "mentions", "status", "decided_by", "decided_at"]
    readonly_fields = fields

    @admin.display(description="article", ordering="article")
    def article_link(self, suggestion):
        url = reverse("admin:articles_article_change", args=[suggestion.article_id])
        return format_html('<a href="{}">{}</a>', url, suggestion.article.title)

    def has_add_permission(self, request):
        return False
