from django.contrib import admin
from django.urls import include, path

from hiring.pages.urls import account_patterns, intake_patterns
from scorecards import health, metrics

urlpatterns = [
    # Operations: unauthenticated health checks (README, "Operating it").
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/", include("hiring.api.urls")),
    path("accounts/", include(account_patterns)),
    # login/ (registration/login.html) and logout/ come from Django as they are.
    path("accounts/", include("django.contrib.auth.urls")),
    path("intake/", include((intake_patterns, "intake"))),
    path("", include("hiring.pages.urls")),
]

# Styled pages for the site, the API's JSON error shape under /api/.
handler400 = "hiring.pages.views.errors.bad_request"
handler403 = "hiring.pages.views.errors.permission_denied"
handler404 = "hiring.pages.views.errors.page_not_found"
handler500 = "hiring.pages.views.errors.server_error"
