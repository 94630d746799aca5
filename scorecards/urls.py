from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hiring.views import PasswordResetView

# Django's admin app ships its own registration/password_* templates and comes
# first in INSTALLED_APPS, so the account pages name the templates they use.
account_urls = [
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="hiring/account/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="hiring/account/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="hiring/account/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(
            template_name="hiring/account/password_change_form.html"
        ),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="hiring/account/password_change_done.html"
        ),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("hiring.api.urls")),
    path("accounts/", include(account_urls)),
    # login/ (registration/login.html) and logout/ come from Django as they are.
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("hiring.urls")),
]
