"""The editorial admin. Registrations here are the starting point; the desk's tools are built on them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, Author, Byline, ImportBatch, ImportRecord, Source, Topic


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "source", "status", "published_at", "word_count"]
    list_filter = ["status"]
    list_select_related = ["source"]
    autocomplete_fields = ["source", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "homepage_url"]
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "iptc_code"]
    search_fields = ["name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "channel", "started_at", "finished_at"]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["origin", "outcome", "article", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["article"]
