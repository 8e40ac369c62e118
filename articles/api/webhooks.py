"""`/api/v1/webhooks/`: the desk's webhook endpoints, their deliveries, and a test event on demand."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from articles.api.filtering import KnownParametersMixin
from articles.api.filters import WebhookEndpointFilter
from articles.models import WebhookDelivery, WebhookEndpoint
from articles.webhooks import delivery


class WebhookPermission(DjangoModelPermissions):
    """Endpoints hold secrets: reading them needs `view_webhookendpoint` (editors), as writing needs the rest."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["articles.view_webhookendpoint"],
        "HEAD": ["articles.view_webhookendpoint"],
        "OPTIONS": ["articles.view_webhookendpoint"],
    }


# `whsec_` and base64 of at least 18 bytes, in whole groups of four (with padding).
WHSEC_FORMAT = r"^whsec_(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class WebhookEndpointSerializer(serializers.ModelSerializer):
    secret = serializers.RegexField(
        WHSEC_FORMAT,
        max_length=100,
        required=False,
        help_text="`whsec_` and base64 of at least 18 bytes; generated when omitted.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(WebhookEndpoint.Event.choices), required=False, help_text="Empty: every event."
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "secret", "events", "enabled", "failing_since", "disabled_reason"]
        read_only_fields = ["failing_since", "disabled_reason"]

    def validate_secret(self, value):
        from articles.webhooks.signing import secret_bytes

        try:
            if len(secret_bytes(value)) < 18:
                raise ValueError
        except ValueError:
            raise serializers.ValidationError("A secret is `whsec_` and at least 18 bytes in base64.") from None
        return value

    def update(self, instance, validated_data):
        if validated_data.get("enabled") and not instance.enabled:
            validated_data |= {"disabled_reason": "", "failing_since": None}  # enabled again: a fresh start
        return super().update(instance, validated_data)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "message_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "latency_ms",
            "response_excerpt",
            "created_at",
            "delivered_at",
        ]


class WebhookEndpointViewSet(KnownParametersMixin, viewsets.ModelViewSet):
    """Webhook endpoints (editors only): where events are POSTed, signed as Standard Webhooks says.

    `GET /webhooks/{id}/deliveries/` lists an endpoint's recent deliveries; `POST /webhooks/{id}/test/` sends it a
    `webhook.test` event.
    """

    queryset = WebhookEndpoint.objects.all()
    serializer_class = WebhookEndpointSerializer
    permission_classes = [WebhookPermission]
    filterset_class = WebhookEndpointFilter

    @extend_schema(responses={200: WebhookDeliverySerializer(many=True)})
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer, pagination_class=None)
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        rows = endpoint.deliveries.order_by("-id")[:100]
        return Response(WebhookDeliverySerializer(rows, many=True).data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"], serializer_class=WebhookDeliverySerializer)
    def test(self, request, pk=None):
        sent = delivery.send_test_event(self.get_object())
        return Response(WebhookDeliverySerializer(sent).data, status=status.HTTP_202_ACCEPTED)
