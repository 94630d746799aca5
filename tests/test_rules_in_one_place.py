"""Each rule lives in one place (validators, services, access, selectors) and every
entry point that can break it — the API, the admin, the pages, the management
commands — refuses the same input with the same message."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hiring import services
from hiring.models import (
    HIRING_LEADS,
    INTERVIEWERS,
    ApiKey,
    Application,
    Candidate,
    Competency,
    Interview,
    Role,
    Scorecard,
    ScorecardStatus,
    User,
    WebhookEndpoint,
)
from hiring.validators import ExternalIdValidator, WebhookSecretValidator, WebhookUrlValidator
from tests import factories
from tests.test_intake import mixed

pytestmark = pytest.mark.usefixtures("builtin_data")

EXTERNAL_ID_MESSAGE = ExternalIdValidator.message
SECRET_MESSAGE = WebhookSecretValidator.message
URL_MESSAGE = WebhookUrlValidator.message


@pytest.fixture
def staff_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def ats(api_client):
    return api_client("integration")


@pytest.fixture
def retired(db):
    """Someone who has left: deactivated, but still in the Hiring leads group."""
    user = factories.UserFactory(email="retired@example.com", is_active=False)
    user.groups.add(Group.objects.get_or_create(name=HIRING_LEADS)[0])
    return user


def admin_form(response):
    """The admin form a (re-rendered) add or change page shows."""
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form


def inline(prefix: str) -> dict:
    """An inline formset with no rows."""
    return {
        f"{prefix}-TOTAL_FORMS": 0,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def role_form(role_profile, hiring_lead, **extra) -> dict:
    return {
        "title": "Search engineer",
        "team": "Search",
        "level": "senior",
        "status": "open",
        "external_id": "",
        "profile": role_profile.pk,
        "weight_overrides": "{}",
        "hiring_lead": hiring_lead.pk,
        "feedback_visibility": "after_own_submit",
        **inline("applications"),
        **extra,
    }


def interview_form(application, **extra) -> dict:
    return {
        "application": application.pk,
        "name": "Coding",
        "scheduled_at_0": "2026-12-01",
        "scheduled_at_1": "10:00",
        "focus_competencies": [],
        "external_id": "",
        "panel": [],
        **extra,
    }


def interview_change_form(interview, **extra) -> dict:
    """The interview's change form as it stands, with ``extra`` changed."""
    current = {
        "name": interview.name,
        "scheduled_at_0": "",
        "scheduled_at_1": "",
        "focus_competencies": list(interview.focus_competencies.values_list("pk", flat=True)),
        "panel": list(interview.scorecards.values_list("interviewer", flat=True)),
    }
    return interview_form(interview.application, **(current | extra))


def endpoint_form(**extra) -> dict:
    return {
        "url": "https://ats.example.com/hooks",
        "description": "",
        "events": ["scorecard.submitted"],
        "secret": "s" * 32,
        "is_active": "on",
        **extra,
    }


def endpoint_body(**extra) -> dict:
    return {
        "url": "https://ats.example.com/hooks",
        "events": ["scorecard.submitted"],
        "secret": "s" * 32,
        **extra,
    }


