"""The pages' routes. Other code links to these names: ``hiring:…`` for the
interviewer and hiring-lead pages, ``intake:…`` for the role intake, and Django's
own names for the account pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from hiring import converters  # noqa: F401  (registers <id:…>)
from hiring.pages.views import accounts, briefs, candidates, intake, kits, roles, scorecards

app_name = "hiring"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("scorecards/", scorecards.my_scorecards, name="my_scorecards"),
    path("scorecards/<id:pk>/", scorecards.scorecard, name="scorecard"),
    path("scorecards/<id:pk>/revise/", scorecards.scorecard_revise, name="scorecard_revise"),
    path("interviews/<id:pk>/kit/", kits.interview_kit, name="interview_kit"),
    path("roles/", roles.my_roles, name="my_roles"),
    path("roles/<id:pk>/compare/", roles.compare, name="compare"),
    path("roles/<id:pk>/brief/", briefs.brief, name="brief"),
    path("roles/<id:pk>/brief/edit/", briefs.brief_edit, name="brief_edit"),
    path("roles/<id:pk>/brief/regenerate/", briefs.brief_regenerate, name="brief_regenerate"),
    path("applications/<id:pk>/", candidates.candidate, name="candidate"),
]

# At /intake/, in the "intake" namespace.
intake_patterns = [
    path("", intake.intake_start, name="start"),
    path("<id:pk>/", intake.intake_created, name="created"),
]


def _account_page(view, template: str):
    return view.as_view(template_name=f"hiring/account/{template}.html")


# At /accounts/. Django's admin app ships its own registration/password_* templates
# and comes first in INSTALLED_APPS, so the account pages name the templates they use.
account_patterns = [
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        _account_page(auth_views.PasswordResetDoneView, "password_reset_done"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        _account_page(auth_views.PasswordResetConfirmView, "password_reset_confirm"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        _account_page(auth_views.PasswordResetCompleteView, "password_reset_complete"),
        name="password_reset_complete",
    ),
    path(
        "password_change/",
        _account_page(auth_views.PasswordChangeView, "password_change_form"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        _account_page(auth_views.PasswordChangeDoneView, "password_change_done"),
        name="password_change_done",
    ),
]
