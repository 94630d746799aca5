"""Schemathesis against the live OpenAPI schema, authenticated as a recruiter,
with every check on: the server never answers 5xx, every status, header and body
it sends is documented, schema-valid requests are accepted and schema-violating
ones rejected.

A schema cannot say "an id that exists", so schema-valid requests are given
existing references (see ``seed``) - otherwise nearly every write would be a
correct 400 "no such role" and the happy paths would go untested. Requests that
violate the schema are sent exactly as generated.
"""

import os
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from hiring import selectors
from hiring.models import Competency, Interview, Role, RoleIntake, WebhookEndpoint
from hiring.services import api_key_create, brief_get_or_generate
from scorecards.wsgi import application

# ~25 operations x this many examples (plus schemathesis's coverage cases) keeps
# the run around a minute or two; raise it locally to search harder.
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "30"))


@pytest.fixture
def api_schema(db):
    # Calling the WSGI app directly (not through Django's test client) would end each
    # request by closing "old" database connections - on PostgreSQL, the test's own,
    # with its transaction. Do what the test client does: keep it open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known(recruiter, lead, role, application, interview):
    """Objects that exist, for schema-valid requests to refer to."""
    _, raw = api_key_create(name="schemathesis", user=recruiter)
    endpoint = WebhookEndpoint.objects.create(
        url="https://ats.example.com/hooks", secret="s" * 32, events=["scorecard.submitted"]
    )
    return {
        "key": raw,
        "ids": {
            "profiles": role.profile_id,
            "roles": role.pk,
            "candidates": application.candidate_id,
            "applications": application.pk,
            "interviews": interview.pk,
            "scorecards": interview.scorecards.first().pk,
            "role-intake": RoleIntake.objects.create(
                answers={}, recommendation="insufficient", strength=0, created_by=recruiter
            ).pk,
            "webhooks": endpoint.pk,
        },
        "body": {
            "role": role.pk,
            "candidate": application.candidate_id,
            "application": application.pk,
            "profile": role.profile.slug,
            "hiring_lead": lead.email,
        },
        "answers": {
            "business-goal": "new-product",
            "technical-risk": "integration-reliability",
            "ninety-day-deliverable": "working-prototype",
            "timeline": "ship-fast",
        },
        "focus": list(
            Competency.objects.filter(profile=role.profile).values_list("key", flat=True)
        ),
    }


def seed(case, known) -> None:
    """Point a schema-valid request at objects that exist."""
    resource = case.path.split("/")[3]
    path_id = (case.path_parameters or {}).get("id")
    if isinstance(path_id, int) and path_id % 2 == 0:
        case.path_parameters["id"] = known["ids"][resource]  # odd ids stay: mostly 404s
    if isinstance(case.body, dict):
        for name, value in known["body"].items():
            if name in case.body:
                case.body[name] = value
        if resource == "role-intake" and "answers" in case.body:
            # Enough answers for a recommendation: the rule's 400 is tested elsewhere.
            case.body["answers"] = known["answers"]
        if case.body.get("focus_competencies"):
            keys = known["focus"]
            case.body["focus_competencies"] = keys[: len(case.body["focus_competencies"])]
        if (
            "application" in case.body
            and resource == "interviews"
            and "id" in (case.path_parameters or {})
        ):
            # An interview keeps its application: send the one it has, if it exists.
            current = Interview.objects.filter(pk=case.path_parameters["id"]).first()
            if current is not None:
                case.body["application"] = current.application_id
    seed_plan(case, resource)
    if case.headers and "Idempotency-Key" in case.headers:
        # One key per request, as the API asks of clients: the generator's habit of
        # reusing "0" for different bodies is the documented 422, not a server bug.
        case.headers["Idempotency-Key"] = str(uuid.uuid4())


def seed_plan(case, resource: str) -> None:
    """A schema cannot say "name, unless plan_stage gives it", which keys the role's plan
    has, that the plan must cover the role's competencies, or the ETag of now."""
    if not isinstance(case.body, dict):
        return
    if resource == "interviews" and case.method != "PATCH":
        if "plan_stage" in case.body:
            case.body["plan_stage"] = "screen"
        else:
            case.body.setdefault("name", "Screen")
    if case.path.endswith("/brief/") and case.method == "PUT":
        role = Role.objects.filter(pk=case.path_parameters["id"]).first()
        if role is not None:
            case.body["interview_plan"] = brief_get_or_generate(role=role).interview_plan
    if "/brief/" in case.path and case.headers and "If-Match" in case.headers:
        case.headers["If-Match"] = "*"


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the checkout
    # The same examples on every run, so CI is reproducible; explore more with a
    # larger EXAMPLES_PER_OPERATION locally.
    derandomize=True,
    # The database fixtures are function-scoped on purpose: examples share them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_honours_its_schema(case, known):
    if case.meta is not None and case.meta.generation.mode.is_positive:
        seed(case, known)
    case.call_and_validate(headers={"Authorization": f"Api-Key {known['key']}"})


# The recruiter above may not edit scorecards (403), so the interviewer's own edits
# are checked here, with the checks that judge responses: status, headers, body.
RESPONSE_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def test_scorecard_edits_by_their_interviewer_match_the_schema(api_schema, interview, alice):
    card = interview.scorecards.get(interviewer=alice)
    _, raw = api_key_create(name="alice", user=alice)
    headers = {"Authorization": f"Api-Key {raw}"}
    ratings = [
        {"skill": skill.key, "score": 3, "note": "Clear trade-offs."}
        for skill in selectors.scorecard_focus_skills(card)
    ]
    steps = [
        ("/api/v1/scorecards/{id}/", "GET", None, 200),
        ("/api/v1/scorecards/{id}/", "PATCH", {"ratings": ratings[:1], "summary": "So far"}, 200),
        ("/api/v1/scorecards/{id}/submit/", "POST", None, 400),  # not complete yet
        (
            "/api/v1/scorecards/{id}/",
            "PATCH",
            {"ratings": ratings[1:], "overall_recommendation": "yes"},
            200,
        ),
        ("/api/v1/scorecards/{id}/submit/", "POST", None, 200),
        ("/api/v1/scorecards/{id}/revise/", "POST", {"reason": "Typo", "summary": "Final"}, 200),
        ("/api/v1/scorecards/{id}/", "PATCH", {"summary": "Too late"}, 400),
    ]
    for path, method, body, status in steps:
        operation = api_schema[path][method]
        kwargs = {"body": body} if body is not None else {}
        case = operation.Case(path_parameters={"id": card.pk}, **kwargs)
        response = case.call_and_validate(headers=headers, checks=RESPONSE_CHECKS)
        assert response.status_code == status, (method, path, response.text)
