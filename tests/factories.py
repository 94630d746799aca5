"""factory_boy factories; writes with rules go through hiring.services."""

from dataclasses import dataclass

import factory
import numpy as np
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from hiring import selectors, services
from hiring.models import (
    INTERVIEWERS,
    Application,
    Candidate,
    Interview,
    Rating,
    Recommendation,
    Role,
    RoleStatus,
    Scorecard,
    ScorecardStatus,
    Skill,
    User,
)


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
        for skill in selectors.scorecard_focus_skills(card)
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


def session_key_for(user: User) -> str:
    """A stored, logged-in session for ``user``: its key, for a session cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


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


# ---------------------------------------------------------------------------
# A large scored role, built with bulk_create (the bench and the query-count tests)
# ---------------------------------------------------------------------------


@dataclass
class ScoredRole:
    role: object
    leniency: dict[int, float]  # interviewer id -> the leniency the scores were built with


def build_scored_role(
    *, profile, lead, candidates: int, panel: int = 4, pool: int = 12, seed: int = 2026
) -> ScoredRole:
    """A role whose candidates each have one interview with ``panel`` submitted
    scorecards (drawn from ``pool`` interviewers) scoring every skill of ``profile``.

    Scores are ability + interviewer leniency + noise, rounded into 1–4.
    """
    rng = np.random.default_rng(seed)
    emails = [f"interviewer{i:02d}@bench.example" for i in range(pool)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    User.objects.bulk_create(
        [User(email=e, full_name=f"Interviewer {e[11:13]}") for e in emails if e not in existing]
    )
    people = list(User.objects.filter(email__in=emails).order_by("email"))
    group = Group.objects.get_or_create(name=INTERVIEWERS)[0]
    group.user_set.add(*people)
    leniency = {p.pk: float(v) for p, v in zip(people, rng.normal(0, 0.35, pool), strict=True)}

    role = Role.objects.create(
        title=f"AI engineer ({candidates} candidates)",
        team="Bench",
        level="senior",
        status=RoleStatus.OPEN,
        profile=profile,
        hiring_lead=lead,
    )
    first = Candidate.objects.count()
    people_c = Candidate.objects.bulk_create(
        [
            Candidate(name=f"Candidate {first + i:04d}", email=f"c{first + i}@bench.example")
            for i in range(candidates)
        ]
    )
    apps = Application.objects.bulk_create(
        [Application(candidate=c, role=role, stage="interviewing") for c in people_c]
    )
    interviews = Interview.objects.bulk_create(
        [Interview(application=a, name="Technical interview") for a in apps]
    )
    now = timezone.now()
    panels = [rng.choice(pool, size=min(panel, pool), replace=False) for _ in interviews]
    cards = Scorecard.objects.bulk_create(
        [
            Scorecard(
                interview=interview,
                interviewer=people[j],
                profile=profile,
                status=ScorecardStatus.SUBMITTED,
                submitted_at=now,
                overall_recommendation=Recommendation.YES,
            )
            for interview, chosen in zip(interviews, panels, strict=True)
            for j in chosen
        ]
    )
    skill_ids = list(Skill.objects.filter(competency__profile=profile).values_list("id", flat=True))
    ability = rng.normal(2.6, 0.5, candidates)
    bias = np.array([leniency[c.interviewer_id] for c in cards])
    noise = rng.normal(0, 0.6, (len(cards), len(skill_ids)))
    per_candidate = np.repeat(ability, min(panel, pool))
    values = np.clip(np.rint(per_candidate[:, None] + bias[:, None] + noise), 1, 4).astype(int)
    Rating.objects.bulk_create(
        (
            Rating(scorecard=card, skill_id=skill_id, score=int(v))
            for card, row in zip(cards, values.tolist(), strict=True)
            for skill_id, v in zip(skill_ids, row, strict=True)
        ),
        batch_size=2000,
    )
    return ScoredRole(role=role, leniency=leniency)
