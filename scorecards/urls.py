from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from hiring.api.comparison import MeView, RoleComparisonView

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "api/v1/roles/<int:pk>/comparison/",
        RoleComparisonView.as_view(),
        name="role-comparison",
    ),
    path("api/v1/me/", MeView.as_view(), name="me"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
