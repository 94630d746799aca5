"""The scorecard service's data model, one module per area.

Rules the database can hold are constraints; field rules are validators
(``hiring.validators``) set on the fields; the rest live in ``hiring.services``,
which every writer (API, pages, admin, commands) calls.
"""

from hiring.models.audit import AuditAction, AuditEvent, TracksLoadedValues
from hiring.models.briefs import BRIEF_FIELDS, RoleBrief, plan_coverage_problems
from hiring.models.decisions import (
    LATEST_FIRST,
    STATUS_AFTER,
    Decision,
    DecisionValue,
    current_decision_value,
)
from hiring.models.intake import IntakeAnswer, IntakeQuestion, RoleIntake
from hiring.models.keys import ApiKey, IdempotencyRecord
from hiring.models.logins import LoginLockout
from hiring.models.people import HIRING_LEADS, INTERVIEWERS, RECRUITERS, User, UserManager
from hiring.models.pipeline import (
    DEFAULT_STAGE,
    ERASED_NAME,
    Application,
    ApplicationStatus,
    Candidate,
    ComparisonRefresh,
    FeedbackVisibility,
    Interview,
    Role,
    RoleStatus,
    interview_ends_at,
)
from hiring.models.profiles import (
    Competency,
    InterviewQuestion,
    Level,
    SalaryBand,
    Skill,
    SkillProfile,
    WorkSample,
    WorkSampleFormat,
)
from hiring.models.scorecards import (
    FeedbackReminder,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardQuerySet,
    ScorecardRevision,
    ScorecardStatus,
    feedback_due_after,
    feedback_due_at,
)
from hiring.models.webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "BRIEF_FIELDS",
    "ERASED_NAME",
    "HIRING_LEADS",
    "INTERVIEWERS",
    "LATEST_FIRST",
    "DEFAULT_STAGE",
    "RECRUITERS",
    "STATUS_AFTER",
    "ApiKey",
    "AuditAction",
    "AuditEvent",
    "Application",
    "ApplicationStatus",
    "Candidate",
    "ComparisonRefresh",
    "Competency",
    "Decision",
    "DecisionValue",
    "DeliveryStatus",
    "FeedbackReminder",
    "FeedbackVisibility",
    "IdempotencyRecord",
    "IntakeAnswer",
    "IntakeQuestion",
    "InterviewQuestion",
    "Interview",
    "Level",
    "LoginLockout",
    "Rating",
    "Recommendation",
    "Role",
    "RoleBrief",
    "RoleIntake",
    "RoleStatus",
    "SalaryBand",
    "Scorecard",
    "ScorecardQuerySet",
    "ScorecardRevision",
    "ScorecardStatus",
    "Skill",
    "SkillProfile",
    "TracksLoadedValues",
    "User",
    "UserManager",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WorkSample",
    "WorkSampleFormat",
    "current_decision_value",
    "feedback_due_after",
    "feedback_due_at",
    "interview_ends_at",
    "plan_coverage_problems",
]
