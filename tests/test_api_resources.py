"""The ATS provisions roles, candidates, applications and interviews."""

import pytest

from hiring import services
from hiring.models import INTERVIEWERS, Application, Candidate, Role, Scorecard, User
from tests import factories


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def role_body(**extra):
    return {
        "title": "AI Engineer",
        "profile": "ai-engineer",
        "hiring_lead": "lee@example.com",
    } | extra


# ---------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------


def test_profiles_show_competencies_skills_and_anchors(ats, ai_profile):
    response = ats.get(f"/api/v1/profiles/{ai_profile.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["version"]) == ("ai-engineer", 1)
    competency = body["competencies"][0]
    skill = competency["skills"][0]
    assert set(skill) == {"key", "name", "description", "anchors", "questions"}
    assert [anchor["score"] for anchor in skill["anchors"]] == [1, 2, 3, 4]
    assert all(anchor["text"] for anchor in skill["anchors"])


def test_profiles_filter_by_slug(ats, ai_profile, ml_profile):
    response = ats.get("/api/v1/profiles/?slug=ml-engineer")
    assert [row["slug"] for row in response.json()["results"]] == ["ml-engineer"]


# ---------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------


def test_it_creates_a_role_pinned_to_the_profiles_current_version(ats, lead, ai_profile):
    services.profile_new_version(profile=ai_profile)
    response = ats.post("/api/v1/roles/", role_body(team="Search", level="senior"))
    assert response.status_code == 201
    body = response.json()
    assert (body["profile"], body["profile_version"]) == ("ai-engineer", 2)
    assert body["hiring_lead"] == "lee@example.com"
    assert body["status"] == "draft"
    assert body["salary_band"] == {
        "profile": "ai-engineer",
        "level": "senior",
        "currency": "USD",
        "minimum": 185000,
        "maximum": 230000,
        "open_ended": True,
        "display": "USD 185,000 – 230,000+",
    }
    assert Role.objects.get(pk=body["id"]).profile.version == 2


def test_updating_a_role_keeps_its_pinned_version(ats, role, ai_profile):
    services.profile_new_version(profile=ai_profile)
    response = ats.patch(f"/api/v1/roles/{role.pk}/", {"profile": "ai-engineer", "title": "New"})
    assert response.json()["profile_version"] == 1


def test_changing_a_roles_profile_pins_the_new_profiles_current_version(ats, role, ml_profile):
    response = ats.patch(f"/api/v1/roles/{role.pk}/", {"profile": "ml-engineer"})
    assert (response.json()["profile"], response.json()["profile_version"]) == ("ml-engineer", 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"profile": "data-scientist"}, "profile"),
        ({"hiring_lead": "nobody@example.com"}, "hiring_lead"),
        ({"level": "principal"}, "level"),
        ({"title": "   "}, "title"),
        ({"title": 42}, "title"),
        ({"salary_band": None}, "salary_band"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_it_refuses_a_bad_role_naming_the_field(ats, lead, ai_profile, change, field):
    response = ats.post("/api/v1/roles/", role_body(**change))
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["fields"]
    assert not Role.objects.exists()


def test_a_duplicate_external_id_is_a_conflict(ats, lead, ai_profile):
    ats.post("/api/v1/roles/", role_body(external_id="req-1"))
    response = ats.post("/api/v1/roles/", role_body(external_id="req-1"))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "external_id" in response.json()["fields"]


# ---------------------------------------------------------------------------
# Upsert by external id
# ---------------------------------------------------------------------------


def test_upsert_creates_then_replaces(ats, lead, ai_profile):
    url = "/api/v1/roles/by-external-id/req-42/"
    created = ats.put(url, role_body(team="Search", status="open"))
    assert created.status_code == 201
    assert created.json()["external_id"] == "req-42"

    replaced = ats.put(url, role_body(title="Senior AI Engineer"))
    assert replaced.status_code == 200
    assert replaced.json()["id"] == created.json()["id"]
    # A replacement: what is left out goes back to its default.
    assert (replaced.json()["title"], replaced.json()["team"], replaced.json()["status"]) == (
        "Senior AI Engineer",
        "",
        "draft",
    )
    assert Role.objects.count() == 1


def test_upsert_takes_the_external_id_from_the_url_only(ats, lead, ai_profile):
    response = ats.put("/api/v1/roles/by-external-id/req-1/", role_body(external_id="req-2"))
    assert response.status_code == 400
    assert "external_id" in response.json()["fields"]


@pytest.mark.parametrize("resource", ["candidates", "applications", "interviews"])
def test_every_ats_resource_can_be_upserted(ats, application, resource):
    bodies = {
        "candidates": {"name": "Ada", "email": "ada@example.org"},
        "applications": {"role": application.role_id, "candidate": factories.CandidateFactory().pk},
        "interviews": {"application": application.pk, "name": "Screen"},
    }
    url = f"/api/v1/{resource}/by-external-id/ext-7/"
    assert ats.put(url, bodies[resource]).status_code == 201
    assert ats.put(url, bodies[resource]).status_code == 200


def test_an_external_id_with_a_control_character_is_refused(ats, lead, ai_profile):
    response = ats.put("/api/v1/roles/by-external-id/req%00/", role_body())
    assert response.status_code == 400
    assert "external_id" in response.json()["fields"]


# ---------------------------------------------------------------------------
# Candidates and applications
# ---------------------------------------------------------------------------


def test_it_creates_a_candidate_and_an_application(ats, role):
    candidate = ats.post(
        "/api/v1/candidates/", {"name": "Ada Lovelace", "email": "ada@example.org"}
    )
    assert candidate.status_code == 201
    application = ats.post(
        "/api/v1/applications/",
        {"role": role.pk, "candidate": candidate.json()["id"], "external_id": "app-1"},
    )
    assert application.status_code == 201
    assert application.json()["stage"] == "applied"
    assert Application.objects.get(external_id="app-1").candidate.name == "Ada Lovelace"


def test_a_second_application_for_the_same_role_is_a_conflict(ats, application):
    response = ats.post(
        "/api/v1/applications/",
        {"role": application.role_id, "candidate": application.candidate_id},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_an_application_cannot_move_to_another_role(ats, application, ml_profile, lead):
    other = factories.RoleFactory(profile=ml_profile, hiring_lead=lead)
    response = ats.patch(f"/api/v1/applications/{application.pk}/", {"role": other.pk})
    assert response.status_code == 400
    assert "role" in response.json()["fields"]


@pytest.mark.parametrize("role_id", [0, 10**20, "1", True, None])
def test_it_refuses_a_role_id_that_is_not_a_role(ats, role, role_id):
    candidate = factories.CandidateFactory()
    response = ats.post("/api/v1/applications/", {"role": role_id, "candidate": candidate.pk})
    assert response.status_code == 400
    assert "role" in response.json()["fields"]


def test_stage_moves_with_a_patch(ats, application):
    response = ats.patch(f"/api/v1/applications/{application.pk}/", {"stage": "offer"})
    assert response.json()["stage"] == "offer"


# ---------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------


def test_an_interview_provisions_its_panel(ats, application, alice):
    response = ats.post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "name": "System design",
            "scheduled_at": "2026-12-01T10:00:00Z",
            "focus_competencies": ["system-architecture", "cost-performance"],
            "interviewers": ["alice@example.com", "New.Person@Example.com"],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["interviewers"] == ["alice@example.com", "new.person@example.com"]
    assert body["focus_competencies"] == ["system-architecture", "cost-performance"]
    invited = User.objects.get(email="new.person@example.com")
    assert not invited.has_usable_password()
    assert invited.groups.filter(name=INTERVIEWERS).exists()
    cards = Scorecard.objects.filter(interview_id=body["id"])
    assert {c.interviewer.email for c in cards} == {"alice@example.com", "new.person@example.com"}
    assert {c.status for c in cards} == {"draft"}


@pytest.mark.parametrize(
    ("scheduled_at", "status", "stored"),
    [
        ("2026-12-01T23:30:00+14:00", 201, "2026-12-01T09:30:00Z"),
        ("2026-12-01T10:00:00", 201, "2026-12-01T10:00:00Z"),
        ("0001-01-01T00:00:00+01:00", 400, None),
        ("0837-07-24T08:32:06+17:26", 400, None),
        ("next tuesday", 400, None),
    ],
)
def test_interview_times_are_stored_in_utc(ats, application, scheduled_at, status, stored):
    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "name": "Screen", "scheduled_at": scheduled_at},
    )
    assert response.status_code == status
    if stored:
        assert response.json()["scheduled_at"] == stored
    else:
        assert "scheduled_at" in response.json()["fields"]


