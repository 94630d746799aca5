"""/api/ routes. Other API features register their viewsets on ``router`` or add
paths to ``v1_urlpatterns``; unknown paths end at the JSON 404 at the bottom."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from hiring.api import comparison, views
from hiring.api.errors import error_payload

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("profiles", views.ProfileViewSet, basename="profile")
router.register("roles", views.RoleViewSet, basename="role")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("interviews", views.InterviewViewSet, basename="interview")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("webhooks", views.WebhookEndpointViewSet, basename="webhook")

# Non-router /api/v1/ paths go here.
v1_urlpatterns = [
    path(
        "roles/<int:pk>/comparison/",
        comparison.RoleComparisonView.as_view(),
        name="role-comparison",
    ),
    path("me/", comparison.MeView.as_view(), name="me"),
    path("role-intake/", include("hiring.api.intake_urls")),
]


@csrf_exempt  # answers every method with the same 404; nothing to protect
def not_found(request, rest=""):
    """Unknown API paths answer in the API's error shape, not with an HTML page."""
    hint = "" if request.path.endswith("/") else " (API paths end with a slash)"
    return JsonResponse(error_payload("not_found", f"No such API path{hint}."), status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    path("v1/", include(v1_urlpatterns)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
