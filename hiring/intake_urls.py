"""The role-intake page, at /intake/ (included from scorecards/urls.py)."""

from django.urls import path

from hiring import intake_views

app_name = "intake"

urlpatterns = [
    path("", intake_views.intake_start, name="start"),
    path("<int:pk>/", intake_views.intake_created, name="created"),
]
