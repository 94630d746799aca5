"""Demo users, roles, candidates and scorecards, so a fresh install has something to show.

Idempotent: every object has a fixed external id or email, and a second run
finds them and changes nothing.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hiring import selectors, services
from hiring.models import (
    HIRING_LEADS,
    INTERVIEWERS,
    RECRUITERS,
    Application,
    Candidate,
    Interview,
    Level,
    Recommendation,
    Role,
    RoleStatus,
    SkillProfile,
    User,
)

DEMO_PASSWORD = "demo-pass-2026"

PEOPLE = [
    # email, full name, groups, staff
    ("recruiter@example.com", "Rita Recruiter", [RECRUITERS], True),
    ("lead@example.com", "Lee Lead", [HIRING_LEADS, INTERVIEWERS], False),
    ("alice@example.com", "Alice Adams", [INTERVIEWERS], False),
    ("bob@example.com", "Bob Brown", [INTERVIEWERS], False),
    ("carol@example.com", "Carol Chen", [INTERVIEWERS], False),
]

ROLES = [
    # external id, title, team, level, profile slug
    ("demo-role-ai", "AI Engineer, Support Assistant", "Customer AI", Level.SENIOR, "ai-engineer"),
    ("demo-role-ml", "ML Engineer, Fraud Models", "Risk", Level.MID, "ml-engineer"),
]

CANDIDATES = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Katherine Johnson",
    "Claude Shannon",
    "Frances Allen",
]

# How each interviewer tends to score, so the comparison has leniency to remove.
LENIENCY = {"alice@example.com": 1, "bob@example.com": 0, "carol@example.com": -1}

RECOMMENDATION_BY_MEAN = [
    (1.75, Recommendation.DEFINITELY_NOT),
    (2.5, Recommendation.NO),
    (3.25, Recommendation.YES),
    (5, Recommendation.STRONG_YES),
]


class Command(BaseCommand):
    help = "Create demo users, roles, candidates, interviews and scorecards (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = {
            email: self.person(email, name, groups, staff) for email, name, groups, staff in PEOPLE
        }
        rng = random.Random(2026)
        for role_index, (external_id, title, team, level, slug) in enumerate(ROLES):
            if Role.objects.filter(external_id=external_id).exists():
                continue
            role = services.role_save(
                role=Role(
                    external_id=external_id,
                    title=title,
                    team=team,
                    level=level,
                    status=RoleStatus.OPEN,
                    profile=SkillProfile.objects.current(slug),
                    hiring_lead=people["lead@example.com"],
                )
            )
            for index, name in enumerate(CANDIDATES):
                self.candidate_pipeline(role, role_index, index, name, people, rng)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, groups, _ in PEOPLE:
            self.stdout.write(f"  {email:<24} {name:<16} {', '.join(groups)}")

    def person(self, email, name, groups, staff):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, is_staff=staff
            )
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    def candidate_pipeline(self, role, role_index, index, name, people, rng):
        slug = name.lower().replace(" ", "-")
        candidate = Candidate.objects.filter(external_id=f"demo-cand-{slug}").first()
        if candidate is None:
            candidate = services.candidate_save(
                candidate=Candidate(
                    external_id=f"demo-cand-{slug}", name=name, email=f"{slug}@candidates.example"
                )
            )
        application = services.application_save(
            application=Application(
                external_id=f"demo-app-{role_index}-{index}",
                candidate=candidate,
                role=role,
                stage="Onsite loop",
            )
        )
        talent = rng.choice([1.8, 2.4, 2.9, 3.3, 3.7])
        start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=7)
        competencies = list(role.profile.competencies.all())
        panels = [
            ("Technical deep-dive", ["alice@example.com", "bob@example.com"], competencies[:3]),
            ("System design", ["carol@example.com", "lead@example.com"], competencies[3:]),
        ]
        for number, (interview_name, emails, focus) in enumerate(panels):
            interview = services.interview_save(
                interview=Interview(
                    external_id=f"demo-int-{role_index}-{index}-{number}",
                    application=application,
                    name=interview_name,
                    scheduled_at=start + timedelta(days=index, hours=2 * number),
                ),
                focus_competency_keys=[c.key for c in focus],
                interviewers=[people[email] for email in emails],
            )
            # The last candidate is still mid-process: their scorecards stay drafts.
            if index == len(CANDIDATES) - 1:
                continue
            for card in interview.scorecards.select_related("interviewer"):
                self.fill(card, talent, rng)

    def fill(self, card, talent, rng):
        leniency = LENIENCY.get(card.interviewer.email, 0) * 0.4
        ratings = []
        for skill in selectors.scorecard_focus_skills(card):
            if rng.random() < 0.08:
                ratings.append(services.RatingInput(skill=skill.key, not_assessed=True))
                continue
            score = max(1, min(4, round(talent + leniency + rng.gauss(0, 0.5))))
            note = f"{skill.name}: {'clear evidence' if score >= 3 else 'gaps'} in the discussion."
            ratings.append(services.RatingInput(skill=skill.key, score=score, note=note))
        scores = [r.score for r in ratings if r.score]
        mean = sum(scores) / len(scores) if scores else 2.5
        recommendation = next(rec for bound, rec in RECOMMENDATION_BY_MEAN if mean < bound)
        services.scorecard_save_draft(
            scorecard=card,
            by=card.interviewer,
            ratings=ratings,
            overall_recommendation=recommendation,
            summary=f"Overall {recommendation.label.lower()}: average {mean:.1f} on the focus.",
        )
        services.scorecard_submit(scorecard=card, by=card.interviewer)
