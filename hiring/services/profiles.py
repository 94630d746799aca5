"""Skill profiles: a version in use never changes; edits go to a new version. The
built-in interview kits (questions and work samples) load into the built-in profiles."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch

from hiring.models import (
    Competency,
    InterviewQuestion,
    Skill,
    SkillProfile,
    WorkSample,
)


@dataclass
class ProfileCopy:
    profile: SkillProfile
    competencies: dict[int, Competency]  # old competency id -> its copy
    skills: dict[int, Skill]  # old skill id -> its copy
    questions: dict[int, InterviewQuestion]  # old question id -> its copy
    work_samples: dict[int, WorkSample]  # old work sample id -> its copy


SKILL_FIELDS = (
    "key",
    "name",
    "description",
    "order",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
)
QUESTION_FIELDS = ("text", "listen_for", "order")
WORK_SAMPLE_FIELDS = (
    "title",
    "format",
    "instructions",
    "order",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
)


def _copied(item, fields: tuple[str, ...], **parent):
    return type(item)(**parent, **{name: getattr(item, name) for name in fields})


@transaction.atomic
def profile_new_version(*, profile: SkillProfile) -> ProfileCopy:
    """Copy a profile, its competencies, skills and interview kit (questions, work
    samples) into the next version number."""
    latest = SkillProfile.objects.filter(slug=profile.slug).aggregate(v=Max("version"))["v"]
    copy = SkillProfile.objects.create(
        slug=profile.slug,
        version=latest + 1,
        name=profile.name,
        description=profile.description,
        is_builtin=profile.is_builtin,
    )
    result = ProfileCopy(profile=copy, competencies={}, skills={}, questions={}, work_samples={})
    old_questions, new_questions, old_samples, new_samples = [], [], [], []
    competencies = profile.competencies.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.prefetch_related("questions")), "work_samples"
    )
    for competency in competencies:
        new_competency = Competency.objects.create(
            profile=copy,
            key=competency.key,
            name=competency.name,
            description=competency.description,
            weight=competency.weight,
            order=competency.order,
        )
        result.competencies[competency.pk] = new_competency
        for sample in competency.work_samples.all():
            old_samples.append(sample)
            new_samples.append(_copied(sample, WORK_SAMPLE_FIELDS, competency=new_competency))
        for skill in competency.skills.all():
            new_skill = _copied(skill, SKILL_FIELDS, competency=new_competency)
            new_skill.save()
            result.skills[skill.pk] = new_skill
            for question in skill.questions.all():
                old_questions.append(question)
                new_questions.append(_copied(question, QUESTION_FIELDS, skill=new_skill))
    # PostgreSQL and SQLite both return the new ids from a bulk insert.
    InterviewQuestion.objects.bulk_create(new_questions)
    WorkSample.objects.bulk_create(new_samples)
    result.questions = {old.pk: new for old, new in zip(old_questions, new_questions, strict=True)}
    result.work_samples = {old.pk: new for old, new in zip(old_samples, new_samples, strict=True)}
    return result


# ---------------------------------------------------------------------------
# The built-in interview kits (fixtures/kits.json)
# ---------------------------------------------------------------------------

BUILTIN_VERSION = 1


@dataclass
class _KitPlaces:
    """Where the built-in kit goes: the built-in profiles' first version, by key."""

    competencies: dict[tuple[str, str], Competency]
    skills: dict[tuple[str, str, str], Skill]
    skills_with_questions: set[int]
    competencies_with_samples: set[int]

    @classmethod
    def load(cls) -> "_KitPlaces":
        profiles = SkillProfile.objects.filter(is_builtin=True, version=BUILTIN_VERSION)
        competencies = Competency.objects.filter(profile__in=profiles).select_related("profile")
        skills = Skill.objects.filter(competency__profile__in=profiles).select_related(
            "competency__profile"
        )
        return cls(
            competencies={(c.profile.slug, c.key): c for c in competencies},
            skills={(s.competency.profile.slug, s.competency.key, s.key): s for s in skills},
            skills_with_questions=set(
                InterviewQuestion.objects.filter(skill__in=skills).values_list(
                    "skill_id", flat=True
                )
            ),
            competencies_with_samples=set(
                WorkSample.objects.filter(competency__in=competencies).values_list(
                    "competency_id", flat=True
                )
            ),
        )


def _entries(tree, depth: int, path: str, errors: dict) -> list[tuple[tuple[str, ...], list]]:
    """The lists at ``depth`` levels of nesting under ``tree``, with the keys leading there."""
    if depth == 0:
        if isinstance(tree, list):
            return [((), tree)]
        errors[path] = ["Give a list."]
        return []
    if not isinstance(tree, Mapping):
        errors[path] = ["Give an object keyed by profile, competency or skill."]
        return []
    found = []
    for key, subtree in tree.items():
        for keys, items in _entries(subtree, depth - 1, f"{path}.{key}", errors):
            found.append(((str(key), *keys), items))
    return found


def _built(model, items: list, path: str, errors: dict, **parent) -> list:
    """Unsaved rows of ``model`` from the file's items (positions from 1), each checked
    by the model's own field rules; what breaks them goes into ``errors``."""
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors[f"{path}.{index}"] = ["Give an object."]
            continue
        known = {field.name for field in model._meta.fields} - {"id", "order", *parent}
        unknown = sorted(set(item) - known)
        if unknown:
            errors[f"{path}.{index}"] = [f"Unknown fields: {', '.join(unknown)}."]
            continue
        row = model(**parent, **{**item, "order": index + 1})
        try:
            # The parent was looked up above: checking it exists would cost a query a row.
            row.full_clean(exclude=list(parent))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{path}.{index}.{field}"] = messages
        rows.append(row)
    return rows


@transaction.atomic
def kits_load_builtin(*, kits: Mapping) -> int:
    """Add the built-in interview kit to version 1 of the built-in profiles; return how
    many rows were created.

    ``kits`` is ``fixtures/kits.json``: ``{"questions": {profile: {competency: {skill:
    [question, ...]}}}, "work_samples": {profile: {competency: [sample, ...]}}}``. A
    skill's questions are created only when it has none, and a competency's work samples
    only when it has none, so loading again - or after a person edited, added or removed
    some - changes nothing. Anything the file names that does not exist, or content the
    models' rules refuse, is a ``ValidationError`` naming its path, and nothing is saved.
    """
    if not isinstance(kits, Mapping):
        raise ValidationError({"kits": ["Give an object with questions and work_samples."]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(kits) - {"questions", "work_samples"})
    if unknown:
        errors["kits"] = [f"Unknown parts: {', '.join(map(str, unknown))}."]
    places = _KitPlaces.load()
    questions, samples = [], []
    for keys, items in _entries(kits.get("questions", {}), 3, "questions", errors):
        path = ".".join(("questions", *keys))
        skill = places.skills.get(keys)
        if skill is None:
            errors[path] = ["No such skill in the built-in profiles."]
        elif skill.pk not in places.skills_with_questions:
            questions += _built(InterviewQuestion, items, path, errors, skill=skill)
    for keys, items in _entries(kits.get("work_samples", {}), 2, "work_samples", errors):
        path = ".".join(("work_samples", *keys))
        competency = places.competencies.get(keys)
        if competency is None:
            errors[path] = ["No such competency in the built-in profiles."]
        elif competency.pk not in places.competencies_with_samples:
            samples += _built(WorkSample, items, path, errors, competency=competency)
    if errors:
        raise ValidationError(errors)
    InterviewQuestion.objects.bulk_create(questions)
    WorkSample.objects.bulk_create(samples)
    return len(questions) + len(samples)