def api_errors(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content.decode()[:1000]
    return response.json()["fields"]


def create_api_key(*args) -> str:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def client_with(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def other_profile_competency(profile_slug: str = "ml-engineer") -> Competency:
    return Competency.objects.get(profile__slug=profile_slug, profile__version=1, key="modelling")


# ---------------------------------------------------------------------------
# 1. External ids
# ---------------------------------------------------------------------------

BAD_EXTERNAL_IDS = ["abc/def", " abc", "abc ", "  "]


@pytest.mark.parametrize(
    "external_id",
    BAD_EXTERNAL_IDS,
    ids=["a slash", "a leading space", "a trailing space", "spaces"],
)
def test_a_bad_external_id_is_refused_with_one_message_by_every_admin_add_form_and_the_api(
    staff_client, ats, ai_profile, lead, application, external_id
):
    candidate = factories.CandidateFactory()
    forms = {
        "role": role_form(ai_profile, lead, external_id=external_id),
        "candidate": {
            "name": "Ada",
            "email": "ada@example.org",
            "external_id": external_id,
            **inline("applications"),
        },
        "application": {
            "candidate": candidate.pk,
            "role": application.role_id,
            "stage": "applied",
            "status": "active",
            "external_id": external_id,
            **inline("interviews"),
        },
        "interview": interview_form(application, external_id=external_id),
    }
    counts = {Model: Model.objects.count() for Model in (Role, Candidate, Application, Interview)}

    for model, data in forms.items():
        response = staff_client.post(reverse(f"admin:hiring_{model}_add"), data)
        assert admin_form(response).errors["external_id"] == [EXTERNAL_ID_MESSAGE], model

    bodies = {
        "roles": {
            "title": "Search engineer",
            "profile": "ai-engineer",
            "hiring_lead": lead.email,
        },
        "candidates": {"name": "Ada", "email": "ada@example.org"},
        "applications": {"role": application.role_id, "candidate": candidate.pk},
        "interviews": {"application": application.pk, "name": "Coding"},
    }
    for resource, body in bodies.items():
        response = ats.post(f"/api/v1/{resource}/", {**body, "external_id": external_id})
        assert api_errors(response)["external_id"] == [EXTERNAL_ID_MESSAGE], resource

    assert {Model: Model.objects.count() for Model in counts} == counts


def test_a_bad_external_id_in_an_admin_inline_row_is_refused_as_by_the_api(staff_client, ats, role):
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "external_id": "",
        **inline("applications"),
        "applications-TOTAL_FORMS": 1,
        "applications-0-role": role.pk,
        "applications-0-stage": "applied",
        "applications-0-status": "active",
        "applications-0-external_id": " app-1",
    }
    response = staff_client.post(reverse("admin:hiring_candidate_add"), data)
    assert response.status_code == 200
    [applications] = response.context["inline_admin_formsets"]
    assert applications.formset.errors == [{"external_id": [EXTERNAL_ID_MESSAGE]}]

    candidate = factories.CandidateFactory()
    response = ats.post(
        "/api/v1/applications/",
        {"role": role.pk, "candidate": candidate.pk, "external_id": " app-1"},
    )
    assert api_errors(response)["external_id"] == [EXTERNAL_ID_MESSAGE]
    assert not Application.objects.exists()
    assert Candidate.objects.get() == candidate


def test_a_good_external_id_is_saved_as_given_by_the_admin_and_the_api(
    staff_client, ats, ai_profile, lead
):
    response = staff_client.post(
        reverse("admin:hiring_role_add"), role_form(ai_profile, lead, external_id="req 1.a")
    )
    assert response.status_code == 302
    response = ats.post(
        "/api/v1/roles/",
        {
            "title": "Search engineer",
            "profile": "ai-engineer",
            "hiring_lead": lead.email,
            "external_id": "req 2.a",
        },
    )
    assert response.status_code == 201
    assert set(Role.objects.values_list("external_id", flat=True)) == {"req 1.a", "req 2.a"}


# ---------------------------------------------------------------------------
# 2. Webhook endpoints: secret, URL and events
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    ["s" * 15, "s" * 201, "with a space in it, long enough", " " + "s" * 20, "s" * 20 + " "],
    ids=[
        "15 characters",
        "201 characters",
        "a space inside",
        "a leading space",
        "a trailing space",
    ],
)
def test_a_bad_webhook_secret_gets_the_one_secret_message_from_the_api_and_the_admin(
    ats, staff_client, secret
):
    response = ats.post("/api/v1/webhooks/", endpoint_body(secret=secret), format="json")
    assert api_errors(response)["secret"] == [SECRET_MESSAGE]

    response = staff_client.post(
        reverse("admin:hiring_webhookendpoint_add"), endpoint_form(secret=secret)
    )
    assert admin_form(response).errors["secret"] == [SECRET_MESSAGE]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://ats.example.com/hooks",
        "https://ats.example.com/with space",
        " https://ats.example.com/",
    ],
)
def test_a_bad_webhook_url_gets_the_one_url_message_from_the_api_and_the_admin(
    ats, staff_client, url
):
    response = ats.post("/api/v1/webhooks/", endpoint_body(url=url), format="json")
    assert api_errors(response)["url"] == [URL_MESSAGE]

    response = staff_client.post(
        reverse("admin:hiring_webhookendpoint_add"), endpoint_form(url=url)
    )
    assert admin_form(response).errors["url"] == [URL_MESSAGE]
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_webhook_event_is_refused_by_the_api_and_the_admin(ats, staff_client):
    events = ["scorecard.submitted", "scorecard.deleted"]
    response = ats.post("/api/v1/webhooks/", endpoint_body(events=events), format="json")
    assert any(path.split(".")[0] == "events" for path in api_errors(response))

    response = staff_client.post(
        reverse("admin:hiring_webhookendpoint_add"), endpoint_form(events=events)
    )
    assert "scorecard.deleted" in " ".join(admin_form(response).errors["events"])
    assert not WebhookEndpoint.objects.exists()


