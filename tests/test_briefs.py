"""Role briefs: generated from the role (profile, level, weights, intake, band), stored,
edited by people and regenerated without losing their edits."""

import pytest
from django.core.exceptions import ValidationError

from hiring import services
from hiring.briefs import texts
from hiring.briefs.generate import brief_cost
from hiring.intake.services import intake_create_roles
from hiring.models import RoleBrief, SkillProfile
from tests import factories
from tests.test_intake import answers_pointing

pytestmark = pytest.mark.usefixtures("builtin_data")

LEVELS = ["junior", "mid", "senior"]
PROFILES = ["ai-engineer", "ml-engineer"]


def make_role(slug, level="mid", lead=None, **extra):
    profile = SkillProfile.objects.get(slug=slug, version=1)
    lead = lead or factories.UserFactory()
    return factories.RoleFactory(
        profile=profile, level=level, hiring_lead=lead, title="Search engineer", **extra
    )


def weights_order(role):
    return [c for c, w in role.competency_weights() if w > 0]


@pytest.mark.parametrize("slug", PROFILES)
@pytest.mark.parametrize("level", LEVELS)
def test_each_profile_and_level_gets_its_own_brief_with_requirements_heaviest_first(slug, level):
    role = make_role(slug, level)

    brief = services.brief_get_or_generate(role=role)

    assert texts.PURPOSE[slug] in brief.summary
    assert texts.LEVEL_SCOPE[level] in brief.summary
    ordered = weights_order(role)
    # One requirement per competency, heaviest first, then the experience line.
    assert len(brief.requirements) == len(ordered) + 1
    for competency, line in zip(ordered, brief.requirements, strict=False):
        assert competency.name in line
        assert line.startswith(texts.SKILL[level].split("{")[0])
    assert brief.requirements[-1] == texts.EXPERIENCE[level]
    assert [line.split(" ", 1)[0] for line in brief.responsibilities] == [
        texts.DUTY[level].split(" ", 1)[0]
    ] * len(ordered)
    assert brief.deliverable_90_days == texts.DELIVERABLE[slug]
    assert brief.edited_fields == []
    # What the plan must cover holds for the generated plan.
    brief.full_clean()


def test_the_levels_differ_in_what_the_hire_owns():
    briefs = {
        level: services.brief_get_or_generate(role=make_role("ai-engineer", level))
        for level in LEVELS
    }
    assert len({tuple(b.responsibilities) for b in briefs.values()}) == 3
    assert "Lead the end-to-end design" in briefs["senior"].responsibilities[0]
    assert "Build the end-to-end design" in briefs["junior"].responsibilities[0]


def test_a_weight_override_reorders_the_requirements_and_the_plan_covers_the_new_heaviest():
    role = make_role("ml-engineer", weight_overrides={"research-maths": 5, "mlops": 0})

    brief = services.brief_get_or_generate(role=role)

    assert brief.requirements[0].startswith("Hands-on experience with Research & mathematics")
    assert not any("MLOps" in line for line in brief.requirements)
    covering = [s for s in brief.interview_plan if "research-maths" in s["focus_competencies"]]
    assert len(covering) >= 2
    brief.full_clean()


def test_from_an_intake_the_summary_and_the_deliverable_follow_its_answers(lead):
    _, (role,) = intake_create_roles(
        answers=answers_pointing("ml-engineer"), level="senior", hiring_lead=lead, by=lead
    )

    brief = services.brief_get_or_generate(role=role)

    assert texts.INTAKE_SUMMARY[("business-goal", "improve-model")] in brief.summary
    assert texts.INTAKE_SUMMARY[("timeline", "room-to-experiment")] in brief.summary
    assert (
        brief.deliverable_90_days
        == texts.INTAKE_DELIVERABLE[("ninety-day-deliverable", "metric-improvement")]
    )
    assert brief.generated_from["intake"] == role.intake_id


def test_it_is_stored_once_generated(django_assert_num_queries):
    role = make_role("ai-engineer")
    first = services.brief_get_or_generate(role=role)
    with django_assert_num_queries(1):
        again = services.brief_get_or_generate(role=role)
    assert again.pk == first.pk
    assert RoleBrief.objects.count() == 1


