"""Role briefs: generated once, edited by people, regenerated without overwriting
their edits unless they accept the new text. The wording is ``hiring.briefs``."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hiring.briefs.generate import brief_fields, generated_from
from hiring.models import BRIEF_FIELDS, Application, Role, RoleBrief, User
from hiring.services.scorecards import StaleVersion

# Status of each field when a brief is regenerated.
UNCHANGED = "unchanged"  # the new text is what the brief already says
UPDATED = "updated"  # nobody had edited the field: it takes the new text
ACCEPTED = "accepted"  # a person's edit, replaced by the new text at their say
OFFERED = "offered"  # a person's edit, kept; the new text is offered


@dataclass(frozen=True)
class FieldChange:
    field: str
    status: str
    current: object  # what the brief said before
    generated: object  # what the generator writes now


def _generate(role: Role) -> tuple[dict, dict]:
    competencies = list(role.profile.competencies.prefetch_related("skills"))
    answers = role.intake.answers if role.intake_id else {}
    fields = brief_fields(
        role=role, competencies=competencies, band=role.salary_band(), intake_answers=answers
    )
    return fields, generated_from(role=role, competencies=competencies)


def brief_get_or_generate(*, role: Role) -> RoleBrief:
    """The role's brief, generated and stored the first time it is asked for (one query
    once it exists)."""
    brief = RoleBrief.objects.filter(role=role).first()
    if brief is not None:
        brief.role = role
        return brief
    return _brief_generate(role)


@transaction.atomic
def _brief_generate(role: Role) -> RoleBrief:
    fields, source = _generate(role)
    brief, _ = RoleBrief.objects.get_or_create(
        role=role,
        defaults={
            **fields,
            "generated": fields,
            "generated_from": source,
            "generated_at": timezone.now(),
        },
    )
    brief.role = role
    return brief


def _lock(brief: RoleBrief, expected_version: int | None) -> RoleBrief:
    locked = RoleBrief.objects.select_for_update().get(pk=brief.pk)
    if expected_version is not None and locked.row_version != expected_version:
        raise StaleVersion()
    locked.role = brief.role
    return locked


EDITABLE = (*BRIEF_FIELDS, "recruitment_cost")


@transaction.atomic
def brief_save(
    *, brief: RoleBrief, data: Mapping, by: User | None, expected_version: int | None = None
) -> RoleBrief:
    """A person's edit of the brief: the fields given replace the stored ones. A field
    that then differs from what was generated counts as edited."""
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    brief = _lock(brief, expected_version)
    for name, value in data.items():
        setattr(brief, name, value)
    brief.full_clean(exclude=["role"])
    brief.row_version += 1
    brief.updated_by = by
    brief.save()
    return brief


@transaction.atomic
def brief_regenerate(
    *,
    brief: RoleBrief,
    by: User | None,
    accept: Iterable[str] = (),
    preview: bool = False,
    expected_version: int | None = None,
) -> tuple[RoleBrief, list[FieldChange]]:
    """Generate the brief again from the role as it is now. Fields nobody edited take the
    new text; an edited field keeps the person's text unless ``accept`` names it, and the
    new text is offered instead. ``preview`` changes nothing and says what would happen."""
    accept = set(accept)
    unknown = sorted(accept - set(BRIEF_FIELDS))
    if unknown:
        raise ValidationError(
            {"accept": [f"'{name}' is not a field of the brief." for name in unknown]}
        )
    if not preview:
        brief = _lock(brief, expected_version)
    fields, source = _generate(brief.role)
    edited = set(brief.edited_fields)
    changes = [
        _change(name, getattr(brief, name), fields[name], name in edited, name in accept)
        for name in BRIEF_FIELDS
    ]
    if preview:
        return brief, changes
    for change in changes:
        if change.status in (UPDATED, ACCEPTED):
            setattr(brief, change.field, change.generated)
    brief.generated = fields
    brief.generated_from = source
    brief.generated_at = timezone.now()
    brief.row_version += 1
    brief.updated_by = by
    brief.save()
    return brief, changes


def _change(name: str, current, new, edited: bool, accepted: bool) -> FieldChange:
    if current == new:
        status = UNCHANGED
    elif not edited:
        status = UPDATED
    else:
        status = ACCEPTED if accepted else OFFERED
    return FieldChange(field=name, status=status, current=current, generated=new)


def brief_is_stale(brief: RoleBrief) -> bool:
    """The role's profile, level, weights or intake changed since the brief was generated."""
    role = brief.role
    competencies = list(role.profile.competencies.all())
    return brief.generated_from != generated_from(role=role, competencies=competencies)


def interview_plan_stage(*, application: Application, stage_key: str) -> dict:
    """The planned interview ``stage_key`` of the application's role brief (generated if
    the role has none yet): its name, duration and focus competencies."""
    brief = brief_get_or_generate(role=application.role)
    for stage in brief.interview_plan:
        if stage["key"] == stage_key:
            return stage
    keys = ", ".join(stage["key"] for stage in brief.interview_plan)
    raise ValidationError(
        {
            "plan_stage": [
                f"'{stage_key}' is not in the role's interview plan; choose one of {keys}."
            ]
        }
    )


def interview_plan_defaults(*, application: Application, stage_key: str, given: Mapping) -> dict:
    """An interview's fields with what ``given`` leaves out taken from the planned
    interview ``stage_key``: its name, duration and focus competencies."""
    stage = interview_plan_stage(application=application, stage_key=stage_key)
    return {
        "name": stage["name"],
        "duration_minutes": stage["duration_minutes"],
        "focus_competencies": list(stage["focus_competencies"]),
        **given,
    }