def test_a_good_webhook_endpoint_is_saved_the_same_by_the_api_and_the_admin(ats, staff_client):
    secret = "0123456789abcdef"  # exactly 16
    response = ats.post(
        "/api/v1/webhooks/",
        endpoint_body(url="https://a.example.com/hooks", secret=secret),
        format="json",
    )
    assert response.status_code == 201
    response = staff_client.post(
        reverse("admin:hiring_webhookendpoint_add"),
        endpoint_form(url="https://b.example.com/hooks", secret=secret),
    )
    assert response.status_code == 302
    assert list(WebhookEndpoint.objects.values_list("secret", flat=True)) == [secret, secret]


# ---------------------------------------------------------------------------
# 3. Focus competencies
# ---------------------------------------------------------------------------


def test_a_competency_of_another_profile_is_refused_with_one_message_by_the_api_and_the_admin(
    ats, staff_client, application, ai_profile
):
    modelling = other_profile_competency()
    message = f"'modelling' is not a competency of {ai_profile}."
    assert message == "'modelling' is not a competency of AI engineer v1."

    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "name": "Coding", "focus_competencies": ["modelling"]},
        format="json",
    )
    assert api_errors(response)["focus_competencies"] == [message]

    response = staff_client.post(
        reverse("admin:hiring_interview_add"),
        interview_form(application, focus_competencies=[modelling.pk]),
    )
    assert admin_form(response).errors["focus_competencies"] == [message]
    assert not Interview.objects.exists()


# ---------------------------------------------------------------------------
# 4. The panel
# ---------------------------------------------------------------------------


def test_removing_someone_who_submitted_is_refused_by_the_api_and_the_admin_change_form(
    ats, staff_client, interview, alice, bob
):
    factories.submit(interview.scorecards.get(interviewer=alice))
    message = "alice@example.com has submitted a scorecard and stays on the panel."

    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/",
        {"name": "Renamed by the API", "interviewers": ["bob@example.com"]},
        format="json",
    )
    assert api_errors(response)["interviewers"] == [message]

    response = staff_client.post(
        reverse("admin:hiring_interview_change", args=[interview.pk]),
        interview_change_form(interview, name="Renamed in the admin", panel=[bob.pk]),
    )
    form = admin_form(response)
    assert form.errors["panel"] == [message]
    assert not form.non_field_errors()

    interview.refresh_from_db()
    assert interview.name == "Technical interview"
    assert set(interview.scorecards.values_list("interviewer", flat=True)) == {alice.pk, bob.pk}


def test_the_admin_saves_interviews_through_the_service_as_the_api_does(
    ats, staff_client, application, alice, bob, ai_profile
):
    # The role stays on v1 while v2 becomes current: a panel's scorecards pin the role's.
    services.profile_new_version(profile=ai_profile)
    response = staff_client.post(
        reverse("admin:hiring_interview_add"),
        interview_form(application, name="In the admin", panel=[alice.pk, bob.pk]),
    )
    assert response.status_code == 302
    response = ats.post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "name": "Through the API",
            "interviewers": [alice.email, bob.email],
        },
        format="json",
    )
    assert response.status_code == 201
    for name in ("In the admin", "Through the API"):
        cards = Scorecard.objects.filter(interview__name=name)
        assert sorted((c.interviewer.email, c.status, c.profile_id) for c in cards) == [
            (alice.email, ScorecardStatus.DRAFT, ai_profile.pk),
            (bob.email, ScorecardStatus.DRAFT, ai_profile.pk),
        ], name

    # Changing the focus to another profile's competency is refused as on creation
    # (the change form offers the role's competencies; the service judges what is posted).
    interview = Interview.objects.get(name="In the admin")
    url = reverse("admin:hiring_interview_change", args=[interview.pk])
    offered = admin_form(staff_client.get(url)).fields["focus_competencies"].widget.choices
    assert {pk for pk, _ in offered} == set(ai_profile.competencies.values_list("pk", flat=True))
    modelling = other_profile_competency()
    message = f"'modelling' is not a competency of {ai_profile}."
    response = staff_client.post(
        reverse("admin:hiring_interview_change", args=[interview.pk]),
        interview_change_form(interview, focus_competencies=[modelling.pk]),
    )
    assert admin_form(response).errors["focus_competencies"] == [message]
    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/", {"focus_competencies": ["modelling"]}, format="json"
    )
    assert api_errors(response)["focus_competencies"] == [message]
    assert not interview.focus_competencies.exists()


