"""`/api/v1/feeds/`: the feeds the desk subscribes to, with their health, for editors only.

A new feed is checked to answer with a feed before it is saved (`articles.feeds.subscribe`), as the `add_feed`
command checks it; `POST /api/v1/feeds/{id}/poll/` has a worker poll it now.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles.api.exceptions import Conflict
from articles.api.filtering import KnownParametersMixin
from articles.api.filters import FeedFilter
from articles.api.permissions import FeedPermission
from articles.feeds.durations import describe, parse_poll_interval
from articles.feeds.polling import request_poll
from articles.feeds.subscribe import SubscribeError, source_named, subscribe
from articles.models import Feed

DURATION_PATTERN = r"^\s*(\d+\s*[smhdSMHD]\s*)+$"
HEALTH_FIELDS = [
    "title",
    "next_check_at",
    "last_polled_at",
    "last_status",
    "last_success_at",
    "last_error",
    "last_error_at",
    "consecutive_errors",
    "items_seen",
    "disabled_reason",
    "created_at",
]


@extend_schema_field({"type": "string", "pattern": DURATION_PATTERN, "example": "15m"})
class PollIntervalField(serializers.CharField):
    """A poll interval as typed: `90s`, `15m`, `2h`, `1d` (10 s at least)."""

    def to_internal_value(self, data):
        try:
            return parse_poll_interval(super().to_internal_value(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value):
        return describe(value)


class FeedSerializer(serializers.ModelSerializer):
    url = serializers.URLField(
        max_length=2000, help_text="The feed's address: given when subscribing, kept as it is by a change."
    )
    source = serializers.CharField(
        source="source.name",
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=200,
        help_text="The outlet of every item (created if new); null: each item's footer or the feed's title names it.",
    )
    poll_interval = PollIntervalField(required=False, help_text="How often the feed is polled: 90s, 15m, 2h, 1d.")

    class Meta:
        model = Feed
        fields = ["id", "url", "source", "enabled", "poll_interval", *HEALTH_FIELDS]
        read_only_fields = HEALTH_FIELDS

    def create(self, validated):
        try:
            feed, _fmt = subscribe(
                validated["url"],
                source=(validated.get("source") or {}).get("name"),
                interval=validated.get("poll_interval"),
            )
        except SubscribeError as error:
            raise serializers.ValidationError({"url": [str(error)]}) from None
        if validated.get("enabled") is False:
            Feed.objects.filter(pk=feed.pk).update(enabled=False, disabled_reason="Disabled when subscribed.")
            feed.refresh_from_db()
        return feed

    def update(self, feed, validated):
        fields = {}  # the address stays: another one is another subscription, checked when it is made
        if "source" in validated:
            fields["source"] = source_named((validated["source"] or {}).get("name"))
        if "poll_interval" in validated:
            fields["poll_interval"] = validated["poll_interval"]
        if "enabled" in validated and validated["enabled"] != feed.enabled:
            fields["enabled"] = validated["enabled"]
            fields["disabled_reason"] = "" if validated["enabled"] else "Disabled by an editor."
            if validated["enabled"]:
                from django.utils import timezone

                fields["next_check_at"] = timezone.now()
        Feed.objects.filter(pk=feed.pk).update(**fields)  # not save(): a poll in flight keeps its claim fields
        feed.refresh_from_db()
        return feed


class FeedViewSet(KnownParametersMixin, viewsets.ModelViewSet):
    """Feeds (editors only): the subscriptions the desk polls, each with its health: when it last worked, its errors
    and their reason, when it is checked next, and the items read from it. Subscribing checks that the address
    answers with a feed (an HTML page is refused with the reason). `POST .../poll/` has a worker poll it now."""

    queryset = Feed.objects.select_related("source").order_by("pk")
    serializer_class = FeedSerializer
    permission_classes = [FeedPermission]
    filterset_class = FeedFilter

    @extend_schema(
        summary="Poll a feed now",
        request=None,
        responses={
            202: OpenApiResponse(description="A worker polls the feed as soon as it can."),
            409: OpenApiResponse(description="A worker is polling it already."),
        },
    )
    @action(detail=True, methods=["post"])
    def poll(self, request, pk=None):
        feed = self.get_object()
        if request_poll(feed):
            return Response({"detail": "A worker polls the feed as soon as it can."}, status=status.HTTP_202_ACCEPTED)
        raise Conflict("A worker is polling this feed now.")
