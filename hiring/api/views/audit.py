"""The audit log: recruiters list it; nobody writes it through the API."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from hiring import access
from hiring.api import filters
from hiring.api.permissions import ReadsAuditLog
from hiring.api.schema import error
from hiring.api.serializers.audit import AuditEventSerializer
from hiring.api.views.base import ApiViewSet


@extend_schema_view(
    list=extend_schema(
        summary="The audit log (recruiters)",
        responses={
            200: AuditEventSerializer(many=True),
            403: error(403, "The audit log is for recruiters."),
        },
    )
)
class AuditEventViewSet(mixins.ListModelMixin, ApiViewSet):
    """Who created, changed, submitted, revised, decided, erased, exported or viewed
    what, newest last by id (recruiters only)."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated, ReadsAuditLog]
    filterset_class = filters.AuditEventFilter
    ordering_fields = ["id", "occurred_at"]

    def get_queryset(self):
        return access.audit_events_for(self.request.user).select_related("actor")
