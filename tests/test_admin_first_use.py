"""What a newcomer trips over in the admin: which profile version a copy-on-write edit
kept, the index's grouping, the interview's focus choices, read-only scorecards and the
rule that keeps them, finished webhook deliveries, and candidates who share an email."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hiring import services
from hiring.models import (
    Candidate,
    Competency,
    Interview,
    Scorecard,
    Skill,
    SkillProfile,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests import factories
from tests.test_admin import _profile_form


@pytest.fixture
def staff_client(client, recruiter):
    client.force_login(recruiter)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------
# Copy-on-write: the message names the version kept, and editing goes on in the new one
# ---------------------------------------------------------------------------


@pytest.fixture
def in_use(interview):
    """The AI engineer profile v1, frozen by the interview's scorecards."""
    return interview.application.role.profile


def test_editing_a_profile_in_use_names_the_version_kept_and_the_version_saved(
    staff_client, in_use
):
    data = _profile_form(in_use) | {"name": "AI engineer (platform)", "_continue": "1"}
    url = reverse("admin:hiring_skillprofile_change", args=[in_use.pk])
    response = staff_client.post(url, data)
    new = SkillProfile.objects.get(slug="ai-engineer", version=2)
    # "Save and continue editing" goes on with what was saved: the new version.
    assert response["Location"] == reverse("admin:hiring_skillprofile_change", args=[new.pk])
    assert (
        "Scorecards use AI engineer v1, so it stays as it was: your changes were saved as "
        "AI engineer (platform) v2." in messages_of(response)
    )
    assert SkillProfile.objects.get(pk=in_use.pk).name == "AI engineer"


def test_plain_save_of_a_profile_in_use_still_returns_to_the_list(staff_client, in_use):
    data = _profile_form(in_use) | {"competencies-0-weight": "2.00"}
    url = reverse("admin:hiring_skillprofile_change", args=[in_use.pk])
    response = staff_client.post(url, data)
    assert response["Location"] == reverse("admin:hiring_skillprofile_changelist")


def test_editing_a_skill_in_use_continues_on_the_new_versions_skill(staff_client, in_use):
    skill = Skill.objects.filter(competency__profile=in_use).order_by("pk").first()
    data = {
        "competency": skill.competency_id,
        "key": skill.key,
        "name": "Renamed skill",
        "description": skill.description,
        "order": skill.order,
        "anchor_1": skill.anchor_1,
        "anchor_2": skill.anchor_2,
        "anchor_3": skill.anchor_3,
        "anchor_4": skill.anchor_4,
        "questions-TOTAL_FORMS": 0,  # the skill's interview questions, left as they are
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        "_continue": "1",
    }
    response = staff_client.post(reverse("admin:hiring_skill_change", args=[skill.pk]), data)
    copy = Skill.objects.get(competency__profile__version=2, key=skill.key)
    assert response["Location"] == reverse("admin:hiring_skill_change", args=[copy.pk])
    assert copy.name == "Renamed skill"
    assert any("Scorecards use AI engineer v1" in m for m in messages_of(response))


def test_editing_a_competency_in_use_continues_on_the_new_versions_competency(staff_client, in_use):
    competency = Competency.objects.filter(profile=in_use).order_by("order").first()
    data = {
        "profile": in_use.pk,
        "order": competency.order,
        "key": competency.key,
        "name": competency.name,
        "description": "Rewritten.",
        "weight": competency.weight,
        "skills-TOTAL_FORMS": 0,
        "skills-INITIAL_FORMS": 0,
        "skills-MIN_NUM_FORMS": 0,
        "skills-MAX_NUM_FORMS": 1000,
        "work_samples-TOTAL_FORMS": 0,  # its work samples, left as they are
        "work_samples-INITIAL_FORMS": 0,
        "work_samples-MIN_NUM_FORMS": 0,
        "work_samples-MAX_NUM_FORMS": 1000,
        "_continue": "1",
    }
    url = reverse("admin:hiring_competency_change", args=[competency.pk])
    response = staff_client.post(url, data)
    copy = Competency.objects.get(profile__version=2, key=competency.key)
    assert response["Location"] == reverse("admin:hiring_competency_change", args=[copy.pk])
    assert copy.description == "Rewritten."


# ---------------------------------------------------------------------------
# The index: grouped by what recruiters do, everyday work first
# ---------------------------------------------------------------------------


