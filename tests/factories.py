"""factory_boy factories; writes with rules go through hiring.services."""

import factory

from hiring import services
from hiring.models import Application, Candidate, Interview, Role, RoleStatus, Scorecard, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    title = factory.Sequence(lambda n: f"Engineer {n}")
    team = "Platform"
    level = "senior"
    status = RoleStatus.OPEN
    hiring_lead = factory.SubFactory(UserFactory)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    role = factory.SubFactory(RoleFactory)
    stage = "interviewing"


def make_interview(*, application, focus=None, interviewers=(), name="Technical interview"):
    return services.interview_save(
        interview=Interview(application=application, name=name),
        focus_competency_keys=focus,
        interviewers=list(interviewers),
    )


def complete_ratings(card: Scorecard, score: int = 3, note: str = "Seen in the interview."):
    """A rating for every focus skill: the minimum a submission needs."""
    return [
        services.RatingInput(skill=skill.key, score=score, note=note)
        for skill in services.scorecard_focus_skills(card)
    ]


def submit(card: Scorecard, *, score: int = 3, recommendation: str = "yes", ratings=None):
    """Fill in and submit a scorecard as its interviewer."""
    services.scorecard_save_draft(
        scorecard=card,
        by=card.interviewer,
        ratings=ratings if ratings is not None else complete_ratings(card, score),
        overall_recommendation=recommendation,
    )
    return services.scorecard_submit(scorecard=card, by=card.interviewer)


def scores(**by_skill):
    """RatingInputs from skill keys written with underscores: ``python_expertise=3``.

    None marks the skill as not assessed.
    """
    return [
        services.RatingInput(
            skill=key.replace("_", "-"),
            score=score,
            not_assessed=score is None,
            note="Seen in the interview.",
        )
        for key, score in by_skill.items()
    ]