def test_what_an_object_belongs_to_cannot_change_from_the_api_the_admin_or_a_service(
    ats, staff_client, role, application, interview, ai_profile, lead
):
    other_role = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
    other_application = factories.ApplicationFactory(role=role)
    moved = "This cannot change once created; create a new one instead."

    # The API refuses, naming the field.
    response = ats.patch(
        f"/api/v1/applications/{application.pk}/", {"role": other_role.pk}, format="json"
    )
    assert api_errors(response)["role"] == [moved]
    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/",
        {"application": other_application.pk},
        format="json",
    )
    assert api_errors(response)["application"] == [moved]

    # The admin shows the relation, not an input for it: a posted change is ignored.
    url = reverse("admin:hiring_application_change", args=[application.pk])
    form = admin_form(staff_client.get(url))
    assert form.fields["role"].disabled and form.fields["candidate"].disabled
    url = reverse("admin:hiring_interview_change", args=[interview.pk])
    assert admin_form(staff_client.get(url)).fields["application"].disabled
    posted = interview_change_form(interview) | {"application": other_application.pk}
    assert staff_client.post(url, posted).status_code == 302

    # And the service, which every entry point calls, refuses it too.
    application.role = other_role
    with pytest.raises(ValidationError) as refused:
        services.application_save(application=application)
    assert refused.value.message_dict == {"role": [moved]}
    interview.refresh_from_db()
    interview.application = other_application
    with pytest.raises(ValidationError) as refused:
        services.interview_save(interview=interview)
    assert refused.value.message_dict == {"application": [moved]}
    assert Application.objects.get(pk=application.pk).role_id == role.pk
    assert Interview.objects.get(pk=interview.pk).application_id == application.pk


# ---------------------------------------------------------------------------
# 5. People named by email
# ---------------------------------------------------------------------------


def test_a_deactivated_user_cannot_be_named_anywhere(
    ats, api_client, staff_client, recruiter, application, ai_profile, retired
):
    email = retired.email
    response = ats.post(
        "/api/v1/roles/",
        {"title": "Search engineer", "profile": "ai-engineer", "hiring_lead": email},
        format="json",
    )
    assert "hiring_lead" in api_errors(response)

    response = api_client(recruiter).post(
        "/api/v1/role-intake/roles/",
        {"answers": mixed(ml=8), "hiring_lead": email.upper()},
        format="json",
    )
    assert "hiring_lead" in api_errors(response)

    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "name": "Coding", "interviewers": [email]},
        format="json",
    )
    assert "interviewers" in api_errors(response)

    with pytest.raises(CommandError):
        create_api_key("retired laptop", "--user", email)
    response = staff_client.post(
        reverse("admin:hiring_apikey_add"), {"name": "retired laptop", "user": retired.pk}
    )
    assert "user" in admin_form(response).errors

    # The admin offers active people only, as hiring lead and on a panel.
    response = staff_client.post(reverse("admin:hiring_role_add"), role_form(ai_profile, retired))
    assert "hiring_lead" in admin_form(response).errors
    response = staff_client.post(
        reverse("admin:hiring_interview_add"), interview_form(application, panel=[retired.pk])
    )
    assert "panel" in admin_form(response).errors

    # So does the intake page, to a recruiter picking the hiring lead.
    response = staff_client.post(
        "/intake/", {"level": "mid", **intake_page_answers(), "hiring_lead": retired.pk}
    )
    assert response.status_code == 400
    assert "hiring_lead" in response.context["create_form"].errors

    assert not Role.objects.exclude(pk=application.role_id).exists()
    assert not Interview.objects.exists()
    assert not Scorecard.objects.filter(interviewer=retired).exists()
    assert not ApiKey.objects.filter(user=retired).exists()


