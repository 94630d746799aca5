"""The comparison and /me/ responses match their OpenAPI description (schemathesis)."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from scorecards.wsgi import application
from tests import factories

# What the responses must match. (The probes that resend a request without its
# credentials do not apply: these cases authenticate with a session cookie.)
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    raw = SchemaGenerator().get_schema(request=None, public=True)
    raw["paths"] = {
        path: item
        for path, item in raw["paths"].items()
        if path.endswith("/comparison/") or path == "/api/v1/me/"
    }
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = application
    # Like Django's test client: a request must not close the test's connection
    # (and with it the transaction the test runs in).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def session_cookie(user) -> dict:
    return {"sessionid": factories.session_key_for(user)}


@pytest.fixture
def scored_role(role, alice, bob):
    application = factories.ApplicationFactory(role=role, candidate__name="Ann")
    interview = factories.make_interview(
        application=application, focus=["software-engineering"], interviewers=[alice, bob]
    )
    factories.submit(interview.scorecards.get(interviewer=alice), score=3)
    factories.submit(interview.scorecards.get(interviewer=bob), score=2)
    factories.ApplicationFactory(role=role, candidate__name="Ben")  # nothing scored yet
    return role


@pytest.mark.parametrize(
    ("query", "status"), [({}, 200), ({"format": "csv"}, 200), ({"format": "json"}, 200)]
)
def test_comparison_responses_match_the_schema(api_schema, scored_role, lead, query, status):
    cache.clear()
    operation = api_schema["/api/v1/roles/{id}/comparison/"]["GET"]
    case = operation.Case(path_parameters={"id": scored_role.pk}, query=query)
    response = case.call(cookies=session_cookie(lead))
    assert response.status_code == status
    case.validate_response(response, checks=CONFORMANCE)

    etag = response.headers["etag"][0]
    case = operation.Case(
        path_parameters={"id": scored_role.pk}, query=query, headers={"If-None-Match": etag}
    )
    response = case.call(cookies=session_cookie(lead))
    assert response.status_code == 304
    case.validate_response(response, checks=CONFORMANCE)


def test_not_found_and_anonymous_answers_are_documented(api_schema, scored_role, other_lead):
    operation = api_schema["/api/v1/roles/{id}/comparison/"]["GET"]
    case = operation.Case(path_parameters={"id": scored_role.pk})
    response = case.call(cookies=session_cookie(other_lead))
    assert response.status_code == 404
    case.validate_response(response, checks=CONFORMANCE)
    response = case.call()
    assert response.status_code in (401, 403)
    case.validate_response(response, checks=CONFORMANCE)


def test_me_matches_the_schema(api_schema, recruiter):
    case = api_schema["/api/v1/me/"]["GET"].Case()
    response = case.call(cookies=session_cookie(recruiter))
    assert response.status_code == 200
    case.validate_response(response, checks=CONFORMANCE)
