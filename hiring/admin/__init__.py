"""The recruiters' admin, one module per area. Every save goes through ``hiring.services``."""

from hiring.admin import (
    audit,
    intake,
    keys,
    logins,
    people,
    pipeline,
    profiles,
    scorecards,
    webhooks,
)

__all__ = [
    "audit",
    "intake",
    "keys",
    "logins",
    "people",
    "pipeline",
    "profiles",
    "scorecards",
    "webhooks",
]
