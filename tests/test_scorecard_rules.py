"""The scorecard rules of the foundation issue, exercised through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from hiring import selectors, services
from hiring.models import Rating, Scorecard, ScorecardRevision, Skill
from hiring.services import RatingInput
from tests import factories


@pytest.fixture
def card(interview, alice):
    return interview.scorecards.get(interviewer=alice)


def test_it_creates_a_draft_scorecard_per_interviewer_pinned_to_the_role_profile(
    interview, alice, bob, role
):
    cards = Scorecard.objects.filter(interview=interview)
    assert {c.interviewer for c in cards} == {alice, bob}
    assert {c.status for c in cards} == {"draft"}
    assert {c.profile_id for c in cards} == {role.profile_id}


def test_it_asks_for_only_the_focus_competencies_skills(card):
    keys = {skill.competency.key for skill in selectors.scorecard_focus_skills(card)}
    assert keys == {"system-architecture", "integration-rag"}


def test_it_asks_for_every_skill_when_the_interview_has_no_focus(application, alice):
    interview = factories.make_interview(application=application, interviewers=[alice])
    card = interview.scorecards.get()
    assert (
        len(selectors.scorecard_focus_skills(card))
        == Skill.objects.filter(competency__profile=card.profile).count()
    )


def test_it_refuses_a_skill_outside_the_pinned_profile(card, ml_profile, alice):
    ml_skill = Skill.objects.filter(competency__profile=ml_profile).first()
    with pytest.raises(ValidationError) as error:
        services.scorecard_save_draft(
            scorecard=card, by=alice, ratings=[RatingInput(skill=ml_skill.key, score=3)]
        )
    assert f"ratings.{ml_skill.key}" in error.value.message_dict


@pytest.mark.parametrize("score", [0, 5, -1, True])
def test_it_refuses_scores_outside_one_to_four(card, alice, score):
    skill = selectors.scorecard_focus_skills(card)[0]
    with pytest.raises(ValidationError) as error:
        services.scorecard_save_draft(
            scorecard=card, by=alice, ratings=[RatingInput(skill=skill.key, score=score)]
        )
    assert f"ratings.{skill.key}" in error.value.message_dict


def test_the_database_refuses_scores_outside_one_to_four(card):
    skill = selectors.scorecard_focus_skills(card)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(scorecard=card, skill=skill, score=5)


def test_it_refuses_a_score_and_not_assessed_together(card, alice):
    skill = selectors.scorecard_focus_skills(card)[0]
    with pytest.raises(ValidationError):
        services.scorecard_save_draft(
            scorecard=card,
            by=alice,
            ratings=[RatingInput(skill=skill.key, score=2, not_assessed=True)],
        )


def test_it_keeps_a_draft_between_saves(card, alice):
    first, second = selectors.scorecard_focus_skills(card)[:2]
    services.scorecard_save_draft(
        scorecard=card, by=alice, ratings=[RatingInput(skill=first.key, score=2, note="ok")]
    )
    services.scorecard_save_draft(
        scorecard=card,
        by=alice,
        ratings=[RatingInput(skill=second.key, not_assessed=True)],
        summary="Half done",
    )
    ratings = {r.skill.key: r for r in card.ratings.select_related("skill")}
    assert ratings[first.key].score == 2 and ratings[first.key].note == "ok"
    assert ratings[second.key].not_assessed
    card.refresh_from_db()
    assert card.summary == "Half done"


def test_submitting_lists_every_unmet_requirement(card, alice):
    skills = selectors.scorecard_focus_skills(card)
    services.scorecard_save_draft(
        scorecard=card,
        by=alice,
        ratings=[
            RatingInput(skill=skills[0].key, score=4),  # extreme score without evidence
            RatingInput(skill=skills[1].key, score=1, note=""),
            RatingInput(skill=skills[2].key, score=3),
        ],
    )
    with pytest.raises(ValidationError) as error:
        services.scorecard_submit(scorecard=card, by=alice)
    errors = error.value.message_dict
    assert "evidence" in errors[f"ratings.{skills[0].key}"][0]
    assert "evidence" in errors[f"ratings.{skills[1].key}"][0]
    assert f"ratings.{skills[2].key}" not in errors
    for skill in skills[3:]:
        assert errors[f"ratings.{skill.key}"] == ["Rate this skill or mark it as not assessed."]
    assert errors["overall_recommendation"] == ["Choose an overall recommendation."]
    card.refresh_from_db()
    assert card.status == "draft"


def test_it_submits_when_every_focus_skill_is_rated_or_not_assessed(card, alice):
    skills = selectors.scorecard_focus_skills(card)
    ratings = [RatingInput(skill=skills[0].key, not_assessed=True)] + [
        RatingInput(skill=s.key, score=2) for s in skills[1:]
    ]
    services.scorecard_save_draft(
        scorecard=card, by=alice, ratings=ratings, overall_recommendation="no"
    )
    card = services.scorecard_submit(scorecard=card, by=alice)
    assert card.status == "submitted"
    assert card.submitted_at is not None


def test_only_the_interviewer_may_edit_or_submit(card, bob):
    with pytest.raises(ValidationError):
        services.scorecard_save_draft(scorecard=card, by=bob, summary="not mine")
    with pytest.raises(ValidationError):
        services.scorecard_submit(scorecard=card, by=bob)


def test_a_submitted_scorecard_cannot_be_edited_in_place(card, alice):
    factories.submit(card)
    with pytest.raises(ValidationError) as error:
        services.scorecard_save_draft(scorecard=card, by=alice, summary="changed my mind")
    assert "revision" in error.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        services.scorecard_submit(scorecard=card, by=alice)
    card.refresh_from_db()
    assert card.summary == ""


def test_a_revision_keeps_who_when_why_and_the_previous_content(card, alice):
    factories.submit(card, score=3)
    skill = selectors.scorecard_focus_skills(card)[0]
    services.scorecard_revise(
        scorecard=card,
        by=alice,
        reason="Mixed up two candidates' notes",
        ratings=[RatingInput(skill=skill.key, score=2, note="Weaker than I wrote")],
        overall_recommendation="no",
    )
    card.refresh_from_db()
    assert card.revision == 1 and card.overall_recommendation == "no"
    assert card.ratings.get(skill=skill).score == 2
    revision = ScorecardRevision.objects.get(scorecard=card)
    assert revision.revised_by == alice and revision.number == 1
    assert revision.reason == "Mixed up two candidates' notes"
    assert revision.previous["overall_recommendation"] == "yes"
    previous = {r["skill"]: r["score"] for r in revision.previous["ratings"]}
    assert previous[skill.key] == 3


def test_a_revision_needs_a_reason_and_must_still_meet_the_rules(card, alice):
    factories.submit(card)
    skill = selectors.scorecard_focus_skills(card)[0]
    with pytest.raises(ValidationError) as error:
        services.scorecard_revise(scorecard=card, by=alice, reason="  ", summary="x")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.scorecard_revise(
            scorecard=card,
            by=alice,
            reason="typo",
            ratings=[RatingInput(skill=skill.key, score=4, note="")],
        )
    assert f"ratings.{skill.key}" in error.value.message_dict
    card.refresh_from_db()
    assert card.revision == 0
    assert card.ratings.get(skill=skill).score == 3
    assert not ScorecardRevision.objects.exists()


def test_a_stale_version_changes_nothing(card, alice):
    version = card.row_version
    services.scorecard_save_draft(scorecard=card, by=alice, summary="first")
    with pytest.raises(services.StaleVersion):
        services.scorecard_save_draft(
            scorecard=card, by=alice, summary="second", expected_version=version
        )
    card.refresh_from_db()
    assert card.summary == "first"


def test_removing_an_interviewer_drops_their_draft_but_never_a_submitted_scorecard(
    interview, alice, bob
):
    factories.submit(interview.scorecards.get(interviewer=alice))
    with pytest.raises(ValidationError) as error:
        services.interview_set_interviewers(interview=interview, interviewers=[bob])
    assert "alice@example.com" in error.value.message_dict["interviewers"][0]
    services.interview_set_interviewers(interview=interview, interviewers=[alice])
    assert list(interview.scorecards.values_list("interviewer__email", flat=True)) == [
        "alice@example.com"
    ]


def test_focus_competencies_must_belong_to_the_role_profile(application, alice):
    with pytest.raises(ValidationError) as error:
        factories.make_interview(application=application, focus=["modelling"])
    assert "focus_competencies" in error.value.message_dict


def test_it_protects_what_a_scorecard_refers_to(card):

    factories.submit(card)
    with pytest.raises(ProtectedError):
        card.interview.delete()
    with pytest.raises(ProtectedError):
        card.profile.delete()
    with pytest.raises(ProtectedError):
        card.interview.application.role.delete()


def test_a_submitted_scorecard_must_have_a_recommendation_in_the_database(card):

    with pytest.raises(IntegrityError), transaction.atomic():
        Scorecard.objects.filter(pk=card.pk).update(status="submitted", submitted_at=timezone.now())
