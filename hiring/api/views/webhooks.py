"""Webhook endpoints: where the service POSTs signed events."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hiring import access, services
from hiring.api.idempotency import idempotent
from hiring.api.permissions import ManagesHiringData
from hiring.api.serializers.webhooks import (
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)
from hiring.api.views.base import ApiViewSet, apply
from hiring.models import WebhookEndpoint


@extend_schema_view(
    create=extend_schema(
        summary="Create a webhook endpoint (the response shows its secret, once)",
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer},
    ),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Where the service POSTs signed events (recruiters and the integration key)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [IsAuthenticated, ManagesHiringData]

    def get_queryset(self):
        return access.webhook_endpoints_for(self.request.user)

    @idempotent
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_save(endpoint=WebhookEndpoint(**serializer.validated_data))
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer):
        endpoint = apply(serializer.instance, serializer.validated_data)
        serializer.instance = services.endpoint_save(endpoint=endpoint)

    def perform_destroy(self, instance):
        services.endpoint_delete(endpoint=instance)