def test_the_admin_index_is_grouped_with_everyday_models_first(staff_client):
    app_list = staff_client.get(reverse("admin:index")).context["app_list"]
    assert [(group["name"], [m["object_name"] for m in group["models"]]) for group in app_list] == [
        (
            "Hiring",
            [
                "Role",
                "Candidate",
                "Application",
                "Interview",
                "Scorecard",
                "ScorecardRevision",
                "RoleIntake",
            ],
        ),
        ("Profiles", ["SkillProfile", "Competency", "Skill", "SalaryBand", "IntakeQuestion"]),
        ("Integrations", ["ApiKey", "WebhookEndpoint", "WebhookDelivery", "WebhookEvent"]),
        ("System", ["User", "LoginLockout", "AuditEvent", "IdempotencyRecord"]),
    ]


def test_a_superuser_finds_the_groups_under_system(client, recruiter):
    recruiter.is_superuser = True
    recruiter.save()
    client.force_login(recruiter)
    app_list = client.get(reverse("admin:index")).context["app_list"]
    assert [m["object_name"] for m in app_list[-1]["models"]] == [
        "User",
        "LoginLockout",
        "AuditEvent",
        "Group",
        "IdempotencyRecord",
    ]


def test_each_apps_own_page_lists_its_models_in_the_same_order(staff_client):
    response = staff_client.get(reverse("admin:app_list", args=["hiring"]))
    [app] = response.context["app_list"]
    names = [model["object_name"] for model in app["models"]]
    assert names[:4] == ["Role", "Candidate", "Application", "Interview"]
    assert names[-1] == "IdempotencyRecord"


# ---------------------------------------------------------------------------
# An interview's focus competencies: those of its role's profile
# ---------------------------------------------------------------------------


def offered(page: str) -> dict[str, str]:
    """The focus competencies a page offers: value -> data-profile."""
    return dict(
        re.findall(r'name="[\w-]*focus_competencies" value="(\d+)"[^>]*data-profile="(\d+)"', page)
    )


def test_an_interviews_page_offers_its_roles_competencies_only(staff_client, interview, ai_profile):
    page = staff_client.get(
        reverse("admin:hiring_interview_change", args=[interview.pk])
    ).content.decode()
    ai = {str(pk) for pk in ai_profile.competencies.values_list("pk", flat=True)}
    assert set(offered(page)) == ai
    assert set(offered(page).values()) == {str(ai_profile.pk)}


def test_the_add_page_opened_for_an_application_knows_its_profile(
    staff_client, application, ai_profile, ml_profile
):
    url = reverse("admin:hiring_interview_add")
    page = staff_client.get(f"{url}?application={application.pk}").content.decode()
    # Every competency is on the page, each with its profile, and the application picker
    # says which profile to show (the page's script hides the others).
    assert set(offered(page).values()) == {str(ai_profile.pk), str(ml_profile.pk)}
    assert re.search(rf'<select name="application"[^>]*data-profile="{ai_profile.pk}"', page)
    page = staff_client.get(url).content.decode()
    assert re.search(r'<select name="application"[^>]*data-profile=""', page)
    assert "hiring/admin_interview.js" in page


def test_the_application_autocomplete_tells_the_page_its_profile_and_the_candidates_email(
    staff_client, application, ai_profile
):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": application.candidate.name.split()[0],
            "app_label": "hiring",
            "model_name": "interview",
            "field_name": "application",
        },
    )
    [result] = json.loads(response.content)["results"]
    assert result["id"] == str(application.pk)
    assert result["profile"] == ai_profile.pk
    assert application.candidate.email in result["text"]


def interview_rows(application, *rows) -> dict:
    data = {
        "candidate": application.candidate_id,
        "role": application.role_id,
        "stage": application.stage,
        "status": application.status,
        "external_id": "",
        "decisions-TOTAL_FORMS": 0,
        "decisions-INITIAL_FORMS": 0,
        "interviews-TOTAL_FORMS": len(rows),
        "interviews-INITIAL_FORMS": 0,
        "interviews-MIN_NUM_FORMS": 0,
        "interviews-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data |= {f"interviews-{index}-{name}": value for name, value in row.items()}
    return data


def test_adding_an_interview_on_the_application_page_offers_and_saves_its_roles_focus(
    staff_client, application, ai_profile, ml_profile
):
    url = reverse("admin:hiring_application_change", args=[application.pk])
    page = staff_client.get(url).content.decode()
    # The new row's template (and every row) offers the AI engineer's competencies only.
    assert set(offered(page).values()) == {str(ai_profile.pk)}
    first, second = ai_profile.competencies.order_by("order")[:2]
    row = {"name": "Systems", "scheduled_at_0": "", "scheduled_at_1": "", "external_id": ""}
    response = staff_client.post(
        url, interview_rows(application, row | {"focus_competencies": [first.pk, second.pk]})
    )
    assert response.status_code == 302
    interview = Interview.objects.get(application=application, name="Systems")
    assert set(interview.focus_competencies.all()) == {first, second}

    modelling = ml_profile.competencies.get(key="modelling")
    response = staff_client.post(
        url, interview_rows(application, row | {"name": "ML", "focus_competencies": [modelling.pk]})
    )
    assert response.status_code == 200
    assert not Interview.objects.filter(name="ML").exists()


# ---------------------------------------------------------------------------
# Scorecards: read-only, in words, and kept
# ---------------------------------------------------------------------------


@pytest.fixture
def submitted(interview, alice):
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card, score=4)
    services.scorecard_revise(
        scorecard=card, by=alice, reason="Typo in the summary", summary="Corrected."
    )
    return card


