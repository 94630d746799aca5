"""Every write in the service goes through these functions.

The API, the pages, the admin and the management commands call them, so each
domain rule lives here once. Rule violations raise ``ValidationError`` with a
dict of field paths (``"ratings.<skill key>"``, ``"overall_recommendation"``…)
to messages, which each caller shows next to the field it concerns.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from hiring import webhooks
from hiring.models import (
    INTERVIEWERS,
    Application,
    Candidate,
    Competency,
    Interview,
    Rating,
    Recommendation,
    Role,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
    Skill,
    SkillProfile,
    User,
)


class StaleVersion(Exception):
    """The caller edited a scorecard from an out-of-date copy (``If-Match``)."""


# ---------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------


@dataclass
class ProfileCopy:
    profile: SkillProfile
    competencies: dict[int, Competency]  # old competency id -> its copy
    skills: dict[int, Skill]  # old skill id -> its copy


@transaction.atomic
def profile_new_version(*, profile: SkillProfile) -> ProfileCopy:
    """Copy a profile, its competencies and skills into the next version number."""
    latest = SkillProfile.objects.filter(slug=profile.slug).aggregate(v=Max("version"))["v"]
    copy = SkillProfile.objects.create(
        slug=profile.slug,
        version=latest + 1,
        name=profile.name,
        description=profile.description,
        is_builtin=profile.is_builtin,
    )
    competencies, skills = {}, {}
    for competency in profile.competencies.prefetch_related("skills"):
        old_id = competency.pk
        new_competency = Competency.objects.create(
            profile=copy,
            key=competency.key,
            name=competency.name,
            description=competency.description,
            weight=competency.weight,
            order=competency.order,
        )
        competencies[old_id] = new_competency
        for skill in competency.skills.all():
            old_skill_id = skill.pk
            skills[old_skill_id] = Skill.objects.create(
                competency=new_competency,
                key=skill.key,
                name=skill.name,
                description=skill.description,
                order=skill.order,
                anchor_1=skill.anchor_1,
                anchor_2=skill.anchor_2,
                anchor_3=skill.anchor_3,
                anchor_4=skill.anchor_4,
            )
    return ProfileCopy(profile=copy, competencies=competencies, skills=skills)


# ---------------------------------------------------------------------------
# Roles, candidates, applications, interviews
# ---------------------------------------------------------------------------


def validate_weight_overrides(*, profile: SkillProfile, overrides: dict) -> dict[str, float]:
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
        if isinstance(weight, bool) or not value.is_finite() or value < 0 or value > 999:
            errors.append(f"The weight of '{key}' must be a number from 0 to 999.")
            continue
        clean[key] = float(value)
    if errors:
        raise ValidationError({"weight_overrides": errors})
    return clean


@transaction.atomic
def role_save(*, role: Role) -> Role:
    """Validate and save a role (new or changed)."""
    role.weight_overrides = validate_weight_overrides(
        profile=role.profile, overrides=role.weight_overrides or {}
    )
    role.full_clean()
    role.save()
    return role


def candidate_save(*, candidate: Candidate) -> Candidate:
    candidate.full_clean()
    candidate.save()
    return candidate


def application_save(*, application: Application) -> Application:
    application.full_clean()
    application.save()
    return application


def user_get_or_invite(*, email: str) -> User:
    """The user with this email, or a new interviewer with no usable password.

    Invited people set their password through the password-reset flow.
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
        user.groups.add(Group.objects.get(name=INTERVIEWERS))
    return user


@transaction.atomic
def interview_save(
    *,
    interview: Interview,
    focus_competency_keys: Sequence[str] | None = None,
    interviewers: Iterable[User] | None = None,
) -> Interview:
    """Save an interview; optionally set its focus competencies and its panel."""
    interview.full_clean()
    interview.save()
    if focus_competency_keys is not None:
        interview_set_focus(interview=interview, competency_keys=focus_competency_keys)
    if interviewers is not None:
        interview_set_interviewers(interview=interview, interviewers=interviewers)
    return interview


def interview_set_focus(*, interview: Interview, competency_keys: Sequence[str]) -> None:
    profile = interview.application.role.profile
    by_key = {c.key: c for c in profile.competencies.all()}
    unknown = [key for key in competency_keys if key not in by_key]
    if unknown:
        messages = [f"'{key}' is not a competency of {profile}." for key in unknown]
        raise ValidationError({"focus_competencies": messages})
    interview.focus_competencies.set([by_key[key] for key in competency_keys])


