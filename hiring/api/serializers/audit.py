"""Audit events, as recruiters read them."""

from rest_framework import serializers

from hiring.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    """Who did what, from where, to which object; field names, never their values."""

    actor = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True, help_text="The person's email."
    )
    fields = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="A change's field names, or what a read showed (comparison, csv …).",
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor",
            "api_key_name",
            "client_address",
            "action",
            "object_type",
            "object_id",
            "fields",
        ]
        read_only_fields = fields
