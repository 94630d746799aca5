"""A brief's fields from its role, in named steps. Pure given what it is handed: the
role, its profile's competencies (skills loaded), its salary band and, when the role came
from the intake, the intake's answers. ``hiring.services.briefs`` reads and stores."""

from collections.abc import Mapping, Sequence

from django.conf import settings

from hiring.briefs import texts
from hiring.models import Competency, Role, SalaryBand


def brief_fields(
    *,
    role: Role,
    competencies: Sequence[Competency],
    band: SalaryBand | None,
    intake_answers: Mapping[str, str],
) -> dict:
    """Every generated field of ``BRIEF_FIELDS``."""
    weighted = [(c, w) for c, w in role.competency_weights(competencies) if w > 0]
    return {
        "summary": summary(role=role, band=band, intake_answers=intake_answers),
        "responsibilities": responsibilities(role=role, weighted=weighted),
        "requirements": requirements(role=role, weighted=weighted),
        "deliverable_90_days": deliverable(role=role, intake_answers=intake_answers),
        "interview_plan": interview_plan(role=role, competencies=competencies),
    }


def generated_from(*, role: Role, competencies: Sequence[Competency]) -> dict:
    """What a brief was generated from: when it changes, the brief may be out of date."""
    return {
        "profile": role.profile.slug,
        "profile_version": role.profile.version,
        "level": role.level,
        "weights": {c.key: w for c, w in role.competency_weights(competencies)},
        "intake": role.intake_id,
    }


def summary(*, role: Role, band: SalaryBand | None, intake_answers: Mapping[str, str]) -> str:
    slug = role.profile.slug
    purpose = texts.PURPOSE.get(slug) or texts.GENERIC_PURPOSE.format(profile=role.profile.name)
    sentences = [f"The {role.title}{_team(role)} {purpose}"]
    sentences += [
        texts.INTAKE_SUMMARY[pair]
        for pair in intake_answers.items()
        if pair in texts.INTAKE_SUMMARY
    ]
    sentences.append(texts.LEVEL_SCOPE[role.level])
    return " ".join(sentences)


def _team(role: Role) -> str:
    return f" in the {role.team} team" if role.team else ""


def responsibilities(*, role: Role, weighted: list[tuple[Competency, float]]) -> list[str]:
    """One line per competency that counts, heaviest first."""
    template = texts.DUTY[role.level]
    return [template.format(duty=_duty(competency)) for competency, _ in weighted]


def _duty(competency: Competency) -> str:
    if competency.key in texts.DUTIES:
        return texts.DUTIES[competency.key]
    return f"{competency.name.lower()}" + (
        f" ({competency.description.rstrip('.')})" if competency.description else ""
    )


def requirements(*, role: Role, weighted: list[tuple[Competency, float]]) -> list[str]:
    """One line per competency that counts, heaviest first, naming its skills; then the
    experience the level asks for."""
    template = texts.SKILL[role.level]
    lines = [
        template.format(
            area=competency.name,
            skills=", ".join(skill.name for skill in competency.skills.all()),
        )
        for competency, _ in weighted
    ]
    return [*lines, texts.EXPERIENCE[role.level]]


def deliverable(*, role: Role, intake_answers: Mapping[str, str]) -> str:
    for pair in intake_answers.items():
        if pair in texts.INTAKE_DELIVERABLE:
            return texts.INTAKE_DELIVERABLE[pair]
    return texts.DELIVERABLE.get(role.profile.slug, texts.GENERIC_DELIVERABLE)


# ---------------------------------------------------------------------------
# The interview plan
# ---------------------------------------------------------------------------


def interview_plan(*, role: Role, competencies: Sequence[Competency]) -> list[dict]:
    """The profile's built-in plan (or one made from its competencies), with focus
    competencies added where the role's weights ask for more cover than it gives."""
    keys = {c.key for c in competencies}
    built_in = texts.PLANS.get(role.profile.slug)
    if built_in and all(key in keys for *_, focus in built_in for key in focus):
        plan = [_stage(key, name, minutes, focus) for key, name, minutes, focus in built_in]
    else:
        plan = _plan_from_competencies(role, competencies)
    return _cover(plan, role.competency_weights(competencies))


def _stage(key: str, name: str, minutes: int, focus: list[str]) -> dict:
    return {"key": key, "name": name, "duration_minutes": minutes, "focus_competencies": focus}


def _plan_from_competencies(role: Role, competencies: Sequence[Competency]) -> list[dict]:
    """A screen on the two heaviest competencies, then one interview per two competencies."""
    ordered = [c for c, _ in role.competency_weights(competencies)]
    plan = [_stage("screen", "Technical screen", 45, [c.key for c in ordered[:2]])]
    for number, start in enumerate(range(0, len(ordered), 2), start=1):
        pair = ordered[start : start + 2]
        name = " and ".join(c.name for c in pair)
        plan.append(_stage(f"interview-{number}", name, 60, [c.key for c in pair]))
    return plan


def _cover(plan: list[dict], weights: list[tuple[Competency, float]]) -> list[dict]:
    """Add each under-covered competency to the interviews with the fewest focus
    competencies that do not have it yet, until the coverage rule holds."""
    counted = [(c.key, w) for c, w in weights if w > 0]
    top = max((w for _, w in counted), default=0)
    for key, weight in counted:
        needed = min(2 if weight == top else 1, len(plan))
        holders = [stage for stage in plan if key in stage["focus_competencies"]]
        others = sorted(
            (stage for stage in plan if key not in stage["focus_competencies"]),
            key=lambda stage: len(stage["focus_competencies"]),
        )
        for stage in others[: max(0, needed - len(holders))]:
            stage["focus_competencies"] = [*stage["focus_competencies"], key]
    return plan


# ---------------------------------------------------------------------------
# Cost
# ---------------------------------------------------------------------------


def brief_cost(*, band: SalaryBand | None, recruitment_cost: int | None) -> dict | None:
    """The first-year cost range: the salary band plus what hiring costs besides (the
    role's own figure, else ``RECRUITMENT_COST_PER_HIRE``). None without a band."""
    if band is None:
        return None
    extra = settings.RECRUITMENT_COST_PER_HIRE if recruitment_cost is None else recruitment_cost
    return {
        "currency": band.currency,
        "recruitment_cost": extra,
        "recruitment_cost_source": "setting" if recruitment_cost is None else "role",
        "first_year_minimum": band.minimum + extra,
        "first_year_maximum": band.maximum + extra,
        "open_ended": band.open_ended,
    }


def cost_display(cost: dict | None) -> str:
    if cost is None:
        return "—"
    plus = "+" if cost["open_ended"] else ""
    return (
        f"{cost['currency']} {cost['first_year_minimum']:,} – {cost['first_year_maximum']:,}{plus}"
    )