def test_an_unknown_focus_competency_is_refused_and_invites_nobody(ats, application):
    response = ats.post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "name": "Screen",
            "focus_competencies": ["modelling"],  # an ML engineer competency
            "interviewers": ["someone.new@example.com"],
        },
    )
    assert response.status_code == 400
    assert "focus_competencies" in response.json()["fields"]
    assert not User.objects.filter(email="someone.new@example.com").exists()


def test_someone_who_submitted_stays_on_the_panel(ats, interview, alice, bob):
    factories.submit(interview.scorecards.get(interviewer=alice))
    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/", {"interviewers": ["bob@example.com"]}
    )
    assert response.status_code == 400
    assert "alice@example.com" in response.json()["fields"]["interviewers"][0]


def test_replacing_the_panel_drops_drafts_and_shows_the_new_panel(ats, interview, charlie):
    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/",
        {"interviewers": ["alice@example.com", "charlie@example.com"]},
    )
    assert response.json()["interviewers"] == ["alice@example.com", "charlie@example.com"]
    assert set(interview.scorecards.values_list("interviewer__email", flat=True)) == {
        "alice@example.com",
        "charlie@example.com",
    }


def test_candidates_are_listed_for_a_role(ats, application, ml_profile, lead):
    factories.ApplicationFactory(role=factories.RoleFactory(profile=ml_profile, hiring_lead=lead))
    response = ats.get(f"/api/v1/candidates/?role={application.role_id}")
    assert [row["id"] for row in response.json()["results"]] == [application.candidate_id]
    assert Candidate.objects.count() == 2


def test_interviews_filter_by_interviewer_email(ats, interview, application, charlie):
    factories.make_interview(application=application, interviewers=[charlie], name="Other")
    response = ats.get("/api/v1/interviews/?interviewer=ALICE@example.com")
    assert [row["id"] for row in response.json()["results"]] == [interview.pk]
