"""What every API viewset shares: lookups among what the caller may see, strict
query parameters, and create / replace / upsert through a service."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hiring.api import filters
from hiring.api.idempotency import idempotent
from hiring.api.permissions import ManagesHiringData
from hiring.api.serializers.base import upsert_serializer
from hiring.converters import IdConverter
from hiring.validators import EXTERNAL_ID_PATTERN, ExternalIdValidator


def validate_external_id(value: str) -> None:
    """The external id in a URL: one the ATS could have stored (400 otherwise)."""
    try:
        ExternalIdValidator()(value)
    except DjangoValidationError as error:
        raise ValidationError({"external_id": error.messages}) from None


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every API viewset."""

    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend, filters.StrictOrderingFilter]
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ("id",)

    def lookup_id(self) -> int:
        """The id in a detail URL: 1 to 2**63 - 1, as in <id:…> routes (404 otherwise)."""
        try:
            return IdConverter().to_python(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except ValueError:
            raise Http404 from None

    def get_object(self):
        # Filters and ordering are for lists: a detail URL names one object, found
        # among those the caller may see.
        obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.lookup_id()})
        self.check_object_permissions(self.request, obj)
        return obj

    def filter_queryset(self, queryset):
        params = self.request.query_params
        repeated = [name for name in params if len(params.getlist(name)) > 1]
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})
        return super().filter_queryset(queryset)


def apply(instance, data: Mapping):
    for name, value in data.items():
        setattr(instance, name, value)
    return instance


EXTERNAL_ID = OpenApiParameter(
    "external_id",
    {"type": "string", "minLength": 1, "maxLength": 120, "pattern": EXTERNAL_ID_PATTERN},
    OpenApiParameter.PATH,
    description="The ATS's id for the object.",
)


class ManagedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Everyone reads what they may see; recruiters and the integration key write.
    PUT replaces, PATCH changes the fields given, PUT by-external-id upserts."""

    permission_classes = [IsAuthenticated, ManagesHiringData]

    def save(self, serializer) -> None:
        """Create or update ``serializer.instance`` from its validated data (a service call)."""
        raise NotImplementedError

    @transaction.atomic
    def perform_create(self, serializer):
        self.save(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @transaction.atomic
    def perform_update(self, serializer):
        self.save(serializer)
        # Re-read so relations prefetched before the change are not shown stale.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def upsert(self, request, external_id=None):
        validate_external_id(external_id)
        instance = self.get_queryset().filter(external_id=external_id).first()
        serializer_class = upsert_serializer(self.get_serializer_class())
        serializer = serializer_class(
            instance, data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["external_id"] = external_id
        if instance is None:
            self.perform_create(serializer)
            return Response(serializer.data, status=status.HTTP_201_CREATED)
        self.perform_update(serializer)
        return Response(serializer.data)


def upsert_schema(serializer, noun: str):
    serializer = upsert_serializer(serializer)
    return extend_schema(
        summary=f"Create or replace the {noun} with this external_id",
        description=f"Creates the {noun} (201) when no {noun} has this external_id, "
        "otherwise replaces it (200). Fields left out take their defaults; the "
        "external_id comes from the URL.",
        parameters=[EXTERNAL_ID],
        request=serializer,
        responses={200: serializer, 201: serializer},
    )


BY_EXTERNAL_ID = r"by-external-id/(?P<external_id>[^/]+)"