@transaction.atomic
def interview_set_interviewers(*, interview: Interview, interviewers: Iterable[User]) -> None:
    """Make the panel exactly these people.

    A new interviewer gets a draft scorecard pinned to the role's profile
    version. Removing someone drops their draft; a submitted scorecard is
    never dropped, so removing its author is refused.
    """
    wanted = {user.pk: user for user in interviewers}
    current = {card.interviewer_id: card for card in interview.scorecards.all()}
    was_complete = interview_feedback_complete(interview)
    kept_submitted = [
        card for uid, card in current.items() if uid not in wanted and card.is_submitted
    ]
    if kept_submitted:
        raise ValidationError(
            {
                "interviewers": [
                    f"{card.interviewer.email} has submitted a scorecard and stays on the panel."
                    for card in kept_submitted
                ]
            }
        )
    Scorecard.objects.filter(
        interview=interview, interviewer_id__in=set(current) - set(wanted)
    ).delete()
    profile = interview.application.role.profile
    Scorecard.objects.bulk_create(
        [
            Scorecard(interview=interview, interviewer=user, profile=profile)
            for uid, user in wanted.items()
            if uid not in current
        ]
    )
    # Dropping the last draft leaves only submitted feedback: that completes it too.
    if not was_complete:
        _emit_feedback_complete(interview)


def interview_feedback_complete(interview: Interview) -> bool:
    """Every interviewer on the panel has submitted (an empty panel has no feedback)."""
    statuses = set(interview.scorecards.values_list("status", flat=True))
    return statuses == {ScorecardStatus.SUBMITTED}


def application_feedback_complete(application: Application) -> bool:
    """The application has interviews and every one of them is feedback-complete."""
    cards = Scorecard.objects.filter(interview=OuterRef("pk"))
    incomplete = application.interviews.filter(
        ~Exists(cards) | Exists(cards.filter(status=ScorecardStatus.DRAFT))
    )
    return application.interviews.exists() and not incomplete.exists()


def _emit_feedback_complete(interview: Interview) -> None:
    """Announce an interview (and maybe its application) that has just become complete."""
    if not interview_feedback_complete(interview):
        return
    webhooks.emit("interview.feedback_complete", interview)
    if application_feedback_complete(interview.application):
        webhooks.emit("application.feedback_complete", interview.application)


# ---------------------------------------------------------------------------
# Scorecards
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    skill: str  # the skill's key
    score: int | None = None
    not_assessed: bool = False
    note: str = ""


def scorecard_focus_skills(scorecard: Scorecard) -> list[Skill]:
    """The skills the interviewer must rate: those of the interview's focus competencies
    (every competency of the pinned profile when the interview names none)."""
    focus_ids = [c.pk for c in scorecard.interview.focus_competencies.all()]
    skills = Skill.objects.filter(competency__profile_id=scorecard.profile_id)
    if focus_ids:
        skills = skills.filter(competency_id__in=focus_ids)
    return list(skills.select_related("competency"))


def scorecard_unmet_requirements(
    scorecard: Scorecard, *, focus_skills: Sequence[Skill] | None = None
) -> dict[str, list[str]]:
    """What stops this scorecard from being submitted, by field path.

    The single source of the submission rules: every focus skill rated or
    marked not assessed, an overall recommendation, and evidence for every
    score at either extreme (1 or 4).
    """
    if focus_skills is None:
        focus_skills = scorecard_focus_skills(scorecard)
    ratings = {r.skill_id: r for r in scorecard.ratings.all()}
    errors: dict[str, list[str]] = {}
    for skill in focus_skills:
        rating = ratings.get(skill.pk)
        if rating is None or not rating.is_answered:
            errors[f"ratings.{skill.key}"] = ["Rate this skill or mark it as not assessed."]
        elif rating.score in (1, 4) and not rating.note.strip():
            errors[f"ratings.{skill.key}"] = [
                f"A score of {rating.score} needs an evidence note saying what you saw."
            ]
    if not scorecard.overall_recommendation:
        errors["overall_recommendation"] = ["Choose an overall recommendation."]
    return errors


def _lock_own(scorecard: Scorecard, by: User, expected_version: int | None, verb: str) -> Scorecard:
    """The scorecard, locked for this write: only its interviewer may write it, and only
    from the version they last read (when they say which)."""
    locked = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if locked.interviewer_id != by.pk:
        raise ValidationError({"scorecard": [f"Only the interviewer can {verb} their scorecard."]})
    if expected_version is not None and locked.row_version != expected_version:
        raise StaleVersion()
    return locked


def _validate_ratings(scorecard: Scorecard, ratings: Sequence[RatingInput]) -> dict[str, Skill]:
    skills = {
        skill.key: skill for skill in Skill.objects.filter(competency__profile=scorecard.profile_id)
    }
    errors: dict[str, list[str]] = {}
    seen = set()
    for rating in ratings:
        path = f"ratings.{rating.skill}"
        if rating.skill not in skills:
            errors[path] = [f"'{rating.skill}' is not a skill of {scorecard.profile}."]
        elif rating.skill in seen:
            errors[path] = ["This skill is rated twice."]
        elif rating.score is not None and (
            isinstance(rating.score, bool) or rating.score not in (1, 2, 3, 4)
        ):
            errors[path] = ["A score is 1, 2, 3 or 4 (or null for not assessed)."]
        elif rating.score is not None and rating.not_assessed:
            errors[path] = ["A skill cannot be both scored and not assessed."]
        seen.add(rating.skill)
    if errors:
        raise ValidationError(errors)
    return skills


