from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("intake/", include("hiring.intake_urls")),
    path("api/v1/role-intake/", include("hiring.api.intake_urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
