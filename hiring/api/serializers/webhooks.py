"""Webhook endpoints."""

from rest_framework import serializers

from hiring.api.fields import Boolean, Choice, RuleText, Text
from hiring.api.serializers.base import StrictMixin
from hiring.models import WebhookEndpoint
from hiring.validators import WebhookSecretValidator, WebhookUrlValidator
from hiring.webhooks.events import EVENT_TYPES


class WebhookEndpointSerializer(StrictMixin, serializers.ModelSerializer):
    """Where events are POSTed, which events, and the secret that signs them. The
    secret is write-only: shown once, in the response that creates the endpoint."""

    url = Text(
        max_length=500,
        trim_whitespace=False,
        validators=[WebhookUrlValidator()],
        help_text="Receives a signed POST per event: http or https, with a domain name "
        "(internationalised names in their xn-- form, or as typed), an IPv4 address, an IPv6 "
        "address in brackets or localhost. Only public addresses, unless the deployment "
        "allows private networks (WEBHOOK_ALLOW_PRIVATE_NETWORKS).",
    )
    description = Text(max_length=200, allow_blank=True, default="")
    events = serializers.ListField(
        child=Choice(choices=list(EVENT_TYPES)),
        min_length=1,
        max_length=len(EVENT_TYPES),
        help_text="The event types this endpoint receives.",
    )
    is_active = Boolean(default=True, help_text="Inactive endpoints are sent nothing.")
    secret = RuleText(
        rule=WebhookSecretValidator(),
        write_only=True,
        required=False,
        trim_whitespace=False,
        min_length=16,
        max_length=200,
        help_text="Signs every delivery (Scorecards-Signature). Leave it out on create to "
        "get a random one, shown once in the response; leave it out on update to keep it.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "secret",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """The new endpoint, with its secret: the only time the API shows it."""

    secret = serializers.CharField(read_only=True, help_text="Keep it: it is not shown again.")
