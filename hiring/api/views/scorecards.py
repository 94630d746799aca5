"""Scorecards: filled in, submitted and corrected by their interviewer, with ETags
against lost updates; also in Greenhouse Harvest's shape."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hiring import access, audit, selectors, services
from hiring.api import filters
from hiring.api.errors import PreconditionFailed, if_match_version
from hiring.api.idempotency import idempotent
from hiring.api.permissions import EditsOwnScorecard
from hiring.api.schema import error
from hiring.api.serializers.greenhouse import GreenhouseScorecardSerializer
from hiring.api.serializers.scorecards import (
    ScorecardDraftSerializer,
    ScorecardReviseSerializer,
    ScorecardSerializer,
    ScorecardSubmitSerializer,
)
from hiring.api.views.base import ApiViewSet
from hiring.models import AuditAction, Scorecard


def etag(card: Scorecard) -> str:
    return f'"{card.pk}-{card.row_version}"'


def expected_version(request, card: Scorecard) -> int | None:
    """The row_version the client edited (from If-Match), or None for no check."""
    return if_match_version(request, etag(card), card.row_version)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag you last read. When the scorecard has changed since, "
    "the request is refused with 412 and nothing changes.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=["200"],
    required=True,
    description="The scorecard's version; send it back as If-Match.",
)


def scorecard_write_schema(request_serializer, summary: str):
    return extend_schema(
        summary=summary,
        request=request_serializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ScorecardSerializer, 412: error(412)},
    )


@extend_schema_view(
    retrieve=extend_schema(parameters=[ETAG]),
)
class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Scorecards: created when an interviewer joins an interview's panel;
    filled in, submitted and corrected by that interviewer."""

    serializer_class = ScorecardSerializer
    permission_classes = [IsAuthenticated, EditsOwnScorecard]
    filterset_class = filters.ScorecardFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    WRITES = ("partial_update", "submit", "revise")

    def get_queryset(self):
        return selectors.scorecards_with_content(access.scorecards_for(self.request.user))

    def get_object(self):
        if self.action not in self.WRITES:
            return super().get_object()
        # A write only needs to find the scorecard (the service loads its content under
        # lock); its interviewer finds their own without the visibility query.
        card = access.scorecard_to_change(self.request.user, self.lookup_id())
        if card is None:
            raise Http404
        self.check_object_permissions(self.request, card)
        return card

    def retrieve(self, request, *args, **kwargs):
        card = self.get_object()
        audit.record(action=AuditAction.VIEW, object_type="scorecard", object_id=card.pk)
        return self._respond(card)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _record_reads(page, AuditAction.VIEW)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _respond(self, card: Scorecard) -> Response:
        return Response(self.get_serializer(card).data, headers={"ETag": etag(card)})

    def _content(self, request, serializer_class) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "ratings" in data:
            data["ratings"] = [services.RatingInput(**rating) for rating in data["ratings"]]
        return data

    def _write(self, service, request, serializer_class) -> Response:
        card = self.get_object()
        version = expected_version(request, card)  # a stale If-Match fails before any work
        content = self._content(request, serializer_class)
        try:
            saved = service(scorecard=card, by=request.user, expected_version=version, **content)
        except services.StaleVersion:  # changed between our read and the service's lock
            raise PreconditionFailed() from None
        return self._respond(saved)  # as saved, with its content loaded by the service

    @scorecard_write_schema(ScorecardDraftSerializer, "Edit a draft scorecard")
    def partial_update(self, request, pk=None):
        return self._write(services.scorecard_save_draft, request, ScorecardDraftSerializer)

    @scorecard_write_schema(
        ScorecardSubmitSerializer, "Submit a scorecard (400 lists every unmet requirement)"
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        return self._write(services.scorecard_submit, request, ScorecardSubmitSerializer)

    @scorecard_write_schema(
        ScorecardReviseSerializer, "Correct a submitted scorecard, with a reason"
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def revise(self, request, pk=None):
        return self._write(services.scorecard_revise, request, ScorecardReviseSerializer)

    @extend_schema(
        summary="A scorecard in Greenhouse Harvest's scorecard shape",
        responses={200: GreenhouseScorecardSerializer},
    )
    @action(detail=True, methods=["get"], url_path="greenhouse")
    def greenhouse(self, request, pk=None):
        card = self.get_object()
        _record_reads([card], AuditAction.EXPORT, "greenhouse")
        return Response(GreenhouseScorecardSerializer(card).data)

    @extend_schema(
        summary="Scorecards in Greenhouse Harvest's scorecard shape",
        description="The same filters as the scorecard list; `updated_after` pulls only "
        "what changed since the last sync.",
        responses={200: GreenhouseScorecardSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="greenhouse", url_name="greenhouse-list")
    def greenhouse_list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _record_reads(page, AuditAction.EXPORT, "greenhouse")
        return self.get_paginated_response(GreenhouseScorecardSerializer(page, many=True).data)


def _record_reads(cards, action: AuditAction, *what: str) -> None:
    """One INSERT for the page of scorecards shown (none for an empty page)."""
    if cards:
        audit.record_reads(
            action=action, object_type="scorecard", object_ids=[c.pk for c in cards], fields=what
        )
