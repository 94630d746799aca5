"""The OpenAPI schema and the interactive docs (served offline)."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def openapi(db):
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_schema_is_public_and_covers_every_resource(openapi):
    assert openapi["openapi"].startswith("3.")
    prefixes = {path.split("/")[3] for path in openapi["paths"]}
    assert {
        "profiles",
        "roles",
        "candidates",
        "applications",
        "interviews",
        "scorecards",
    } <= prefixes
    assert "/api/v1/roles/by-external-id/{external_id}/" in openapi["paths"]
    assert "/api/v1/scorecards/{id}/submit/" in openapi["paths"]


def test_the_api_key_scheme_is_documented(openapi):
    scheme = openapi["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    for label, operation in operations(openapi):
        assert {"ApiKeyAuth": []} in operation["security"], label


def test_every_4xx_response_uses_the_shared_error_shape(openapi):
    error = openapi["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "fields"]
    for label, operation in operations(openapi):
        statuses = set(operation["responses"])
        assert {"401", "406", "429"} <= statuses, label
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (label, status)
        assert "Retry-After" in operation["responses"]["429"]["headers"], label


def test_posts_document_idempotency_and_scorecard_edits_document_etags(openapi):
    for label, operation in operations(openapi):
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        if label.startswith("POST"):
            assert "Idempotency-Key" in names, label
            assert {"409", "422"} <= set(operation["responses"]), label
        if label.startswith(("PATCH /api/v1/scorecards", "POST /api/v1/scorecards")):
            assert "If-Match" in names, label
            assert "412" in operation["responses"], label
            assert "ETag" in operation["responses"]["200"]["headers"], label


def test_request_bodies_refuse_unknown_fields(openapi):
    for name, schema in openapi["components"]["schemas"].items():
        if name.endswith("Request"):
            assert schema["additionalProperties"] is False, name


@pytest.mark.browser
def test_the_docs_page_works_offline(page, live_server, screenshot):
    """Swagger UI loads from our own static files: no request leaves the server."""
    outside = []

    def only_local(route):
        if urlparse(route.request.url).netloc != urlparse(live_server.url).netloc:
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_local)
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/v1/roles/by-external-id/{external_id}/").first.wait_for()
    assert page.locator(".opblock").count() > 20
    screenshot(page)
    assert outside == []


def test_the_schema_generates_without_a_warning(tmp_path):
    # A field drf-spectacular cannot type would be documented as a bare string.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    assert (tmp_path / "s.yaml").read_text().startswith("openapi:")
