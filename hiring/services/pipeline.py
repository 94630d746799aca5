"""The pipeline: roles, candidates, applications and interviews with their panels."""

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from hiring import audit, selectors
from hiring.models import (
    Application,
    AuditAction,
    Candidate,
    Competency,
    Interview,
    Role,
    Scorecard,
    ScorecardStatus,
    SkillProfile,
    User,
)
from hiring.services.privacy import refuse_erased
from hiring.webhooks import outbox, payloads

MAX_WEIGHT = 999


def validate_weight_overrides(*, profile: SkillProfile, overrides: dict) -> dict[str, float]:
    """Competency key → weight, each a number from 0 to 999 for a competency of the profile."""
    if not isinstance(overrides, dict):
        raise ValidationError({"weight_overrides": ["Give an object of competency key → weight."]})
    keys = set(profile.competencies.values_list("key", flat=True))
    errors, clean = [], {}
    for key, weight in overrides.items():
        if key not in keys:
            errors.append(f"'{key}' is not a competency of {profile}.")
            continue
        try:
            value = Decimal(str(weight))
        except (InvalidOperation, ValueError):
            value = Decimal(-1)
        if isinstance(weight, bool) or not value.is_finite() or not 0 <= value <= MAX_WEIGHT:
            errors.append(f"The weight of '{key}' must be a number from 0 to {MAX_WEIGHT}.")
            continue
        clean[key] = float(value)
    if errors:
        raise ValidationError({"weight_overrides": errors})
    return clean


PROFILE_FIXED_MESSAGE = (
    "The profile cannot change once the role has scorecards: they are scored against "
    "its current profile. Open a new role for another profile."
)


def role_validate_profile(*, role: Role, profile: SkillProfile) -> None:
    """Once a role has any scorecard its profile is fixed (409 ``conflict`` in the API):
    the scorecards are pinned to it, and the comparison needs them all on one profile.
    A newer version of the same profile is still allowed: the comparison counts scores
    pinned to an older version under the same skill keys."""
    if role.pk is None or profile is None:
        return
    # Every scorecard is pinned to the role's profile when it is made, so one on
    # another profile than the one asked for means the profile would change.
    others = Scorecard.objects.filter(interview__application__role_id=role.pk).exclude(
        profile__slug=profile.slug
    )
    if others.exists():
        raise ValidationError({"profile": [ValidationError(PROFILE_FIXED_MESSAGE, "conflict")]})


@transaction.atomic
def role_save(*, role: Role) -> Role:
    """Validate and save a role (new or changed)."""
    role_validate_profile(role=role, profile=role.profile)
    role.weight_overrides = validate_weight_overrides(
        profile=role.profile, overrides=role.weight_overrides or {}
    )
    role.full_clean()
    audit.save(role)
    return role


MOVED_MESSAGE = "This cannot change once created; create a new one instead."


def refuse_moving(obj, *relations: str) -> None:
    """What an object belongs to is fixed once it exists: moving an application to
    another role would re-home its interviews and scorecards."""
    if obj.pk is None:
        return
    columns = [f"{name}_id" for name in relations]
    saved = type(obj).objects.filter(pk=obj.pk).values(*columns).first() or {}
    moved = [
        name
        for name in relations
        if saved.get(f"{name}_id", getattr(obj, f"{name}_id")) != getattr(obj, f"{name}_id")
    ]
    if moved:
        raise ValidationError({name: [MOVED_MESSAGE] for name in moved})


@transaction.atomic
def candidate_save(*, candidate: Candidate) -> Candidate:
    refuse_erased(candidate)
    candidate.full_clean()
    audit.save(candidate)
    return candidate


@transaction.atomic
def application_save(*, application: Application) -> Application:
    refuse_moving(application, "role", "candidate")
    refuse_erased(application.candidate)
    application.full_clean()
    audit.save(application)
    return application


def interview_focus_competencies(
    *, interview: Interview, competency_keys: Sequence[str]
) -> list[Competency]:
    """The competencies these keys name in the role's profile; unknown keys are refused."""
    profile = interview.application.role.profile
    by_key = {c.key: c for c in profile.competencies.all()}
    unknown = [key for key in competency_keys if key not in by_key]
    if unknown:
        messages = [f"'{key}' is not a competency of {profile}." for key in unknown]
        raise ValidationError({"focus_competencies": messages})
    return [by_key[key] for key in competency_keys]


def interview_validate_panel(*, interview: Interview, interviewers: Iterable[User]) -> None:
    """A submitted scorecard is never dropped, so its author stays on the panel."""
    if interview.pk is None:
        return
    wanted = {user.pk for user in interviewers}
    leaving = (
        interview.scorecards.filter(status=ScorecardStatus.SUBMITTED)
        .exclude(interviewer_id__in=wanted)
        .select_related("interviewer")
    )
    messages = [
        f"{card.interviewer.email} has submitted a scorecard and stays on the panel."
        for card in leaving
    ]
    if messages:
        raise ValidationError({"interviewers": messages})


def interview_validate(
    *,
    interview: Interview,
    focus_competency_keys: Sequence[str] | None = None,
    interviewers: Iterable[User] | None = None,
) -> list[Competency] | None:
    """Every rule an interview write must meet; returns the focus competencies named."""
    refuse_moving(interview, "application")
    refuse_erased(interview.application.candidate)
    # The table's one check constraint (the length's range) repeats the field's
    # validators, which full_clean runs; checking it again would cost a savepoint and a
    # query on every interview write. The database still enforces it.
    interview.full_clean(validate_constraints=False)
    if interviewers is not None:
        interview_validate_panel(interview=interview, interviewers=interviewers)
    if focus_competency_keys is None:
        return None
    return interview_focus_competencies(interview=interview, competency_keys=focus_competency_keys)


