"""API keys (made and revoked with management commands) and browser sessions."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from hiring.models import ApiKey


def create_api_key(*args) -> tuple[str, str]:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue(), out.getvalue().strip().splitlines()[-1]


def client_with(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_create_api_key_prints_the_key_alone_on_the_last_line(db):
    output, raw = create_api_key("ats")
    assert output.endswith(raw + "\n")
    assert " " not in raw
    key = ApiKey.objects.get(name="ats")
    assert key.is_integration
    # Only a hash is stored.
    assert raw not in (key.hashed_key, key.prefix)
    assert client_with(raw).get("/api/v1/roles/").status_code == 200


def test_an_integration_key_sees_everything_but_drafts(db, interview, role):
    _, raw = create_api_key("ats")
    client = client_with(raw)
    assert client.get("/api/v1/roles/").json()["results"][0]["id"] == role.pk
    assert client.get("/api/v1/scorecards/").json()["results"] == []


def test_a_users_key_acts_as_exactly_that_user(db, interview, alice, role, other_lead, ml_profile):
    _, raw = create_api_key("alice laptop", "--user", "ALICE@example.com")
    assert ApiKey.objects.get(name="alice laptop").user == alice
    client = client_with(raw)
    cards = client.get("/api/v1/scorecards/").json()["results"]
    assert [card["interviewer"] for card in cards] == ["alice@example.com"]
    assert (
        client.post("/api/v1/candidates/", {"name": "X", "email": "x@example.org"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["k", "--user", "nobody@example.com"], "No user"),
        (["taken"], "already exists"),
    ],
)
def test_create_api_key_refuses_bad_input(db, args, message):
    create_api_key("taken")
    with pytest.raises(CommandError, match=message):
        create_api_key(*args)


def test_a_revoked_key_stops_working(db):
    _, raw = create_api_key("ats")
    out = StringIO()
    call_command("revoke_api_key", "ats", stdout=out)
    assert "Revoked" in out.getvalue()
    response = client_with(raw).get("/api/v1/roles/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_revoking_an_unknown_key_is_an_error(db):
    with pytest.raises(CommandError, match="No active API key"):
        call_command("revoke_api_key", "nope")


def test_a_deactivated_users_key_stops_working(db, alice):
    _, raw = create_api_key("alice", "--user", alice.email)
    alice.is_active = False
    alice.save()
    assert client_with(raw).get("/api/v1/roles/").status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key",
        "Api-Key one two",
        "Api-Key 0123abcd.not-a-real-secret-but-long-enough",
        "Api-Key \x00\x00",
        "Api-Key " + "a" * 5000,
        "Api-Key é",
    ],
)
def test_a_bad_key_is_a_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/roles/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_last_used_is_recorded_at_most_once_a_minute(db, django_assert_num_queries):
    _, raw = create_api_key("ats")
    client = client_with(raw)
    client.get("/api/v1/candidates/")
    first = ApiKey.objects.get(name="ats").last_used_at
    assert first is not None

    with django_assert_num_queries(2):  # the key and the page: no write
        client.get("/api/v1/candidates/")
    assert ApiKey.objects.get(name="ats").last_used_at == first

    ApiKey.objects.filter(name="ats").update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/candidates/")
    assert ApiKey.objects.get(name="ats").last_used_at > first - timedelta(seconds=1)
    assert ApiKey.objects.get(name="ats").last_used_at <= timezone.now()


# ---------------------------------------------------------------------------
# Browser sessions
# ---------------------------------------------------------------------------


def test_a_signed_in_browser_can_use_the_api_with_csrf(recruiter, role):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(recruiter)
    assert client.get("/api/v1/roles/").status_code == 200

    body = {"name": "Ada", "email": "ada@example.org"}
    refused = client.post("/api/v1/candidates/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]

    client.get("/admin/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    created = client.post("/api/v1/candidates/", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201
