"""``/api/v1/applications/{id}/decisions/``: the decision history, and recording one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from hiring import access, selectors, services
from hiring.api.idempotency import idempotent
from hiring.api.pagination import CursorPagination
from hiring.api.serializers.decisions import DecisionInputSerializer, DecisionSerializer


class NewestFirst(CursorPagination):
    ordering = ("-id",)


class ApplicationDecisionsView(generics.GenericAPIView):
    """The decisions on an application, newest first (the first is current). The role's
    hiring lead and recruiters record them; the integration key reads."""

    serializer_class = DecisionSerializer
    pagination_class = NewestFirst
    filter_backends = []

    def application(self):
        visible = access.applications_for(self.request.user).select_related("role")
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    @extend_schema(
        summary="The decision history of an application, newest first",
        responses={200: DecisionSerializer(many=True)},
    )
    def get(self, request, pk: int):
        decisions = access.decisions_for(request.user).filter(application=self.application())
        page = self.paginate_queryset(selectors.decisions_with_author(decisions))
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a decision (override_reason required when it overrides the panel)",
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        application = self.application()
        if not access.may_decide(request.user, application):
            raise PermissionDenied(services.MAY_NOT_DECIDE)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.decision_record(
            application=application, by=request.user, **serializer.validated_data
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
