"""/api/ routes: viewsets on ``router``, other /api/v1/ paths in ``v1_urlpatterns``;
unknown paths end at the JSON 404 at the bottom."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from hiring import converters  # noqa: F401  (registers <id:…>)
from hiring.api.errors import error_payload
from hiring.api.views import (
    audit,
    briefs,
    comparison,
    decisions,
    intake,
    me,
    pipeline,
    profiles,
    scorecards,
    webhooks,
)

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("profiles", profiles.ProfileViewSet, basename="profile")
router.register("roles", pipeline.RoleViewSet, basename="role")
router.register("candidates", pipeline.CandidateViewSet, basename="candidate")
router.register("applications", pipeline.ApplicationViewSet, basename="application")
router.register("interviews", pipeline.InterviewViewSet, basename="interview")
router.register("scorecards", scorecards.ScorecardViewSet, basename="scorecard")
router.register("webhooks", webhooks.WebhookEndpointViewSet, basename="webhook")
router.register("audit-events", audit.AuditEventViewSet, basename="audit-event")

# Non-router /api/v1/ paths go here.
v1_urlpatterns = [
    path(
        "applications/<id:pk>/decisions/",
        decisions.ApplicationDecisionsView.as_view(),
        name="application-decisions",
    ),
    path(
        "roles/<id:pk>/comparison/",
        comparison.RoleComparisonView.as_view(),
        name="role-comparison",
    ),
    path("roles/<int:pk>/brief/", briefs.RoleBriefView.as_view(), name="role-brief"),
    path(
        "roles/<int:pk>/brief/regenerate/",
        briefs.RoleBriefRegenerateView.as_view(),
        name="role-brief-regenerate",
    ),
    path("me/", me.MeView.as_view(), name="me"),
    path("role-intake/", intake.RoleIntakeRecommendView.as_view(), name="role-intake"),
    path(
        "role-intake/questions/",
        intake.RoleIntakeQuestionsView.as_view(),
        name="role-intake-questions",
    ),
    path("role-intake/roles/", intake.RoleIntakeRolesView.as_view(), name="role-intake-roles"),
    path("role-intake/<id:pk>/", intake.RoleIntakeDetailView.as_view(), name="role-intake-detail"),
]


@csrf_exempt  # answers every method with the same 404; nothing to protect
def not_found(request, rest=""):
    """Unknown API paths answer in the API's error shape, not with an HTML page."""
    hint = "" if request.path.endswith("/") else " (API paths end with a slash)"
    return JsonResponse(error_payload("not_found", f"No such API path{hint}."), status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (CSP: script-src 'self').
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="hiring/swagger_ui.html"
        ),
        name="docs",
    ),
    path("v1/", include(router.urls)),
    path("v1/", include(v1_urlpatterns)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
