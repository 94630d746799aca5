"""The admin site: its index grouped by what recruiters do, everyday work first.

Django's admin builds the default site (``django.contrib.admin.site``) from
``AdminConfig.default_site`` when it is first used, which is while the app's admin
modules register their models: so this module, and the app config naming it, live
outside ``hiring`` and import none of it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import reverse

# (heading, anchor, models in the order recruiters reach for them). A registered
# model missing here is listed under the last heading rather than hidden.
GROUPS = [
    (
        "Hiring",
        "hiring",
        [
            "hiring.Role",
            "hiring.Candidate",
            "hiring.Application",
            "hiring.Interview",
            "hiring.Scorecard",
            "hiring.ScorecardRevision",
            "hiring.RoleIntake",
        ],
    ),
    (
        "Profiles",
        "profiles",
        [
            "hiring.SkillProfile",
            "hiring.Competency",
            "hiring.Skill",
            "hiring.SalaryBand",
            "hiring.IntakeQuestion",
        ],
    ),
    (
        "Integrations",
        "integrations",
        [
            "hiring.ApiKey",
            "hiring.WebhookEndpoint",
            "hiring.WebhookDelivery",
            "hiring.WebhookEvent",
        ],
    ),
    (
        "System",
        "system",
        [
            "hiring.User",
            "hiring.LoginLockout",
            "hiring.AuditEvent",
            "auth.Group",
            "hiring.IdempotencyRecord",
        ],
    ),
]
EVERY_MODEL = [label for *_, labels in GROUPS for label in labels]


class AutocompleteView(AutocompleteJsonView):
    """Autocomplete results, plus what the searched model's admin adds for the page's
    scripts (``autocomplete_extra``): an application carries its role's profile."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        extra = getattr(self.model_admin, "autocomplete_extra", None)
        return {**result, **extra(obj)} if extra else result


class ScorecardsAdminSite(admin.AdminSite):
    site_header = "Scorecards administration"
    site_title = "Scorecards"
    index_title = "Roles, candidates and scorecards"

    def get_app_list(self, request, app_label=None):
        app_dict = self._build_app_dict(request, app_label)
        by_label = {
            model["model"]._meta.label: model
            for app in app_dict.values()
            for model in app["models"]
        }
        if app_label:
            # One app's own page (the breadcrumbs link there): its models, in the same order.
            return [
                {**app, "models": _take(by_label, EVERY_MODEL) + _by_name(by_label)}
                for app in app_dict.values()
            ]
        index = reverse("admin:index", current_app=self.name)
        groups = [
            {
                "name": name,
                "app_label": anchor,
                "app_url": f"{index}#{anchor}",
                "has_module_perms": True,
                "models": _take(by_label, labels),
            }
            for name, anchor, labels in GROUPS
        ]
        groups[-1]["models"] += _by_name(by_label)
        return [group for group in groups if group["models"]]

    def autocomplete_view(self, request):
        return AutocompleteView.as_view(admin_site=self)(request)


def _take(by_label: dict, labels: list[str]) -> list[dict]:
    """The models these labels name, in this order, removed from ``by_label``."""
    return [by_label.pop(label) for label in labels if label in by_label]


def _by_name(by_label: dict) -> list[dict]:
    return sorted(by_label.values(), key=lambda model: model["name"])


class AdminConfig(DjangoAdminConfig):
    """Django's admin app, on this site (``INSTALLED_APPS``)."""

    default_site = "scorecards.admin_site.ScorecardsAdminSite"