@transaction.atomic
def interview_save(
    *,
    interview: Interview,
    focus_competency_keys: Sequence[str] | None = None,
    interviewers: Iterable[User] | None = None,
) -> Interview:
    """Save an interview; optionally set its focus competencies and its panel."""
    interviewers = None if interviewers is None else list(interviewers)
    focus = interview_validate(
        interview=interview, focus_competency_keys=focus_competency_keys, interviewers=interviewers
    )
    audit_fields = interview.changed_fields()
    creating = interview.pk is None
    interview.save()
    if focus is not None:
        interview.focus_competencies.set(focus)
        audit_fields.append("focus_competencies")
    if interviewers is not None:
        _set_panel(interview, interviewers)  # validated above
        audit_fields.append("interviewers")
    audit.record(
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        object_type="interview",
        object_id=interview.pk,
        fields=audit_fields,
    )
    return interview


@transaction.atomic
def interview_set_interviewers(*, interview: Interview, interviewers: Iterable[User]) -> None:
    """Make the panel exactly these people.

    A new interviewer gets a draft scorecard pinned to the role's profile
    version. Removing someone drops their draft; a submitted scorecard is
    never dropped, so removing its author is refused.
    """
    interviewers = list(interviewers)
    refuse_erased(interview.application.candidate)
    interview_validate_panel(interview=interview, interviewers=interviewers)
    _set_panel(interview, interviewers)
    audit.record(
        action=AuditAction.UPDATE,
        object_type="interview",
        object_id=interview.pk,
        fields=["interviewers"],
    )


SUBMITTED_SCORECARDS_STAY = (
    "A submitted scorecard is never deleted: it stays on record, and a correction is made "
    "by its interviewer as a revision, with a reason."
)


def scorecards_validate_delete(*, scorecards: Iterable[Scorecard]) -> None:
    """Only drafts may be deleted (which takes their interviewers off the panel)."""
    if any(card.is_submitted for card in scorecards):
        raise ValidationError({"status": [SUBMITTED_SCORECARDS_STAY]})


@transaction.atomic
def scorecards_delete(*, scorecards: Iterable[Scorecard]) -> int:
    """Delete draft scorecards. The panel is the set of scorecards, so each deletion takes
    its interviewer off the interview's panel, through the panel's own rule (an interview
    left with only submitted feedback is complete, and says so)."""
    cards = list(scorecards)
    scorecards_validate_delete(scorecards=cards)
    leaving: dict[int, set[int]] = {}
    for card in cards:
        leaving.setdefault(card.interview_id, set()).add(card.interviewer_id)
    interviews = Interview.objects.filter(pk__in=leaving).select_related("application__role")
    for interview in interviews:
        staying = User.objects.filter(scorecards__interview=interview).exclude(
            pk__in=leaving[interview.pk]
        )
        interview_set_interviewers(interview=interview, interviewers=staying)
    return len(cards)


def _set_panel(interview: Interview, interviewers: Iterable[User]) -> None:
    wanted = {user.pk: user for user in interviewers}
    statuses = dict(interview.scorecards.values_list("interviewer_id", "status"))
    current = set(statuses)
    was_complete = _all_submitted(statuses.values())
    Scorecard.objects.filter(interview=interview, interviewer_id__in=current - set(wanted)).delete()
    profile_id = interview.application.role.profile_id
    Scorecard.objects.bulk_create(
        Scorecard(interview=interview, interviewer=user, profile_id=profile_id)
        for uid, user in wanted.items()
        if uid not in current
    )
    # Dropping the last draft leaves only submitted feedback: that completes it too.
    if not was_complete:
        emit_feedback_complete(interview)


def interview_feedback_complete(interview: Interview) -> bool:
    """Every interviewer on the panel has submitted (an empty panel has no feedback)."""
    return _all_submitted(interview.scorecards.values_list("status", flat=True))


def _all_submitted(statuses: Iterable[str]) -> bool:
    return set(statuses) == {ScorecardStatus.SUBMITTED}


def application_feedback_complete(application: Application) -> bool:
    """The application has interviews and every one of them is feedback-complete."""
    cards = Scorecard.objects.filter(interview=OuterRef("pk"))
    incomplete = ~Exists(cards) | Exists(cards.filter(status=ScorecardStatus.DRAFT))
    counts = application.interviews.aggregate(
        interviews=Count("pk"), incomplete=Count("pk", filter=Q(incomplete))
    )
    return counts["interviews"] > 0 and counts["incomplete"] == 0


def feedback_complete_events(interview: Interview) -> list[tuple[str, dict]]:
    """The events announcing an interview (and maybe its application) that has just
    become complete: none while someone on its panel has not submitted."""
    if not interview_feedback_complete(interview):
        return []
    loaded = selectors.interviews_with_panel().get(pk=interview.pk)
    events = [("interview.feedback_complete", payloads.interview_payload(loaded))]
    if application_feedback_complete(loaded.application):
        selectors.load_current_decision([loaded.application])
        events.append(
            ("application.feedback_complete", payloads.application_payload(loaded.application))
        )
    return events


def emit_feedback_complete(interview: Interview) -> None:
    """Announce an interview (and maybe its application) that has just become complete."""
    outbox.emit_all(feedback_complete_events(interview))