def test_the_cost_is_the_band_plus_the_recruitment_cost_setting_or_the_roles_own(settings):
    settings.RECRUITMENT_COST_PER_HIRE = 20_000
    role = make_role("ai-engineer", "mid")
    band = role.salary_band()
    assert brief_cost(band=band, recruitment_cost=None) == {
        "currency": "USD",
        "recruitment_cost": 20_000,
        "recruitment_cost_source": "setting",
        "first_year_minimum": 165_000,
        "first_year_maximum": 205_000,
        "open_ended": False,
    }
    own = brief_cost(band=band, recruitment_cost=5_000)
    assert (own["first_year_minimum"], own["recruitment_cost_source"]) == (150_000, "role")


# ---------------------------------------------------------------------------
# The coverage rule
# ---------------------------------------------------------------------------


def stage(key, *focus, minutes=60):
    return {
        "key": key,
        "name": key.title(),
        "duration_minutes": minutes,
        "focus_competencies": list(focus),
    }


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            [
                stage(
                    "a",
                    "system-architecture",
                    "integration-rag",
                    "software-engineering",
                    "cloud-deployment",
                    "reliability-security",
                    "cost-performance",
                )
            ],
            "'system-architecture' is the focus of 1 interview(s); it needs two interviews",
        ),
        (
            [
                stage("a", "system-architecture", "integration-rag"),
                stage(
                    "b",
                    "system-architecture",
                    "integration-rag",
                    "software-engineering",
                    "reliability-security",
                    "cost-performance",
                ),
            ],
            "'cloud-deployment' is the focus of 0 interview(s); it needs an interview.",
        ),
        (
            [stage("a", "system-architecture", "warp-drive")],
            "'warp-drive' is not a competency of the role's profile.",
        ),
    ],
)
def test_an_edited_plan_must_cover_every_competency_and_the_heaviest_twice(plan, message):
    role = make_role("ai-engineer")
    brief = services.brief_get_or_generate(role=role)

    with pytest.raises(ValidationError) as error:
        services.brief_save(brief=brief, data={"interview_plan": plan}, by=role.hiring_lead)

    assert any(message in m for m in error.value.message_dict["interview_plan"])


@pytest.mark.parametrize(
    "plan",
    [
        [],
        "x",
        [{"key": "a"}],
        [stage("a", "modelling", minutes=0)],
        [stage("a", "x"), stage("a", "y")],
    ],
)
def test_a_malformed_plan_is_refused_under_interview_plan(plan):
    brief = services.brief_get_or_generate(role=make_role("ml-engineer"))
    with pytest.raises(ValidationError) as error:
        services.brief_save(brief=brief, data={"interview_plan": plan}, by=None)
    assert set(error.value.message_dict) == {"interview_plan"}


# ---------------------------------------------------------------------------
# Editing, then regenerating
# ---------------------------------------------------------------------------


def test_regenerating_updates_untouched_fields_and_only_offers_new_text_for_edited_ones():
    role = make_role("ai-engineer", "mid")
    brief = services.brief_get_or_generate(role=role)
    brief = services.brief_save(
        brief=brief, data={"summary": "Our own words."}, by=role.hiring_lead
    )
    assert brief.edited_fields == ["summary"]

    role.level = "senior"
    services.role_save(role=role)
    assert services.brief_is_stale(brief)

    preview, changes = services.brief_regenerate(brief=brief, by=None, preview=True)
    status = {c.field: c.status for c in changes}
    assert status["summary"] == "offered"
    assert status["responsibilities"] == "updated"
    assert RoleBrief.objects.get().summary == "Our own words."
    assert RoleBrief.objects.get().responsibilities == brief.responsibilities  # preview: no change

    brief, changes = services.brief_regenerate(brief=brief, by=None)
    assert brief.summary == "Our own words."
    assert brief.responsibilities[0].startswith("Lead ")
    assert brief.edited_fields == ["summary"]
    assert not services.brief_is_stale(brief)

    offered = next(c for c in changes if c.field == "summary")
    brief, changes = services.brief_regenerate(brief=brief, by=None, accept=["summary"])
    assert brief.summary == offered.generated
    assert {c.field: c.status for c in changes}["summary"] == "accepted"
    assert brief.edited_fields == []


def test_accepting_an_unknown_field_is_refused():
    brief = services.brief_get_or_generate(role=make_role("ai-engineer"))
    with pytest.raises(ValidationError) as error:
        services.brief_regenerate(brief=brief, by=None, accept=["salary"])
    assert set(error.value.message_dict) == {"accept"}


def test_a_stale_version_is_refused():
    brief = services.brief_get_or_generate(role=make_role("ai-engineer"))
    services.brief_save(brief=brief, data={"summary": "One."}, by=None)
    with pytest.raises(services.StaleVersion):
        services.brief_save(brief=brief, data={"summary": "Two."}, by=None, expected_version=1)
