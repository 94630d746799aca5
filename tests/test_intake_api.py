"""Role intake over the REST API: /api/v1/role-intake/…"""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from hiring import services
from hiring.access import Integration
from hiring.models import IntakeQuestion, Role, RoleIntake
from tests.test_intake import QUESTION_KEYS, answers_pointing, mixed

QUESTIONS = "/api/v1/role-intake/questions/"
RECOMMEND = "/api/v1/role-intake/"
ROLES = "/api/v1/role-intake/roles/"

pytestmark = pytest.mark.usefixtures("builtin_data")


@pytest.fixture
def api():
    def as_(actor=None) -> APIClient:
        client = APIClient()
        if actor is not None:
            client.force_authenticate(user=actor)
        return client

    return as_


def field_errors(body, path: str):
    """The messages for one field path, wherever the error envelope puts its details."""
    if isinstance(body, dict):
        if path in body:
            return body[path]
        if body.get("field") == path:
            return body.get("message") or body.get("messages") or body
        values = body.values()
    elif isinstance(body, list):
        values = body
    else:
        return None
    for value in values:
        found = field_errors(value, path)
        if found:
            return found
    return None


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------


def test_it_lists_the_questions_with_their_answers_and_where_each_points(api, lead):
    response = api(lead).get(QUESTIONS)

    assert response.status_code == 200
    body = response.json()
    assert [q["key"] for q in body] == QUESTION_KEYS
    first = body[0]
    assert set(first) >= {"key", "text", "answers"}
    assert [(a["key"], a["points_to"]) for a in first["answers"]] == [
        ("new-product", "ai-engineer"),
        ("improve-model", "ml-engineer"),
        ("not-sure", None),
    ]
    assert all(set(a) >= {"key", "text", "points_to"} for q in body for a in q["answers"])


def test_the_question_list_costs_two_queries_however_many_questions(
    api, recruiter, django_assert_num_queries
):
    client = api(recruiter)
    with django_assert_num_queries(2):
        assert len(client.get(QUESTIONS).json()) == 8
    IntakeQuestion.objects.create(key="budget", text="What is the budget?", order=9)
    with django_assert_num_queries(2):
        assert len(client.get(QUESTIONS).json()) == 9


# ---------------------------------------------------------------------------
# Recommendation
# ---------------------------------------------------------------------------


def test_clear_cut_ai_answers_recommend_the_ai_engineer_with_its_salary_band(api, lead):
    response = api(lead).post(
        RECOMMEND, {"answers": answers_pointing("ai-engineer"), "level": "mid"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["recommendation"] == "ai-engineer"
    assert body["strength"] == 1.0
    assert len(body["explanation"]) == 8
    assert body["tally"] == {"ai-engineer": 8, "ml-engineer": 0, "not_sure": 0, "unanswered": 0}
    assert [
        (b["profile"], b["level"], b["minimum"], b["maximum"]) for b in body["salary_bands"]
    ] == [("ai-engineer", "mid", 145000, 185000)]


def test_clear_cut_ml_answers_recommend_the_ml_engineer(api, lead):
    body = (
        api(lead)
        .post(
            RECOMMEND,
            {"answers": answers_pointing("ml-engineer"), "level": "senior"},
            format="json",
        )
        .json()
    )

    assert body["recommendation"] == "ml-engineer"
    assert body["profiles"] == ["ml-engineer"]
    assert [(b["profile"], b["minimum"], b["open_ended"]) for b in body["salary_bands"]] == [
        ("ml-engineer", 195000, True)
    ]


def test_a_genuine_split_recommends_both_with_staging_advice_and_two_bands(api, lead):
    body = api(lead).post(RECOMMEND, {"answers": mixed(ai=4, ml=4)}, format="json").json()

    assert body["recommendation"] == "both"
    assert body["strength"] == 0.0
    assert body["profiles"] == ["ml-engineer", "ai-engineer"]
    assert "ML engineer first" in body["advice"]
    assert body["level"] == "mid"  # the default
    assert [b["profile"] for b in body["salary_bands"]] == ["ml-engineer", "ai-engineer"]


def test_mostly_not_sure_answers_insufficient_with_no_band(api, lead):
    body = api(lead).post(RECOMMEND, {"answers": mixed(ai=2, not_sure=6)}, format="json").json()

    assert body["recommendation"] == "insufficient"
    assert body["strength"] == 0.0
    assert body["salary_bands"] == []
    assert body["required_answers"] == 4
    assert len(body["explanation"]) == 8


def test_an_unknown_question_is_a_400_naming_it(api, lead):
    response = api(lead).post(
        RECOMMEND, {"answers": {**mixed(ml=4), "favourite-colour": "blue"}}, format="json"
    )

    assert response.status_code == 400
    assert field_errors(response.json(), "answers.favourite-colour") == [
        "'favourite-colour' is not an intake question."
    ]


def test_an_unknown_answer_is_a_400_naming_its_question_and_the_valid_answers(api, lead):
    response = api(lead).post(
        RECOMMEND, {"answers": {"timeline": "yesterday", "team-gap": None}}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert "room-to-experiment, ship-fast, not-sure" in field_errors(body, "answers.timeline")[0]
    assert field_errors(body, "answers.team-gap") == ["Give the answer's key as a string."]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "answers"),
        ({"answers": ["new-product"]}, "answers"),
        ({"answers": "new-product"}, "answers"),
        ({"answers": {}, "level": "principal"}, "level"),
    ],
)
def test_malformed_input_is_a_400_with_the_field(api, lead, payload, field):
    response = api(lead).post(RECOMMEND, payload, format="json")

    assert response.status_code == 400
    assert field_errors(response.json(), field)


