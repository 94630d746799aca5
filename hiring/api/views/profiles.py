"""Skill profiles: versioned checklists (read-only)."""

from rest_framework import mixins

from hiring import selectors
from hiring.api import filters
from hiring.api.serializers.profiles import ProfileSerializer
from hiring.api.views.base import ApiViewSet


class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Skill profiles: versioned checklists of competencies and skills (read-only)."""

    serializer_class = ProfileSerializer
    filterset_class = filters.ProfileFilter
    ordering_fields = ["id", "slug", "version"]

    def get_queryset(self):
        return selectors.profiles_with_checklist()
