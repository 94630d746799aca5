"""Built-in profiles, salary bands, groups and demo data load once and only once."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

from hiring.models import (
    Application,
    Competency,
    IntakeAnswer,
    IntakeQuestion,
    Rating,
    Role,
    SalaryBand,
    Scorecard,
    Skill,
    SkillProfile,
    User,
)
from hiring.services import grant_recruiter_permissions

ROOT = Path(__file__).resolve().parent.parent


def counts():
    return [
        m.objects.count()
        for m in (SkillProfile, Competency, Skill, SalaryBand, IntakeAnswer, Group)
    ]


def test_the_builtin_profiles_have_six_competencies_of_three_to_six_anchored_skills(builtin_data):
    for slug in ("ai-engineer", "ml-engineer"):
        profile = SkillProfile.objects.get(slug=slug, version=1)
        assert profile.is_builtin
        competencies = list(profile.competencies.prefetch_related("skills"))
        assert len(competencies) == 6
        keys = []
        for competency in competencies:
            skills = list(competency.skills.all())
            assert 3 <= len(skills) <= 6, competency.key
            for skill in skills:
                assert all(skill.anchors[level].strip() for level in (1, 2, 3, 4)), skill.key
                keys.append(skill.key)
        assert len(keys) == len(set(keys)), "skill keys must be unique within a profile"


def test_loading_the_builtin_data_twice_creates_no_duplicates(builtin_data):
    before = counts()
    call_command("load_builtin_data", verbosity=0)
    call_command("load_builtin_data", verbosity=0)
    assert counts() == before


def test_the_salary_bands_match_the_market_table(builtin_data):
    band = SalaryBand.objects.get(profile_slug="ml-engineer", level="senior")
    assert (band.minimum, band.maximum, band.open_ended) == (195_000, 250_000, True)
    assert band.display == "USD 195,000 – 250,000+"
    assert SalaryBand.objects.count() == 6


def test_the_three_groups_exist_and_recruiters_may_manage_the_hiring_app(db):

    grant_recruiter_permissions()
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Interviewers", "Hiring leads", "Recruiters"} <= names
    recruiters = Group.objects.get(name="Recruiters")
    assert recruiters.permissions.filter(codename="change_role").exists()
    assert not Group.objects.get(name="Interviewers").permissions.exists()


def test_seed_demo_is_idempotent(builtin_data):
    call_command("seed_demo", stdout=StringIO())
    first = [m.objects.count() for m in (User, Role, Application, Scorecard, Rating)]
    call_command("seed_demo", stdout=StringIO())
    assert [m.objects.count() for m in (User, Role, Application, Scorecard, Rating)] == first
    assert Scorecard.objects.filter(status="submitted").exists()
    assert Scorecard.objects.filter(status="draft").exists()


def test_a_sqlite_database_file_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):

    options = settings.DATABASES["default"]["OPTIONS"]
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite settings only apply when DATABASE_URL is unset")
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "x.db")})
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == options["timeout"] * 1000
    wrapper.close()
    assert options["transaction_mode"] == "IMMEDIATE"


def test_loading_again_keeps_what_a_recruiter_changed_in_the_admin(builtin_data, client, recruiter):
    band = SalaryBand.objects.get(profile_slug="ai-engineer", level="mid")
    question = IntakeQuestion.objects.get(key="business-goal")
    client.force_login(recruiter)
    response = client.post(
        reverse("admin:hiring_salaryband_change", args=[band.pk]),
        {
            "profile_slug": "ai-engineer",
            "level": "mid",
            "currency": "EUR",
            "minimum": 150_000,
            "maximum": 190_000,
            "source": "Our own 2026 survey",
        },
    )
    assert response.status_code == 302, response.content.decode()
    question.text = "What should this hire have changed a year from now?"
    question.save()

    call_command("load_builtin_data", verbosity=0)  # as `make run` does every time

    band.refresh_from_db()
    assert (band.currency, band.minimum, band.maximum) == ("EUR", 150_000, 190_000)
    assert band.source == "Our own 2026 survey"
    question.refresh_from_db()
    assert question.text == "What should this hire have changed a year from now?"


def test_loading_again_creates_the_builtin_rows_that_are_missing(builtin_data):
    before = counts()
    SalaryBand.objects.filter(profile_slug="ml-engineer", level="junior").delete()
    out = StringIO()
    call_command("load_builtin_data", stdout=out)
    assert counts() == before
    assert "1 missing rows created" in out.getvalue()
    assert SalaryBand.objects.get(profile_slug="ml-engineer", level="junior").minimum == 115_000