# ---------------------------------------------------------------------------
# Creating roles
# ---------------------------------------------------------------------------


def test_a_hiring_lead_creates_the_recommended_role_on_the_current_profile_version(
    api, lead, ml_profile
):
    services.profile_new_version(profile=ml_profile)
    answers = mixed(ml=6, ai=1, not_sure=1)

    response = api(lead).post(
        ROLES,
        {"answers": answers, "level": "senior", "title": "Fraud models", "team": "Risk"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["recommendation"] == "ml-engineer"
    assert body["answers"] == answers
    assert body["created_by"] == lead.email
    [role] = body["roles"]
    assert role["title"] == "Fraud models"
    assert role["status"] == "draft"
    assert role["profile"] == {"slug": "ml-engineer", "version": 2, "name": "ML engineer"}
    assert role["hiring_lead"] == lead.email
    assert role["salary_band"]["minimum"] == 195000
    stored = Role.objects.get(pk=role["id"])
    assert stored.intake_id == body["id"]
    assert stored.intake.explanation == body["explanation"]


def test_a_split_creates_two_roles_sharing_one_intake(api, recruiter, lead):
    response = api(recruiter).post(
        ROLES,
        {"answers": mixed(ai=4, ml=4), "title": "Search", "hiring_lead": lead.email.upper()},
        format="json",
    )

    assert response.status_code == 201
    roles = response.json()["roles"]
    assert [(r["title"], r["profile"]["slug"], r["hiring_lead"]) for r in roles] == [
        ("Search (ML engineer)", "ml-engineer", lead.email),
        ("Search (AI engineer)", "ai-engineer", lead.email),
    ]
    assert RoleIntake.objects.get().roles.count() == 2


def test_insufficient_answers_create_no_role(api, lead):
    response = api(lead).post(ROLES, {"answers": mixed(not_sure=8)}, format="json")

    assert response.status_code == 400
    assert field_errors(response.json(), "answers")
    assert not Role.objects.exists()
    assert not RoleIntake.objects.exists()


def test_a_hiring_lead_cannot_create_roles_for_another_lead(api, lead, other_lead):
    response = api(lead).post(
        ROLES, {"answers": mixed(ml=8), "hiring_lead": other_lead.email}, format="json"
    )

    assert response.status_code == 400
    assert field_errors(response.json(), "hiring_lead")
    assert not Role.objects.exists()


def test_an_unknown_hiring_lead_is_a_400(api, recruiter):
    response = api(recruiter).post(
        ROLES, {"answers": mixed(ml=8), "hiring_lead": "nobody@example.com"}, format="json"
    )

    assert response.status_code == 400
    assert field_errors(response.json(), "hiring_lead")


def test_the_integration_key_must_name_the_hiring_lead(api, lead):
    integration = api(Integration())
    missing = integration.post(ROLES, {"answers": mixed(ml=8)}, format="json")
    assert missing.status_code == 400
    assert field_errors(missing.json(), "hiring_lead")

    created = integration.post(
        ROLES, {"answers": mixed(ml=8), "hiring_lead": lead.email}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["created_by"] is None
    assert created.json()["roles"][0]["hiring_lead"] == lead.email


# ---------------------------------------------------------------------------
# Stored intakes and who may see them
# ---------------------------------------------------------------------------


def test_a_stored_intake_shows_its_rationale_and_roles_to_those_who_may_see_it(
    api, recruiter, lead, other_lead
):
    created = api(lead).post(ROLES, {"answers": mixed(ai=8)}, format="json").json()
    url = f"{RECOMMEND}{created['id']}/"

    assert api(lead).get(url).json() == created
    assert api(recruiter).get(url).status_code == 200
    assert api(Integration()).get(url).status_code == 200
    assert api(other_lead).get(url).status_code == 404


@pytest.mark.parametrize(
    "method, url, payload",
    [
        ("get", QUESTIONS, None),
        ("post", RECOMMEND, {"answers": {}}),
        ("post", ROLES, {"answers": {}}),
        ("get", f"{RECOMMEND}1/", None),
    ],
)
def test_interviewers_get_403_and_strangers_must_authenticate(api, alice, method, url, payload):
    as_interviewer = getattr(api(alice), method)(url, payload, format="json")
    assert as_interviewer.status_code == 403

    anonymous = getattr(api(), method)(url, payload, format="json")
    assert anonymous.status_code in (401, 403)
    assert not Role.objects.exists()


def test_the_intake_endpoints_are_in_a_valid_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)

    paths = schema["paths"]
    assert set(paths[QUESTIONS]) == {"get"}
    assert set(paths[RECOMMEND]) == {"post"}
    assert set(paths[ROLES]) == {"post"}
    assert set(paths[RECOMMEND + "{id}/"]) == {"get"}
    assert {"200", "400", "403"} <= set(paths[RECOMMEND]["post"]["responses"])
    assert {"201", "400", "403"} <= set(paths[ROLES]["post"]["responses"])
    components = schema["components"]["schemas"]
    enum = components["RoleIntakeRecommendation"]["properties"]["recommendation"]["$ref"]
    assert components[enum.rsplit("/", 1)[1]]["enum"] == [
        "ai-engineer",
        "ml-engineer",
        "both",
        "insufficient",
    ]
