"""The feeds the desk subscribes to: their health at a glance (last success, errors and why, next check, items per
day), "Poll now", enable and disable; a feed's page shows its recent batches. A feed added here is checked to
answer with a feed before it is saved, as by `add_feed`."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.feeds.polling import request_poll
from articles.feeds.subscribe import SubscribeError, check_url
from articles.models import Feed, ImportBatch

RATE_DAYS = 7
RECENT_BATCHES = 20


class RecordFeedFilter(admin.SimpleListFilter):
    """The feed whose poll made an import record's batch (`?feed=ID`), as a feed's page links to its failed items;
    shown only once chosen, so that thousands of feeds never fill the sidebar."""

    title = "feed"
    parameter_name = "feed"

    def lookups(self, request, model_admin):
        chosen = self.value()
        if not (chosen and chosen.isdigit()):
            return []
        return [(str(feed.pk), str(feed)) for feed in Feed.objects.filter(pk=int(chosen))]

    def queryset(self, request, queryset):
        chosen = self.value()
        if chosen and chosen.isdigit():
            return queryset.filter(batch__feed_id=int(chosen))
        return queryset


class FeedForm(forms.ModelForm):
    class Meta:
        model = Feed
        fields = ["url", "source", "enabled", "poll_interval"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if self.instance.pk and url == self.instance.url:
            return url
        try:
            stored, _fmt = check_url(url)
        except SubscribeError as error:
            raise forms.ValidationError(str(error)) from None
        return stored


@admin.action(description="Poll now")
def poll_now(modeladmin, request, queryset):
    enqueued = sum(request_poll(feed) for feed in queryset.select_related(None).only("pk"))
    busy = queryset.count() - enqueued
    modeladmin.message_user(request, f"{enqueued} feed(s) will be polled by a worker as soon as it can.")
    if busy:
        modeladmin.message_user(request, f"{busy} feed(s) are being polled already.", messages.WARNING)


@admin.action(description="Enable (poll them again)")
def enable(modeladmin, request, queryset):
    done = queryset.filter(enabled=False).update(enabled=True, disabled_reason="", next_check_at=timezone.now())
    modeladmin.message_user(request, f"{done} feed(s) enabled.")


@admin.action(description="Disable (stop polling them)")
def disable(modeladmin, request, queryset):
    done = queryset.filter(enabled=True).update(enabled=False, disabled_reason="Disabled by an editor.")
    modeladmin.message_user(request, f"{done} feed(s) disabled.")


class FeedAdmin(admin.ModelAdmin):
    form = FeedForm
    list_display = [
        "__str__",
        "source",
        "enabled",
        "last_success_at",
        "consecutive_errors",
        "short_error",
        "next_check_at",
        "items_per_day",
        "last_status",
    ]
    list_filter = ["enabled"]
    list_select_related = ["source"]
    search_fields = ["url", "title"]
    autocomplete_fields = ["source"]
    actions = [poll_now, enable, disable]
    readonly_fields = [
        "title",
        "next_check_at",
        "last_polled_at",
        "last_status",
        "last_success_at",
        "consecutive_errors",
        "last_error",
        "last_error_at",
        "items_seen",
        "disabled_reason",
        "claimed_until",
        "recent_batches",
    ]

    def get_queryset(self, request):
        since = timezone.now() - timedelta(days=RATE_DAYS)
        recent = Q(batches__records__created_at__gte=since)
        return super().get_queryset(request).annotate(recent_items=Count("batches__records", filter=recent))

    def get_fields(self, request, obj=None):
        editable = ["url", "source", "enabled", "poll_interval"]
        return editable if obj is None else editable + self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change and "enabled" in form.changed_data:
            obj.disabled_reason = "" if obj.enabled else "Disabled by an editor."
            if obj.enabled:
                obj.next_check_at = timezone.now()
        fields = None if not change else [*form.changed_data, "disabled_reason", "next_check_at"]
        obj.save(update_fields=fields)  # never the claim fields: a poll in flight keeps its claim

    @admin.display(description="last error")
    def short_error(self, feed):
        text = feed.disabled_reason or feed.last_error
        return text if len(text) <= 90 else text[:89] + "…"

    @admin.display(description=f"items a day ({RATE_DAYS} d)", ordering="recent_items")
    def items_per_day(self, feed):
        return round(getattr(feed, "recent_items", 0) / RATE_DAYS, 1)

    @admin.display(description="recent batches")
    def recent_batches(self, feed):
        batches = ImportBatch.objects.filter(feed=feed).order_by("-started_at")[:RECENT_BATCHES]
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:articles_importbatch_change", args=[batch.pk]),
                    f"{batch.started_at:%Y-%m-%d %H:%M}",
                    batch.status,
                    ", ".join(f"{name} {count}" for name, count in sorted((batch.counts or {}).items()) if count),
                )
                for batch in batches
            ),
        )
        if not rows:
            return "No batch yet: the feed has not brought anything new."
        failures = reverse("admin:articles_importrecord_changelist") + f"?feed={feed.pk}&outcome=failed"
        return format_html(
            '<table><tr><th>started</th><th>status</th><th>items</th></tr>{}</table><p><a href="{}">This feed\'s '
            "failed items</a></p>",
            rows,
            failures,
        )