def _validate_recommendation(value: str | None) -> None:
    if value and value not in Recommendation.values:
        raise ValidationError(
            {"overall_recommendation": [f"Choose one of {', '.join(Recommendation.values)}."]}
        )


def _apply_content(
    scorecard: Scorecard,
    *,
    ratings: Sequence[RatingInput] | None,
    overall_recommendation: str | None,
    summary: str | None,
    replace_ratings: bool,
) -> None:
    if ratings is not None:
        skills = _validate_ratings(scorecard, ratings)
        if replace_ratings:
            scorecard.ratings.exclude(skill__key__in=[r.skill for r in ratings]).delete()
        for rating in ratings:
            Rating.objects.update_or_create(
                scorecard=scorecard,
                skill=skills[rating.skill],
                defaults={
                    "score": rating.score,
                    "not_assessed": rating.not_assessed,
                    "note": rating.note or "",
                },
            )
    if overall_recommendation is not None:
        scorecard.overall_recommendation = overall_recommendation
    if summary is not None:
        scorecard.summary = summary


def _bump(scorecard: Scorecard) -> None:
    scorecard.row_version = F("row_version") + 1
    scorecard.save()
    scorecard.refresh_from_db()


@transaction.atomic
def scorecard_save_draft(
    *,
    scorecard: Scorecard,
    by: User,
    ratings: Sequence[RatingInput] | None = None,
    overall_recommendation: str | None = None,
    summary: str | None = None,
    expected_version: int | None = None,
) -> Scorecard:
    """Save work in progress. Ratings given are upserted by skill; others are kept."""
    scorecard = _lock_own(scorecard, by, expected_version, "edit")
    if scorecard.is_submitted:
        raise ValidationError(
            {"status": ["This scorecard is submitted; correct it with a revision and a reason."]}
        )
    _validate_recommendation(overall_recommendation)
    _apply_content(
        scorecard,
        ratings=ratings,
        overall_recommendation=overall_recommendation,
        summary=summary,
        replace_ratings=False,
    )
    _bump(scorecard)
    return scorecard


@transaction.atomic
def scorecard_submit(
    *, scorecard: Scorecard, by: User, expected_version: int | None = None
) -> Scorecard:
    scorecard = _lock_own(scorecard, by, expected_version, "submit")
    if scorecard.is_submitted:
        raise ValidationError({"status": ["This scorecard is already submitted."]})
    errors = scorecard_unmet_requirements(scorecard)
    if errors:
        raise ValidationError(errors)
    scorecard.status = ScorecardStatus.SUBMITTED
    scorecard.submitted_at = timezone.now()
    _bump(scorecard)
    # In this transaction: a submission that rolls back announces nothing.
    webhooks.emit("scorecard.submitted", scorecard)
    _emit_feedback_complete(scorecard.interview)
    return scorecard


def scorecard_snapshot(scorecard: Scorecard) -> dict:
    """The scorecard's content, as kept in its revision history."""
    return {
        "revision": scorecard.revision,
        "overall_recommendation": scorecard.overall_recommendation,
        "summary": scorecard.summary,
        "submitted_at": scorecard.submitted_at.isoformat() if scorecard.submitted_at else None,
        "ratings": [
            {
                "skill": rating.skill.key,
                "score": rating.score,
                "not_assessed": rating.not_assessed,
                "note": rating.note,
            }
            for rating in scorecard.ratings.select_related("skill")
        ],
    }


@transaction.atomic
def scorecard_revise(
    *,
    scorecard: Scorecard,
    by: User,
    reason: str,
    ratings: Sequence[RatingInput] | None = None,
    overall_recommendation: str | None = None,
    summary: str | None = None,
    expected_version: int | None = None,
) -> Scorecard:
    """Correct a submitted scorecard. The old content is kept with who, when and why;
    the corrected scorecard must still meet every submission rule."""
    scorecard = _lock_own(scorecard, by, expected_version, "revise")
    if not scorecard.is_submitted:
        raise ValidationError({"status": ["Only a submitted scorecard can be revised."]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the scorecard is being corrected."]})
    _validate_recommendation(overall_recommendation)
    previous = scorecard_snapshot(scorecard)
    _apply_content(
        scorecard,
        ratings=ratings,
        overall_recommendation=overall_recommendation,
        summary=summary,
        replace_ratings=False,
    )
    errors = scorecard_unmet_requirements(scorecard)
    if errors:
        # Roll back the whole correction: the submitted version stays as it was.
        raise ValidationError(errors)
    scorecard.revision += 1
    ScorecardRevision.objects.create(
        scorecard=scorecard,
        number=scorecard.revision,
        reason=reason.strip(),
        revised_by=by,
        previous=previous,
    )
    _bump(scorecard)
    webhooks.emit("scorecard.revised", scorecard)
    return scorecard
