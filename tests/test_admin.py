"""The recruiters' admin: every page renders, lists cost a fixed number of queries,
profile edits are copy-on-write, submitted scorecards are read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring import services
from hiring.models import (
    ApiKey,
    Competency,
    IdempotencyRecord,
    IntakeQuestion,
    Rating,
    RoleIntake,
    SalaryBand,
    Scorecard,
    ScorecardRevision,
    Skill,
    SkillProfile,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from hiring.services import api_key_create
from tests import factories


@pytest.fixture
def staff_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def populated(interview, alice, bob, recruiter):
    """A role with an interview whose first scorecard is submitted and revised."""
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card)
    services.scorecard_revise(scorecard=card, by=alice, reason="typo", summary="Fixed")

    api_key_create(name="ats")
    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook", secret="s", events=["scorecard.submitted"]
    )
    event = WebhookEvent.objects.create(type="scorecard.submitted", payload={"id": card.pk})
    WebhookDelivery.objects.create(event=event, endpoint=endpoint)
    RoleIntake.objects.create(answers={}, recommendation="ai-engineer", strength=1.0)
    IdempotencyRecord.objects.create(owner="api-key:1", key="k1", fingerprint="f", status_code=201)
    return card


ADMIN_MODELS = [
    "user",
    "skillprofile",
    "competency",
    "skill",
    "salaryband",
    "role",
    "candidate",
    "application",
    "interview",
    "scorecard",
    "scorecardrevision",
    "apikey",
    "idempotencyrecord",
    "intakequestion",
    "roleintake",
    "webhookendpoint",
    "webhookevent",
    "webhookdelivery",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_changelist_and_change_form_renders_for_a_recruiter(staff_client, populated, model):
    response = staff_client.get(reverse(f"admin:hiring_{model}_changelist"))
    assert response.status_code == 200
    obj = response.context["cl"].result_list[0]
    response = staff_client.get(reverse(f"admin:hiring_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model",
    ["skillprofile", "competency", "skill", "role", "candidate", "application", "interview"],
)
def test_add_forms_render(staff_client, populated, model):
    assert staff_client.get(reverse(f"admin:hiring_{model}_add")).status_code == 200


def _changelist_queries(client, model, django_assert_max_num_queries):

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(f"admin:hiring_{model}_changelist")).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_changelist_queries_do_not_grow_with_rows(
    staff_client, populated, model, role, charlie, django_assert_max_num_queries
):
    before = _changelist_queries(staff_client, model, django_assert_max_num_queries)
    # Add more rows of every kind, then count again.
    for n in range(3):
        application = factories.ApplicationFactory(role=role)
        interview = factories.make_interview(
            application=application, focus=["system-architecture"], interviewers=[charlie]
        )
        factories.submit(interview.scorecards.get())
        services.scorecard_revise(
            scorecard=interview.scorecards.get(), by=charlie, reason=f"r{n}", summary=f"s{n}"
        )
        factories.RoleFactory(profile=role.profile, hiring_lead=role.hiring_lead)
        factories.UserFactory()

        api_key_create(name=f"key{n}", user=charlie)
        endpoint = WebhookEndpoint.objects.create(url=f"http://127.0.0.1:9/{n}", secret="s")
        event = WebhookEvent.objects.create(type="scorecard.submitted", payload={})
        WebhookDelivery.objects.create(event=event, endpoint=endpoint)
        RoleIntake.objects.create(answers={}, recommendation="both", strength=0.0)
        IdempotencyRecord.objects.create(owner="user:1", key=f"k{n}", fingerprint="f")
    after = _changelist_queries(staff_client, model, django_assert_max_num_queries)
    assert after == before


def test_a_submitted_scorecard_is_read_only_with_its_ratings_visible(staff_client, populated):
    url = reverse("admin:hiring_scorecard_change", args=[populated.pk])
    response = staff_client.get(url)
    content = response.content.decode()
    assert 'name="summary"' not in content  # no editable field
    skill = Rating.objects.filter(scorecard=populated).select_related("skill").first().skill
    assert skill.name in content
    assert "typo" in content  # the revision and its reason
    assert staff_client.post(url, {"summary": "tampered"}).status_code == 403
    populated.refresh_from_db()
    assert populated.summary == "Fixed"
    # Deleting it is refused with the rule, and nothing is deleted.
    delete = reverse("admin:hiring_scorecard_delete", args=[populated.pk])
    response = staff_client.post(delete, {"post": "yes"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "A submitted scorecard is never deleted" in response.content.decode()
    assert Scorecard.objects.filter(pk=populated.pk).exists()


def test_roles_cannot_be_deleted_only_closed(staff_client, role):
    response = staff_client.post(
        reverse("admin:hiring_role_delete", args=[role.pk]), {"post": "yes"}
    )
    assert response.status_code == 403


def test_the_csv_export_has_a_row_per_rating(staff_client, populated):
    response = staff_client.post(
        reverse("admin:hiring_scorecard_changelist"),
        {"action": "export_scorecards_csv", "_selected_action": [populated.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("scorecard_id,role,candidate,interview,interviewer")
    assert len(lines) == 1 + populated.ratings.count()
    assert "alice@example.com" in lines[1] and "submitted" in lines[1]


def _profile_form(profile):
    """The admin change form's data for a profile and its competency inline."""
    competencies = list(profile.competencies.all())
    data = {
        "name": profile.name,
        "description": profile.description,
        "competencies-TOTAL_FORMS": len(competencies),
        "competencies-INITIAL_FORMS": len(competencies),
        "competencies-MIN_NUM_FORMS": 0,
        "competencies-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(competencies):
        data.update(
            {
                f"competencies-{i}-id": c.pk,
                f"competencies-{i}-profile": profile.pk,
                f"competencies-{i}-order": c.order,
                f"competencies-{i}-key": c.key,
                f"competencies-{i}-name": c.name,
                f"competencies-{i}-description": c.description,
                f"competencies-{i}-weight": c.weight,
            }
        )
    return data


def test_editing_an_unused_profile_changes_it_in_place(staff_client, ai_profile):
    data = _profile_form(ai_profile)
    data["name"] = "AI engineer (platform)"
    url = reverse("admin:hiring_skillprofile_change", args=[ai_profile.pk])
    assert staff_client.post(url, data).status_code == 302
    ai_profile.refresh_from_db()
    assert ai_profile.name == "AI engineer (platform)"
    assert SkillProfile.objects.filter(slug="ai-engineer").count() == 1


def test_editing_a_profile_in_use_creates_a_new_version(staff_client, populated, ai_profile):
    data = _profile_form(ai_profile)
    data["competencies-0-weight"] = "3.00"
    url = reverse("admin:hiring_skillprofile_change", args=[ai_profile.pk])
    response = staff_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "saved as AI engineer v2" in response.content.decode()
    old = SkillProfile.objects.get(slug="ai-engineer", version=1)
    new = SkillProfile.objects.get(slug="ai-engineer", version=2)
    first_key = old.competencies.order_by("order").first().key
    assert old.competencies.get(key=first_key).weight != 3
    assert new.competencies.get(key=first_key).weight == 3
    assert (
        Skill.objects.filter(competency__profile=new).count()
        == Skill.objects.filter(competency__profile=old).count()
    )
    populated.refresh_from_db()
    assert populated.profile == old  # the scorecard keeps meaning what it meant
    assert SkillProfile.objects.current("ai-engineer") == new


def test_saving_a_profile_in_use_without_changes_creates_nothing(
    staff_client, populated, ai_profile
):
    url = reverse("admin:hiring_skillprofile_change", args=[ai_profile.pk])
    staff_client.post(url, _profile_form(ai_profile))
    assert SkillProfile.objects.filter(slug="ai-engineer").count() == 1


def test_editing_a_skill_anchor_in_use_creates_a_new_version(staff_client, populated, ai_profile):
    skill = Skill.objects.filter(competency__profile=ai_profile).first()
    url = reverse("admin:hiring_skill_change", args=[skill.pk])
    data = {
        "competency": skill.competency_id,
        "key": skill.key,
        "name": skill.name,
        "description": skill.description,
        "order": skill.order,
        "anchor_1": "Rewritten anchor",
        "anchor_2": skill.anchor_2,
        "anchor_3": skill.anchor_3,
        "anchor_4": skill.anchor_4,
        "questions-TOTAL_FORMS": 0,  # the skill's interview questions, left as they are
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    assert staff_client.post(url, data).status_code == 302
    skill.refresh_from_db()
    assert skill.anchor_1 != "Rewritten anchor"
    copy = Skill.objects.get(competency__profile__version=2, key=skill.key)
    assert copy.anchor_1 == "Rewritten anchor"


def test_a_recruiter_can_create_a_custom_profile(staff_client, recruiter):
    data = {
        "slug": "data-engineer",
        "name": "Data engineer",
        "description": "Pipelines",
        "competencies-TOTAL_FORMS": 1,
        "competencies-INITIAL_FORMS": 0,
        "competencies-MIN_NUM_FORMS": 0,
        "competencies-MAX_NUM_FORMS": 1000,
        "competencies-0-order": 1,
        "competencies-0-key": "pipelines",
        "competencies-0-name": "Pipelines",
        "competencies-0-description": "",
        "competencies-0-weight": "1",
    }
    response = staff_client.post(reverse("admin:hiring_skillprofile_add"), data)
    assert response.status_code == 302
    profile = SkillProfile.objects.get(slug="data-engineer")
    assert profile.version == 1 and not profile.is_builtin
    assert Competency.objects.filter(profile=profile, key="pipelines").exists()


def test_assigning_interviewers_in_the_admin_creates_their_draft_scorecards(
    staff_client, application, alice, bob
):
    data = {
        "application": application.pk,
        "name": "Coding",
        "scheduled_at_0": "2026-12-01",
        "scheduled_at_1": "10:00",
        "focus_competencies": [],
        "external_id": "",
        "panel": [alice.pk, bob.pk],
    }
    response = staff_client.post(reverse("admin:hiring_interview_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cards = Scorecard.objects.filter(interview__name="Coding")
    assert {c.interviewer for c in cards} == {alice, bob}
    assert {c.status for c in cards} == {"draft"}


def test_weight_overrides_are_validated_in_the_role_form(staff_client, role):
    url = reverse("admin:hiring_role_change", args=[role.pk])
    data = {
        "title": role.title,
        "team": role.team,
        "level": role.level,
        "status": role.status,
        "external_id": "",
        "profile": role.profile_id,
        "weight_overrides": '{"no-such-competency": 2}',
        "hiring_lead": role.hiring_lead_id,
        "feedback_visibility": role.feedback_visibility,
        "applications-TOTAL_FORMS": 0,
        "applications-INITIAL_FORMS": 0,
        "applications-MIN_NUM_FORMS": 0,
        "applications-MAX_NUM_FORMS": 1000,
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "is not a competency" in response.content.decode()


def test_the_admin_shows_the_salary_band_of_the_role(staff_client, role):
    response = staff_client.get(reverse("admin:hiring_role_change", args=[role.pk]))
    band = SalaryBand.objects.get(profile_slug="ai-engineer", level=role.level)
    assert band.display in response.content.decode()


def test_creating_an_api_key_in_the_admin_shows_it_once_and_stores_a_hash(staff_client):
    response = staff_client.post(
        reverse("admin:hiring_apikey_add"),
        {"name": "ats", "user": "", "revoked_at_0": ""},
        follow=True,
    )
    key = ApiKey.objects.get(name="ats")
    message = [str(m) for m in response.context["messages"]][0]
    raw = message.rsplit(" ", 1)[-1]
    assert raw.startswith(key.prefix)
    assert raw not in key.hashed_key


def test_revision_history_is_listed(staff_client, populated):
    response = staff_client.get(reverse("admin:hiring_scorecardrevision_changelist"))
    assert ScorecardRevision.objects.count() == 1
    assert "typo" in response.content.decode()


def test_intake_questions_are_editable(staff_client):
    question = IntakeQuestion.objects.first()
    response = staff_client.get(reverse("admin:hiring_intakequestion_change", args=[question.pk]))
    assert question.answers.first().text in response.content.decode()


def test_skill_keys_are_unique_across_the_profile(staff_client, ai_profile):
    first, second = ai_profile.competencies.order_by("order")[:2]
    taken = first.skills.first().key
    data = {
        "competency": second.pk,
        "key": taken,
        "name": "Duplicate",
        "description": "",
        "order": 9,
        "anchor_1": "",
        "anchor_2": "",
        "anchor_3": "",
        "anchor_4": "",
    }
    response = staff_client.post(reverse("admin:hiring_skill_add"), data)
    assert response.status_code == 200
    assert "Another skill of this profile uses this key." in response.content.decode()
    assert Skill.objects.filter(competency__profile=ai_profile, key=taken).count() == 1
