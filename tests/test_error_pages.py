"""What a failed request answers: the site's styled error pages (extending the pages'
base template, saying what happened and offering a way on), and under /api/ the
API's JSON error shape - never Django's debug page or a bare unstyled page."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from hiring.services import api_key_create
from tests.bench.load import Server

pytestmark = pytest.mark.usefixtures("builtin_data")

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET = "/static/hiring/pages"


def assert_styled_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert STYLESHEET in html  # the pages' base template, with its stylesheet
    assert f"<h1>{heading}</h1>" in html
    assert 'href="/"' in html  # a way back: the start page
    return html


def assert_api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code and body["message"] and body["fields"] == {}
    return body


def test_an_unknown_page_is_a_styled_404_that_lists_no_url_patterns(client, alice):
    client.force_login(alice)
    html = assert_styled_page(client.get("/no-such-page/"), 404, "Page not found")
    assert "URLconf" not in html and "admin/" not in html and "api/" not in html
    assert "Alice Adams" in html  # the usual header, with who is logged in


def test_a_page_hidden_as_a_404_does_not_say_what_it_hides(client, bob, role):
    client.force_login(bob)
    html = assert_styled_page(client.get(f"/roles/{role.pk}/compare/"), 404, "Page not found")
    assert "hiring lead" not in html  # the view's reason stays in the server


def test_a_403_says_why_and_offers_a_way_on(client, alice):
    client.force_login(alice)  # an interviewer: the intake is for hiring leads
    html = assert_styled_page(client.get("/intake/"), 403, "You may not do this")
    assert "Role intake is for hiring leads and recruiters." in html
    assert "alice@example.com" in html


def test_an_expired_form_is_a_styled_403_not_django_s_page(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": alice.email, "password": "x"})
    html = assert_styled_page(response, 403, "This form could not be sent")
    assert "CSRF verification failed" not in html
    assert 'href="/accounts/login/"' in html


def test_a_request_for_an_unknown_host_is_a_styled_400_and_json_under_the_api(client):
    html = assert_styled_page(
        client.get("/accounts/login/", HTTP_HOST="evil.example.com"),
        400,
        "That request could not be understood",
    )
    assert "evil.example.com" not in html
    assert_api_error(client.get("/api/v1/me/", HTTP_HOST="evil.example.com"), 400, "bad_request")


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


def test_a_page_that_fails_is_a_styled_500_without_the_error(failing_urls, alice):
    failing_urls.force_login(alice)
    html = assert_styled_page(failing_urls.get("/broken/"), 500, "Something went wrong on our side")
    assert "a bug in a page" not in html and "Traceback" not in html


def test_an_api_request_that_fails_is_a_json_500(failing_urls):
    _, key = api_key_create(name="ats")
    response = failing_urls.get("/api/v1/broken/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    body = assert_api_error(response, 500, "server_error")
    assert "a bug in the API" not in json.dumps(body)


def test_unknown_api_paths_are_json_404s(client):
    for path in ("/api/v1/nothing/", "/api/nothing", "/api/v1/roles/1/nothing/"):
        response = client.get(path, follow=True)
        assert_api_error(response, 404, "not_found")


def test_an_id_the_api_cannot_find_is_a_json_404(api_client, role):
    ats = api_client("integration")
    assert_api_error(ats.get(f"/api/v1/roles/{role.pk + 1000}/"), 404, "not_found")


# ---------------------------------------------------------------------------
# The production server as make run starts it: DEBUG is off unless turned on
# ---------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn with the real settings and DEBUG left unset, over plain http as make
    run serves it (static files collected, as make run does)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "scorecards.settings",
        "DEBUG": "",
        "DATABASE_URL": "",
        "SQLITE_PATH": str(tmp_path_factory.mktemp("production") / "db.sqlite3"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )
    with Server(**env) as server:
        yield f"http://127.0.0.1:{server.port}"


def test_the_production_server_answers_an_unknown_page_without_the_debug_page(
    production_server,
):
    status, content_type, html = fetch(f"{production_server}/no-such-page/")
    assert status == 404 and content_type.startswith("text/html")
    assert "<h1>Page not found</h1>" in html
    assert "URLconf" not in html and "DEBUG" not in html and "admin/" not in html
    status, content_type, body = fetch(f"{production_server}/api/v1/no-such-path/")
    assert (status, content_type) == (404, "application/json")
    assert json.loads(body)["code"] == "not_found"
