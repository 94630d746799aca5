"""One error shape for every 4xx, never a 500 for bad input, and throttling."""

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError
from rest_framework.test import APIClient, APIRequestFactory

from hiring.api.errors import exception_handler
from hiring.models import Role
from hiring.services import api_key_create


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "parse_error"),
        ('{"title": NaN}', "application/json", 400, "parse_error"),
        ('{"title": "\\ud800"}', "application/json", 400, "parse_error"),
        ("[1, 2]", "application/json", 400, "validation_error"),
        ('"a string"', "application/json", 400, "validation_error"),
        ("null", "application/json", 400, "validation_error"),
        ("title=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("<role/>", "application/xml", 415, "unsupported_media_type"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_4xx(ats, body, content_type, status, code):
    response = ats.generic("POST", "/api/v1/roles/", body, content_type=content_type)
    assert_error(response, status, code)
    assert not Role.objects.exists()


@pytest.mark.parametrize("idempotency_key", [None, "k-1"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"name": "' + "x" * 3_000_000 + '"}', "larger than"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
    ids=["huge", "deep"],
)
def test_a_huge_or_deeply_nested_body_is_a_400(ats, body, message, idempotency_key):
    headers = {"HTTP_IDEMPOTENCY_KEY": idempotency_key} if idempotency_key else {}
    response = ats.generic(
        "POST", "/api/v1/candidates/", body, content_type="application/json", **headers
    )
    assert message in assert_error(response, 400, "parse_error")["message"]


def test_unknown_and_read_only_fields_are_named(ats, lead, ai_profile):
    response = ats.post(
        "/api/v1/roles/",
        {
            "title": "AI Engineer",
            "profile": "ai-engineer",
            "hiring_lead": "lee@example.com",
            "titel": "typo",
            "created_at": "2020-01-01T00:00:00Z",
        },
    )
    body = assert_error(response, 400, "validation_error")
    assert body["fields"] == {
        "titel": ["Unknown field."],
        "created_at": ["This field is read-only."],
    }


def test_a_missing_field_is_named_in_the_message_and_fields(ats, lead, ai_profile):
    body = assert_error(ats.post("/api/v1/roles/", {"title": "x"}), 400, "validation_error")
    assert set(body["fields"]) == {"profile", "hiring_lead"}
    assert body["message"].startswith(("profile:", "hiring_lead:"))


def test_a_profile_slug_with_a_nul_is_a_400_not_a_database_error(ats, lead, ai_profile):
    # PostgreSQL refuses NUL even in the lookup; schemathesis found it as a 500.
    body = {"title": "x", "hiring_lead": lead.email, "profile": "ai-engineer\u0000"}
    body = assert_error(ats.post("/api/v1/roles/", body), 400, "validation_error")
    assert set(body["fields"]) == {"profile"}


def test_nested_errors_are_flattened_to_paths(api_client, interview, alice):
    card = interview.scorecards.get(interviewer=alice)
    response = api_client(alice).patch(
        f"/api/v1/scorecards/{card.pk}/", {"ratings": [{"skill": "x", "score": 1}, {"score": 9}]}
    )
    body = assert_error(response, 400, "validation_error")
    assert set(body["fields"]) == {"ratings.1.skill", "ratings.1.score"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/roles/99999/",
        "/api/v1/roles/abc/",
        "/api/v1/roles/99999999999999999999999999/",
        "/api/v1/nothing-here/",
        "/api/v1/roles",
    ],
)
def test_not_found_is_json(ats, path):
    assert_error(ats.get(path), 404, "not_found")


def test_method_not_allowed_is_json_with_allow(ats, role):
    response = ats.delete(f"/api/v1/roles/{role.pk}/")
    assert_error(response, 405, "method_not_allowed")
    assert "PUT" in response["Allow"]


def test_asking_for_anything_but_json_is_a_406_in_json(ats):
    response = ats.get("/api/v1/roles/", HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "not_acceptable")


def test_list_filters_do_not_apply_to_a_detail_url(ats, role):
    response = ats.get(f"/api/v1/roles/{role.pk}/?status=closed&status=bogus")
    assert response.status_code == 200


def test_anonymous_gets_401_with_the_scheme_to_use(api_client):
    response = api_client().get("/api/v1/roles/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Api-Key"


def test_forbidden_is_json(api_client, lead, ai_profile):
    response = api_client(lead).post("/api/v1/roles/", {"title": "x"})
    assert_error(response, 403, "permission_denied")


def test_a_database_constraint_race_is_a_409_not_a_500(db):
    """When two requests race past validation, the database's constraint decides."""
    request = APIRequestFactory().post("/api/v1/roles/")
    response = exception_handler(IntegrityError("duplicate key"), {"request": request})
    assert response.status_code == 409
    assert response.data["code"] == "conflict"


# ---------------------------------------------------------------------------
# Throttling
# ---------------------------------------------------------------------------


def test_too_many_requests_get_429_with_retry_after(api_client, settings, db):
    settings.API_THROTTLE_RATE = "3/min"
    client = api_client("integration")
    for _ in range(3):
        assert client.get("/api/v1/roles/").status_code == 200
    response = client.get("/api/v1/roles/")
    assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_each_key_has_its_own_allowance(api_client, settings, db):
    settings.API_THROTTLE_RATE = "2/min"
    first, second = api_client("integration"), api_client("integration")
    for _ in range(2):
        first.get("/api/v1/roles/")
    assert first.get("/api/v1/roles/").status_code == 429
    assert second.get("/api/v1/roles/").status_code == 200


def _redis_available() -> bool:

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.RedisError:
        return False


REDIS = "redis://127.0.0.1:6379/15"


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379")
def test_processes_sharing_redis_share_the_throttle_counters(settings, db):
    """With REDIS_URL every process on every machine counts against one allowance."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    settings.API_THROTTLE_RATE = "3/min"
    key, raw = api_key_create(name="ats")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    counter = f"throttle_api_api-key:{key.pk}"
    # Another machine's worker: its own connection to the same Redis.
    other_machine = RedisCache(REDIS, {})
    other_machine.delete(counter)

    assert client.get("/api/v1/roles/").status_code == 200
    history = other_machine.get(counter)
    assert len(history) == 1
    other_machine.set(counter, history * 3, 60)  # it served three requests meanwhile
    assert client.get("/api/v1/roles/").status_code == 429
    other_machine.delete(counter)
