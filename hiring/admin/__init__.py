"""The recruiters' admin, one module per area. Every save goes through ``hiring.services``."""

from django.contrib import admin

from hiring.admin import intake, keys, logins, people, pipeline, profiles, scorecards, webhooks

admin.site.site_header = "Scorecards administration"
admin.site.site_title = "Scorecards"
admin.site.index_title = "Roles, candidates and scorecards"

__all__ = ["intake", "keys", "logins", "people", "pipeline", "profiles", "scorecards", "webhooks"]
