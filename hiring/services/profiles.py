"""Skill profiles: a version in use never changes; edits go to a new version."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from hiring.models import Competency, Skill, SkillProfile


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
