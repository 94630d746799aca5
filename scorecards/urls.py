from django.contrib import admin
from django.urls import include, path

from hiring.pages.urls import account_patterns, intake_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("hiring.api.urls")),
    path("accounts/", include(account_patterns)),
    # login/ (registration/login.html) and logout/ come from Django as they are.
    path("accounts/", include("django.contrib.auth.urls")),
    path("intake/", include((intake_patterns, "intake"))),
    path("", include("hiring.pages.urls")),
]