def test_a_submitted_scorecards_page_offers_no_save_and_reads_in_words(staff_client, submitted):
    response = staff_client.get(reverse("admin:hiring_scorecard_change", args=[submitted.pk]))
    page = response.content.decode()
    assert response.context["title"] == "View scorecard"
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    skill = Skill.objects.get(competency__profile=submitted.profile, key="vector-databases")
    assert f"{skill.name}: 4" in page  # the row's caption names the skill…
    assert f"4 of 4: {skill.anchor_4}" in page  # …and the rating says what a 4 is
    assert "vector-databases" not in page  # no raw keys
    # The correction shows what it replaced, in words.
    assert "Typo in the summary" in page
    assert "Overall recommendation: Yes" in page
    assert '{"skill"' not in page
    # The same on the correction's own page, which is a record: nothing to save.
    revision = submitted.revisions.get()
    page = staff_client.get(
        reverse("admin:hiring_scorecardrevision_change", args=[revision.pk])
    ).content.decode()
    assert f"<li>{skill.name}: 4 of 4: {skill.anchor_4}</li>" in page
    assert 'name="_save"' not in page and '{"skill"' not in page


def test_a_draft_scorecards_page_offers_no_save_but_can_be_deleted(staff_client, interview, bob):
    card = interview.scorecards.get(interviewer=bob)
    page = staff_client.get(reverse("admin:hiring_scorecard_change", args=[card.pk]))
    content = page.content.decode()
    assert 'name="_save"' not in content
    assert reverse("admin:hiring_scorecard_delete", args=[card.pk]) in content
    assert "revisions-group" not in content  # no empty corrections table


