"""Webhook endpoints and their delivery log: "Send a test event", "Redeliver", and a notice for every endpoint
disabled after failing too long."""

from django import forms
from django.contrib import admin, messages

from articles.models import WebhookDelivery, WebhookEndpoint
from articles.webhooks import delivery

DELIVERY_FIELDS = (
    "event",
    "status",
    "attempts",
    "last_status_code",
    "latency_ms",
    "created_at",
    "delivered_at",
    "next_attempt_at",
    "last_error",
    "response_excerpt",
)


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEndpoint.Event.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "secret", "events", "enabled"]


class RecentDeliveries(admin.TabularInline):
    model = WebhookDelivery
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-id"]
    show_change_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        recent = list(queryset.order_by("-id").values_list("pk", flat=True)[:20])
        return queryset.filter(pk__in=recent)


@admin.action(description="Send a test event")
def send_test_event(modeladmin, request, queryset):
    for endpoint in queryset:
        delivery.send_test_event(endpoint)
    modeladmin.message_user(request, f"A test event is on its way to {queryset.count()} endpoint(s).")


class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "enabled", "failing_since", "disabled_reason"]
    list_filter = ["enabled"]
    actions = [send_test_event]
    inlines = [RecentDeliveries]

    def changelist_view(self, request, extra_context=None):
        for endpoint in WebhookEndpoint.objects.filter(enabled=False).exclude(disabled_reason=""):
            messages.warning(request, f"{endpoint}: {endpoint.disabled_reason}")
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change and obj.enabled and "enabled" in form.changed_data:
            obj.disabled_reason, obj.failing_since = "", None  # enabled again: a fresh start
        super().save_model(request, obj, form, change)


@admin.action(description="Redeliver")
def redeliver(modeladmin, request, queryset):
    count = delivery.redeliver(list(queryset))
    modeladmin.message_user(request, f"{count} delivery(ies) queued again.")


class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "endpoint", "event", "status", "attempts", "last_status_code", "latency_ms", "created_at"]
    list_filter = ["status", "event", "endpoint"]
    readonly_fields = ["endpoint", "message_id", "payload", "article_id", *DELIVERY_FIELDS]
    fields = readonly_fields
    actions = [redeliver]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
