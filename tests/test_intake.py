"""Role intake: the decision rule and creating roles from it (hiring.intake)."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from hiring import access, services
from hiring.access import Integration
from hiring.admin.intake import IntakeAnswerForm
from hiring.intake import rules
from hiring.intake import services as intake
from hiring.models import (
    IntakeAnswer,
    IntakeQuestion,
    Role,
    RoleIntake,
    SkillProfile,
)
from tests import factories

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "intake.json"
QUESTION_KEYS = [
    row["fields"]["key"]
    for row in json.loads(FIXTURE.read_text())
    if row["model"] == "hiring.intakequestion"
]


def answers_pointing(points_to: str, *, questions=None) -> dict[str, str]:
    """Question key → the key of its answer that points to ``points_to`` ("" = not sure)."""
    keys = questions if questions is not None else QUESTION_KEYS
    return {
        answer.question.key: answer.key
        for answer in IntakeAnswer.objects.select_related("question").filter(
            question__key__in=keys, points_to=points_to
        )
    }


def mixed(*, ai: int = 0, ml: int = 0, not_sure: int = 0) -> dict[str, str]:
    """The first ``ai`` questions answered for the AI engineer, the next ``ml`` for the ML
    engineer, the next ``not_sure`` with "not sure"; the rest left out."""
    ai_keys = QUESTION_KEYS[:ai]
    ml_keys = QUESTION_KEYS[ai : ai + ml]
    unsure = QUESTION_KEYS[ai + ml : ai + ml + not_sure]
    return {
        **answers_pointing("ai-engineer", questions=ai_keys),
        **answers_pointing("ml-engineer", questions=ml_keys),
        **answers_pointing("", questions=unsure),
    }


def implication(question_key: str, answer_key: str) -> str:
    return IntakeAnswer.objects.get(question__key=question_key, key=answer_key).implication


pytestmark = pytest.mark.usefixtures("builtin_data")


# ---------------------------------------------------------------------------
# The recommendation
# ---------------------------------------------------------------------------


def test_the_fixture_has_eight_questions_each_with_an_ai_an_ml_and_a_not_sure_answer():
    assert len(QUESTION_KEYS) == 8
    for question in IntakeQuestion.objects.prefetch_related("answers"):
        assert sorted(a.points_to for a in question.answers.all()) == [
            "",
            "ai-engineer",
            "ml-engineer",
        ]


def test_it_recommends_the_ai_engineer_when_every_answer_points_there():
    result = intake.intake_recommend(answers=answers_pointing("ai-engineer"), level="senior")

    assert result.recommendation == "ai-engineer"
    assert result.decision.strength == 1.0
    assert result.decision.profiles == ("ai-engineer",)
    assert result.decision.tally == {
        "ai-engineer": 8,
        "ml-engineer": 0,
        "not_sure": 0,
        "unanswered": 0,
    }
    assert "Hire an AI engineer" in result.decision.advice
    assert [(b.profile_slug, b.level, b.minimum, b.maximum) for b in result.salary_bands] == [
        ("ai-engineer", "senior", 185000, 230000)
    ]


def test_it_recommends_the_ml_engineer_when_every_answer_points_there():
    result = intake.intake_recommend(answers=answers_pointing("ml-engineer"), level="junior")

    assert result.recommendation == "ml-engineer"
    assert result.decision.strength == 1.0
    assert "Hire an ML engineer" in result.decision.advice
    assert [(b.profile_slug, b.minimum, b.maximum) for b in result.salary_bands] == [
        ("ml-engineer", 115000, 150000)
    ]


def test_three_answers_in_four_pointing_one_way_are_enough_for_a_single_profile():
    result = intake.intake_recommend(answers=mixed(ai=2, ml=6))

    assert result.recommendation == "ml-engineer"
    assert result.decision.strength == 0.5


def test_a_genuine_split_recommends_both_with_the_ml_engineer_first():
    result = intake.intake_recommend(answers=mixed(ai=4, ml=4), level="mid")

    assert result.recommendation == "both"
    assert result.decision.strength == 0.0
    assert result.decision.profiles == ("ml-engineer", "ai-engineer")
    advice = result.decision.advice
    assert advice.index("ML engineer first") < advice.index("then the AI engineer")
    assert [(b.profile_slug, b.minimum, b.maximum) for b in result.salary_bands] == [
        ("ml-engineer", 150000, 195000),
        ("ai-engineer", 145000, 185000),
    ]


def test_a_five_to_three_split_is_still_both_and_its_strength_says_how_one_sided():
    result = intake.intake_recommend(answers=mixed(ai=5, ml=3))

    assert result.recommendation == "both"
    assert result.decision.strength == 0.25


def test_mostly_not_sure_gives_not_enough_information_instead_of_a_guess():
    result = intake.intake_recommend(answers=mixed(ml=3, not_sure=5))

    assert result.recommendation == "insufficient"
    assert result.decision.strength == 0.0
    assert result.decision.profiles == ()
    assert result.salary_bands == []
    assert "Not enough information" in result.decision.advice
    # The "not sure" answers still say what to find out.
    assert any(implication("timeline", "not-sure") in line for line in result.decision.explanation)


def test_half_the_questions_answered_is_the_least_that_gets_a_recommendation():
    assert rules.minimum_counted(8) == 4
    assert intake.intake_recommend(answers=mixed(ml=4, not_sure=4)).recommendation == "ml-engineer"
    assert intake.intake_recommend(answers=mixed(ml=3, not_sure=5)).recommendation == (
        "insufficient"
    )


def test_skipped_questions_count_like_not_sure():
    result = intake.intake_recommend(answers=mixed(ai=3))

    assert result.recommendation == "insufficient"
    assert result.decision.tally["unanswered"] == 5
    assert len(result.decision.explanation) == 3


@pytest.mark.parametrize("question_key", QUESTION_KEYS)
def test_every_answer_to_every_question_changes_the_explanation(question_key):
    base = answers_pointing("")
    question = IntakeQuestion.objects.get(key=question_key)
    explanations = {}
    for answer in question.answers.all():
        result = intake.intake_recommend(answers={**base, question_key: answer.key})
        explanations[answer.key] = tuple(result.decision.explanation)
        line = result.decision.explanation[QUESTION_KEYS.index(question_key)]
        assert answer.implication in line
        assert question.text in line

    assert len(set(explanations.values())) == question.answers.count() == 3


def test_the_rule_follows_the_data_edited_in_the_admin():
    answers = mixed(ai=3, ml=5)
    assert intake.intake_recommend(answers=answers).recommendation == "both"

    # An editor decides one AI-leaning answer really points to the ML engineer.
    flipped = IntakeAnswer.objects.get(question__key=QUESTION_KEYS[0], points_to="ai-engineer")
    flipped.points_to = "ml-engineer"
    flipped.implication = "Reworded by the editor."
    flipped.save()

    result = intake.intake_recommend(answers=answers)
    assert result.recommendation == "ml-engineer"
    assert result.decision.strength == 0.5
    assert result.decision.explanation[0].endswith("Reworded by the editor.")


def test_a_new_question_raises_the_number_of_answers_needed():
    question = IntakeQuestion.objects.create(key="budget", text="Budget?", order=9)
    IntakeAnswer.objects.create(question=question, key="small", text="Small", points_to="")
    # Nine questions: five answers must now point to a profile.
    assert intake.intake_recommend(answers=mixed(ml=4)).recommendation == "insufficient"
    assert intake.intake_recommend(answers=mixed(ml=5)).recommendation == "ml-engineer"


def test_it_computes_a_recommendation_in_three_queries(django_assert_num_queries):
    answers = mixed(ai=4, ml=4)
    with django_assert_num_queries(3):  # questions, their answers, the salary bands
        intake.intake_recommend(answers=answers)


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def test_an_unknown_question_is_reported_under_its_own_key():
    with pytest.raises(ValidationError) as error:
        intake.intake_recommend(answers={**mixed(ai=4), "salary-expectations": "high"})
    assert error.value.message_dict == {
        "answers.salary-expectations": ["'salary-expectations' is not an intake question."]
    }


def test_an_unknown_answer_is_reported_under_its_question_with_the_valid_answers():
    with pytest.raises(ValidationError) as error:
        intake.intake_recommend(answers={"timeline": "yesterday", "team-gap": 3})
    messages = error.value.message_dict
    assert set(messages) == {"answers.timeline", "answers.team-gap"}
    assert "room-to-experiment, ship-fast, not-sure" in messages["answers.timeline"][0]
    assert messages["answers.team-gap"] == ["Give the answer's key as a string."]


def test_an_unknown_level_is_refused():
    with pytest.raises(ValidationError) as error:
        intake.intake_recommend(answers=mixed(ai=4), level="principal")
    assert list(error.value.message_dict) == ["level"]


# ---------------------------------------------------------------------------
# Who may use it
# ---------------------------------------------------------------------------


def test_hiring_leads_recruiters_and_the_integration_key_may_use_the_intake(recruiter, lead, alice):
    assert access.may_use_intake(recruiter)
    assert access.may_use_intake(lead)
    assert access.may_use_intake(Integration())
    assert not access.may_use_intake(alice)


def test_someone_who_leads_a_role_counts_as_a_hiring_lead_without_the_group(ai_profile, alice):
    factories.RoleFactory(profile=ai_profile, hiring_lead=alice)
    assert access.may_use_intake(alice)


# ---------------------------------------------------------------------------
# Creating the roles
# ---------------------------------------------------------------------------


def test_it_creates_one_draft_role_on_the_current_profile_version_with_the_intake_kept(
    lead, ml_profile
):
    newer = services.profile_new_version(profile=ml_profile).profile
    answers = mixed(ai=1, ml=6, not_sure=1)

    record, roles = intake.intake_create_roles(
        answers=answers,
        level="senior",
        hiring_lead=lead,
        by=lead,
        title="Fraud models",
        team="Risk",
    )

    [role] = roles
    assert (role.title, role.team, role.level, role.status) == (
        "Fraud models",
        "Risk",
        "senior",
        "draft",
    )
    assert role.profile == newer and newer.version == 2
    assert role.hiring_lead == lead
    role.refresh_from_db()
    assert role.intake == record
    assert record.answers == answers
    assert (record.recommendation, record.strength, record.level) == ("ml-engineer", 0.71, "senior")
    assert record.created_by == lead
    assert len(record.explanation) == 8


def test_a_split_creates_two_draft_roles_one_per_profile(recruiter, lead):
    record, roles = intake.intake_create_roles(
        answers=mixed(ai=4, ml=4), level="mid", hiring_lead=lead, by=recruiter, title="Search"
    )

    assert [(r.title, r.profile.slug, r.profile.version) for r in roles] == [
        ("Search (ML engineer)", "ml-engineer", 1),
        ("Search (AI engineer)", "ai-engineer", 1),
    ]
    assert set(record.roles.all()) == set(roles)
    assert {r.status for r in roles} == {"draft"}
    assert record.recommendation == "both"


def test_an_untitled_role_is_named_after_its_profile(lead):
    _, [role] = intake.intake_create_roles(
        answers=answers_pointing("ai-engineer"), level="mid", hiring_lead=lead, by=lead
    )
    assert role.title == SkillProfile.objects.current("ai-engineer").name


def test_not_enough_information_creates_nothing(lead):
    with pytest.raises(ValidationError) as error:
        intake.intake_create_roles(
            answers=mixed(ai=2, not_sure=6), level="mid", hiring_lead=lead, by=lead
        )
    assert "answers" in error.value.message_dict
    assert not RoleIntake.objects.exists()
    assert not Role.objects.exists()


def test_a_hiring_lead_creates_only_roles_they_lead(lead, other_lead):
    with pytest.raises(ValidationError) as error:
        intake.intake_create_roles(
            answers=mixed(ml=8), level="mid", hiring_lead=other_lead, by=lead
        )
    assert list(error.value.message_dict) == ["hiring_lead"]
    assert not Role.objects.exists()


def test_the_integration_key_creates_roles_for_a_named_lead_and_is_recorded_as_no_one(lead):
    record, [role] = intake.intake_create_roles(
        answers=mixed(ml=8), level="mid", hiring_lead=lead, by=Integration()
    )
    assert role.hiring_lead == lead
    assert record.created_by is None


def test_a_role_that_fails_validation_leaves_no_intake_behind(lead):
    with pytest.raises(ValidationError) as error:
        intake.intake_create_roles(
            answers=mixed(ml=8), level="mid", hiring_lead=lead, by=lead, title="x" * 201
        )
    assert "title" in error.value.message_dict
    assert not RoleIntake.objects.exists()


def test_the_admin_lets_an_answer_point_only_to_a_profile_the_rule_counts():

    answer = IntakeAnswer.objects.get(question__key="timeline", key="ship-fast")
    data = {"order": 1, "key": "ship-fast", "text": answer.text, "implication": ""}

    assert not IntakeAnswerForm({**data, "points_to": "data-scientist"}, instance=answer).is_valid()
    assert IntakeAnswerForm({**data, "points_to": "ml-engineer"}, instance=answer).is_valid()
    assert IntakeAnswerForm({**data, "points_to": ""}, instance=answer).is_valid()
