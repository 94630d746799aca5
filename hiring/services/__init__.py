"""Every write in the service goes through these functions, by sub-domain.

The API, the pages, the admin and the management commands call them, so each
domain rule lives here once. Rule violations raise ``ValidationError`` with a
dict of field paths (``"ratings.<skill key>"``, ``"overall_recommendation"``…)
to messages, which each caller shows next to the field it concerns.
"""

from hiring.services.briefs import (
    FieldChange,
    brief_get_or_generate,
    brief_is_stale,
    brief_regenerate,
    brief_save,
    interview_plan_defaults,
    interview_plan_stage,
)
from hiring.services.decisions import (
    AGAINST_MAJORITY,
    MAY_NOT_DECIDE,
    PENDING_SCORECARDS,
    DecisionSnapshot,
    decision_override_grounds,
    decision_record,
    decision_snapshot,
    decision_validate,
)
from hiring.services.keys import (
    api_key_create,
    api_key_lookup,
    api_key_rename,
    api_key_revoke,
    api_keys_revoke,
)
from hiring.services.people import (
    grant_recruiter_permissions,
    login_lockouts_unlock,
    user_logins_unlock,
    users_get_or_invite,
)
from hiring.services.pipeline import (
    application_feedback_complete,
    application_save,
    candidate_save,
    interview_feedback_complete,
    interview_focus_competencies,
    interview_save,
    interview_set_interviewers,
    interview_validate,
    interview_validate_panel,
    role_save,
    role_validate_profile,
    scorecards_delete,
    scorecards_validate_delete,
    validate_weight_overrides,
)
from hiring.services.privacy import (
    CandidateErased,
    application_closed,
    candidate_erase,
    candidates_apply_retention,
    candidates_due_for_retention,
    refuse_erased,
)
from hiring.services.profiles import ProfileCopy, kits_load_builtin, profile_new_version
from hiring.services.reminders import (
    ReminderRun,
    feedback_reminders_send,
    scorecards_notify_overdue,
)
from hiring.services.scorecards import (
    RatingInput,
    StaleVersion,
    rating_needs_note,
    scorecard_revise,
    scorecard_save_draft,
    scorecard_snapshot,
    scorecard_submit,
    scorecard_unmet_requirements,
)
from hiring.services.webhooks import deliveries_redeliver, endpoint_delete, endpoint_save

__all__ = [
    "AGAINST_MAJORITY",
    "MAY_NOT_DECIDE",
    "PENDING_SCORECARDS",
    "DecisionSnapshot",
    "CandidateErased",
    "FieldChange",
    "ProfileCopy",
    "RatingInput",
    "ReminderRun",
    "StaleVersion",
    "api_key_create",
    "api_key_lookup",
    "api_key_rename",
    "api_key_revoke",
    "api_keys_revoke",
    "application_closed",
    "application_feedback_complete",
    "application_save",
    "brief_get_or_generate",
    "brief_is_stale",
    "brief_regenerate",
    "brief_save",
    "candidate_erase",
    "candidate_save",
    "decision_override_grounds",
    "decision_record",
    "decision_snapshot",
    "decision_validate",
    "candidates_apply_retention",
    "candidates_due_for_retention",
    "deliveries_redeliver",
    "endpoint_delete",
    "endpoint_save",
    "feedback_reminders_send",
    "grant_recruiter_permissions",
    "interview_feedback_complete",
    "interview_focus_competencies",
    "interview_plan_defaults",
    "interview_plan_stage",
    "interview_save",
    "interview_set_interviewers",
    "interview_validate",
    "interview_validate_panel",
    "kits_load_builtin",
    "login_lockouts_unlock",
    "profile_new_version",
    "rating_needs_note",
    "role_save",
    "role_validate_profile",
    "refuse_erased",
    "scorecard_revise",
    "scorecard_save_draft",
    "scorecard_snapshot",
    "scorecard_submit",
    "scorecard_unmet_requirements",
    "scorecards_delete",
    "scorecards_notify_overdue",
    "scorecards_validate_delete",
    "user_logins_unlock",
    "users_get_or_invite",
    "validate_weight_overrides",
]
