"""``/api/v1/me/``: who the caller is, the smallest authenticated endpoint."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring import access
from hiring.api.serializers.me import MeSerializer


@extend_schema(
    summary="Who am I",
    responses={
        200: MeSerializer,
    },
)
class MeView(APIView):
    """Who the caller is: the smallest authenticated endpoint."""

    def get(self, request):
        user = request.user
        if access.is_integration(user):
            return Response({"integration": True})
        return Response(
            {
                "integration": False,
                "email": user.email,
                "name": user.get_full_name(),
                "groups": sorted(user.groups.values_list("name", flat=True)),
            }
        )