def test_bulk_deleting_submitted_scorecards_is_refused_with_the_rule(
    staff_client, submitted, interview, bob
):
    draft = interview.scorecards.get(interviewer=bob)
    response = staff_client.post(
        reverse("admin:hiring_scorecard_changelist"),
        {"action": "delete_selected", "_selected_action": [submitted.pk, draft.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "permission" not in page
    assert (
        "Nothing was deleted: 1 of the 2 selected scorecards is submitted. A submitted "
        "scorecard is never deleted: it stays on record, and a correction is made by its "
        "interviewer as a revision, with a reason." in page
    )
    assert Scorecard.objects.filter(pk__in=[submitted.pk, draft.pk]).count() == 2


def test_bulk_deleting_drafts_takes_their_interviewers_off_the_panel(
    staff_client, interview, alice, bob
):
    factories.submit(interview.scorecards.get(interviewer=alice))
    draft = interview.scorecards.get(interviewer=bob)
    WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook", secret="s" * 32, events=["interview.feedback_complete"]
    )
    url = reverse("admin:hiring_scorecard_changelist")
    confirm = staff_client.post(url, {"action": "delete_selected", "_selected_action": [draft.pk]})
    assert "Are you sure" in confirm.content.decode()
    staff_client.post(
        url, {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"}
    )
    assert list(interview.scorecards.values_list("interviewer", flat=True)) == [alice.pk]
    # Alice's is now the whole panel's feedback: the interview is complete, and says so.
    assert WebhookEvent.objects.filter(type="interview.feedback_complete").count() == 1


# ---------------------------------------------------------------------------
# Webhook deliveries: a finished delivery has no next attempt
# ---------------------------------------------------------------------------


@pytest.fixture
def deliveries(db):
    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook", secret="s" * 32, events=["scorecard.submitted"]
    )
    made = {}
    for status in ("pending", "succeeded", "failed"):
        event = WebhookEvent.objects.create(type="scorecard.submitted", payload={})
        made[status] = WebhookDelivery.objects.create(event=event, endpoint=endpoint, status=status)
    return made


def test_only_a_pending_delivery_shows_a_next_attempt(staff_client, deliveries):
    for status, delivery in deliveries.items():
        url = reverse("admin:hiring_webhookdelivery_change", args=[delivery.pk])
        page = staff_client.get(url).content.decode()
        assert ("Next attempt" in page) == (status == "pending"), status
    response = staff_client.get(reverse("admin:hiring_webhookdelivery_changelist"))
    cells = dict(
        re.findall(
            r'<td class="field-status">(\w+)</td>.*?<td class="field-next_attempt">([^<]*)</td>',
            response.content.decode(),
            re.S,
        )
    )
    assert cells["Succeeded"] == cells["Failed"] == "—"
    assert cells["Pending"] != "—"


def test_the_events_deliveries_show_no_next_attempt_once_delivered(staff_client, deliveries):
    event = deliveries["succeeded"].event
    page = staff_client.get(reverse("admin:hiring_webhookevent_change", args=[event.pk]))
    assert re.search(r'<td class="field-next_attempt">\s*<p>—</p>\s*</td>', page.content.decode())


# ---------------------------------------------------------------------------
# Candidates who share an email: a warning, and the email wherever one is picked
# ---------------------------------------------------------------------------


def test_a_second_candidate_with_the_same_email_is_saved_with_a_warning(staff_client, db):
    first = Candidate.objects.create(name="Ada Lovelace", email="ada@example.org")
    response = staff_client.post(
        reverse("admin:hiring_candidate_add"),
        {
            "name": "Ada Lovelace",
            "email": "ADA@example.org",
            "external_id": "",
            "applications-TOTAL_FORMS": 0,
            "applications-INITIAL_FORMS": 0,
            "applications-MIN_NUM_FORMS": 0,
            "applications-MAX_NUM_FORMS": 1000,
        },
        follow=True,
    )
    second = Candidate.objects.exclude(pk=first.pk).get()
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    [warning] = [str(m) for m in warnings]
    link = reverse("admin:hiring_candidate_change", args=[first.pk])
    assert warning == (
        f'Another candidate has the email ADA@example.org: <a href="{link}">Ada Lovelace '
        "(ada@example.org)</a>. If this is the same person, keep one record and give it an "
        "application per role."
    )
    # Either record's page says so, for as long as it is true.
    page = staff_client.get(reverse("admin:hiring_candidate_change", args=[second.pk]))
    assert f'<a href="{link}">Ada Lovelace (ada@example.org)</a>' in page.content.decode()


def test_a_candidate_with_a_unique_email_saves_without_a_warning(staff_client, db):
    Candidate.objects.create(name="Ada Lovelace", email="ada@example.org")
    candidate = Candidate.objects.create(name="Grace Hopper", email="grace@example.org")
    response = staff_client.post(
        reverse("admin:hiring_candidate_change", args=[candidate.pk]),
        {
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "external_id": "",
            "applications-TOTAL_FORMS": 0,
            "applications-INITIAL_FORMS": 0,
            "applications-MIN_NUM_FORMS": 0,
            "applications-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302
    assert not any("Another candidate" in m for m in messages_of(response))


def test_the_api_accepts_a_second_candidate_with_the_same_email(api_client, db):
    # The ATS may know one person twice (two requisitions, two records): not refused.
    ats = api_client("integration")
    for external_id in ("c-1", "c-2"):
        body = {"name": "Ada Lovelace", "email": "ada@example.org", "external_id": external_id}
        assert ats.post("/api/v1/candidates/", body, format="json").status_code == 201
    assert Candidate.objects.filter(email="ada@example.org").count() == 2


def test_the_email_shows_beside_the_name_wherever_a_candidate_is_picked(staff_client, role, db):
    twins = [
        Candidate.objects.create(name="Sam Smith", email=f"sam{n}@example.org") for n in (1, 2)
    ]
    # The autocomplete of an application's candidate.
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Sam",
            "app_label": "hiring",
            "model_name": "application",
            "field_name": "candidate",
        },
    )
    texts = [result["text"] for result in json.loads(response.content)["results"]]
    assert texts == ["Sam Smith (sam1@example.org)", "Sam Smith (sam2@example.org)"]
    # The lists that name candidates.
    application = factories.ApplicationFactory(role=role, candidate=twins[1])
    factories.make_interview(application=application, interviewers=[role.hiring_lead])
    for model in ("application", "interview", "scorecard"):
        page = staff_client.get(reverse(f"admin:hiring_{model}_changelist")).content.decode()
        assert "Sam Smith (sam2@example.org)" in page, model
    # The picked candidate shown on an application's page (fixed once saved).
    page = staff_client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    assert "Sam Smith (sam2@example.org)" in page.content.decode()
