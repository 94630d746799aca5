"""Who the caller is."""

from rest_framework import serializers


class MeSerializer(serializers.Serializer):
    integration = serializers.BooleanField(help_text="True for the ATS's integration key.")
    email = serializers.EmailField(required=False)
    name = serializers.CharField(required=False)
    groups = serializers.ListField(child=serializers.CharField(), required=False)
