"""The topic admin: the taxonomy, listed as a tree."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from articles.admin.changelists import TopicChangeList
from articles.admin.counts import CountedAdmin
from articles.admin.filters import ParentTopicListFilter
from articles.admin.forms import JSONTextField


class TopicAdmin(CountedAdmin):
    formfield_overrides = {models.JSONField: {"form_class": JSONTextField}}
    ordering = ["name"]
    list_display = ["tree_name", "iptc_code", "article_count"]
    list_filter = [ParentTopicListFilter]
    list_per_page = 500
    search_fields = ["name", "iptc_code"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist(self, request, **kwargs):
        return TopicChangeList

    @admin.display(description="topic", ordering="name")
    def tree_name(self, topic):
        depth = getattr(topic, "tree_depth", 0)
        style = f"padding-left: {depth * 1.5}em"
        return format_html('<span class="topic-depth-{}" style="{}">{}</span>', depth, style, topic.name)