def intake_page_answers() -> dict:
    return {f"answers.{question}": answer for question, answer in mixed(ml=8).items()}


def test_email_matching_is_case_insensitive_everywhere(
    ats, api_client, recruiter, lead, application
):
    shouted = "LEE@EXAMPLE.COM"
    response = ats.post(
        "/api/v1/roles/",
        {"title": "Search engineer", "profile": "ai-engineer", "hiring_lead": shouted},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["hiring_lead"] == lead.email

    response = api_client(recruiter).post(
        "/api/v1/role-intake/roles/",
        {"answers": mixed(ml=8), "hiring_lead": shouted},
        format="json",
    )
    assert response.status_code == 201
    assert [role["hiring_lead"] for role in response.json()["roles"]] == [lead.email]

    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "name": "Coding", "interviewers": [shouted]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["interviewers"] == [lead.email]

    create_api_key("lee laptop", "--user", shouted)
    assert ApiKey.objects.get(name="lee laptop").user == lead

    assert User.objects.filter(email__iexact=shouted).count() == 1


# ---------------------------------------------------------------------------
# 6. API keys
# ---------------------------------------------------------------------------


def test_the_admin_action_and_the_command_both_revoke_a_key(staff_client, lead):
    _, by_admin = services.api_key_create(name="by admin")
    _, by_command = services.api_key_create(name="by command", user=lead)
    for raw in (by_admin, by_command):
        assert client_with(raw).get("/api/v1/me/").status_code == 200

    response = staff_client.post(
        reverse("admin:hiring_apikey_changelist"),
        {"action": "revoke_api_keys", "_selected_action": [ApiKey.objects.get(name="by admin").pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Revoked 1 key(s)."]
    call_command("revoke_api_key", "by command", stdout=StringIO())

    for raw in (by_admin, by_command):
        assert client_with(raw).get("/api/v1/me/").status_code == 401
    assert not ApiKey.objects.filter(revoked_at__isnull=True).exists()


def test_revoking_a_revoked_key_again_changes_and_counts_nothing(staff_client):
    revoked_at = timezone.now() - timedelta(days=3)
    old, _ = services.api_key_create(name="old")
    ApiKey.objects.filter(pk=old.pk).update(revoked_at=revoked_at)
    live, _ = services.api_key_create(name="live")

    response = staff_client.post(
        reverse("admin:hiring_apikey_changelist"),
        {"action": "revoke_api_keys", "_selected_action": [old.pk, live.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Revoked 1 key(s)."]
    with pytest.raises(CommandError, match="No active API key"):
        call_command("revoke_api_key", "old", stdout=StringIO())

    old.refresh_from_db()
    assert old.revoked_at == revoked_at
    live.refresh_from_db()
    assert live.revoked_at is not None


def test_a_keys_user_and_revocation_are_read_only_in_the_admin(staff_client, lead, alice):
    key, raw = services.api_key_create(name="lee laptop", user=lead)
    services.api_keys_revoke(keys=ApiKey.objects.filter(pk=key.pk))
    key.refresh_from_db()
    url = reverse("admin:hiring_apikey_change", args=[key.pk])

    form = admin_form(staff_client.get(url))
    assert "user" not in form.fields and "revoked_at" not in form.fields

    response = staff_client.post(
        url, {"name": "lee old laptop", "user": alice.pk, "revoked_at_0": "", "revoked_at_1": ""}
    )
    assert response.status_code == 302
    renamed = ApiKey.objects.get(pk=key.pk)
    assert (renamed.name, renamed.user, renamed.revoked_at) == (
        "lee old laptop",
        lead,
        key.revoked_at,
    )
    assert client_with(raw).get("/api/v1/me/").status_code == 401


# ---------------------------------------------------------------------------
# 7. The intake API is strict like the rest of the API
# ---------------------------------------------------------------------------

RECOMMEND = "/api/v1/role-intake/"
INTAKE_ROLES = "/api/v1/role-intake/roles/"


def test_an_unknown_field_is_a_400_naming_it_on_the_intake_as_on_roles(api_client, recruiter, lead):
    client = api_client(recruiter)
    for url in (RECOMMEND, INTAKE_ROLES):
        response = client.post(url, {"answers": mixed(ml=8), "colour": "blue"}, format="json")
        assert api_errors(response) == {"colour": ["Unknown field."]}, url
    response = client.post(
        "/api/v1/roles/",
        {"title": "X", "profile": "ai-engineer", "hiring_lead": lead.email, "colour": "blue"},
        format="json",
    )
    assert api_errors(response) == {"colour": ["Unknown field."]}
    assert not Role.objects.exists()


def test_a_field_that_is_not_input_like_id_is_refused_on_the_intake_as_on_roles(
    api_client, recruiter, lead
):
    client = api_client(recruiter)
    for url in (RECOMMEND, INTAKE_ROLES):
        response = client.post(url, {"answers": mixed(ml=8), "id": 7}, format="json")
        assert list(api_errors(response)) == ["id"], url
    response = client.post(
        "/api/v1/roles/",
        {"title": "X", "profile": "ai-engineer", "hiring_lead": lead.email, "id": 7},
        format="json",
    )
    assert list(api_errors(response)) == ["id"]
    assert not Role.objects.exists()


@pytest.mark.parametrize("field", ["title", "level"])
def test_a_number_for_a_text_field_is_a_400_on_that_field_not_coerced(
    api_client, recruiter, lead, field
):
    client = api_client(recruiter)
    urls = (INTAKE_ROLES,) if field == "title" else (RECOMMEND, INTAKE_ROLES)
    for url in urls:
        response = client.post(url, {"answers": mixed(ml=8), field: 5}, format="json")
        assert list(api_errors(response)) == [field], url
    response = client.post(
        "/api/v1/roles/",
        {"title": "X", "profile": "ai-engineer", "hiring_lead": lead.email, field: 5},
        format="json",
    )
    assert list(api_errors(response)) == [field]
    assert not Role.objects.exists()


# ---------------------------------------------------------------------------
# 8. Who may use the intake, and who is a hiring lead
# ---------------------------------------------------------------------------

QUESTIONS = "/api/v1/role-intake/questions/"


def intake_access(client, api_client, user) -> tuple[int, int]:
    """The intake page's and the intake API's answer to this person."""
    client.force_login(user)
    return client.get("/intake/").status_code, api_client(user).get(QUESTIONS).status_code


def test_the_intake_page_and_api_let_in_the_same_people(client, api_client, lead, recruiter, alice):
    assert intake_access(client, api_client, lead) == (200, 200)
    assert intake_access(client, api_client, recruiter) == (200, 200)
    assert intake_access(client, api_client, alice) == (403, 403)
    assert api_client("integration").get(QUESTIONS).status_code == 200


def test_leading_a_role_makes_a_hiring_lead_for_the_page_and_the_api_without_a_group(
    client, api_client, ai_profile
):
    nobody = factories.UserFactory(email="nora@example.com")
    assert not nobody.groups.exists()
    assert intake_access(client, api_client, nobody) == (403, 403)

    factories.RoleFactory(profile=ai_profile, hiring_lead=nobody)
    nora = User.objects.get(pk=nobody.pk)  # a fresh object: no cached groups
    assert intake_access(client, api_client, nora) == (200, 200)


def test_an_interviewer_alone_is_not_a_hiring_lead_on_the_page_or_the_api(
    client, api_client, interview, alice
):
    # On a panel and in the Interviewers group, but leading nothing.
    assert alice.groups.filter(name=INTERVIEWERS).exists()
    assert intake_access(client, api_client, alice) == (403, 403)
    response = api_client(alice).post(INTAKE_ROLES, {"answers": mixed(ml=8)}, format="json")
    assert response.status_code == 403
    response = client.post("/intake/", {"level": "mid", **intake_page_answers()})
    assert response.status_code == 403
    assert not Role.objects.exclude(pk=interview.application.role_id).exists()
