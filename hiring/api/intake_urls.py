"""/api/v1/role-intake/ — included from scorecards/urls.py."""

from django.urls import path

from hiring.api import intake

urlpatterns = [
    path("", intake.RoleIntakeRecommendView.as_view(), name="role-intake"),
    path("questions/", intake.RoleIntakeQuestionsView.as_view(), name="role-intake-questions"),
    path("roles/", intake.RoleIntakeRolesView.as_view(), name="role-intake-roles"),
    path("<int:pk>/", intake.RoleIntakeDetailView.as_view(), name="role-intake-detail"),
]
