"""What only the real server shows: bodies sent chunked (no Content-Length) are read,
never dropped, and request lines up to gunicorn.conf.py's limit are served."""

import http.client
import json
import os
import subprocess
import sys

import pytest

from tests.bench.load import Server
from tests.test_login_lockout import ROOT, server_database  # noqa: F401  (a fixture)

SETUP = """
from hiring.models import Candidate
from hiring.services import api_key_create
candidate = Candidate.objects.create(name="Ada", email="ada@example.com")
_, raw = api_key_create(name="ats")
print(candidate.pk, raw)
"""


def chunks(data: dict):
    body = json.dumps(data).encode()
    yield body[:5]
    yield body[5:]


def send(port, method, path, headers, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        # An iterable body without Content-Length goes out chunked.
        conn.request(method, path, body, headers, encode_chunked=body is not None)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(server_database):  # noqa: F811
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SETUP],
        cwd=ROOT,
        env={**os.environ, **server_database},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    candidate_id, key = int(out[-2]), out[-1]
    with Server(**server_database) as server:
        yield (
            server.port,
            candidate_id,
            {
                "Authorization": f"Api-Key {key}",
                "Content-Type": "application/json",
            },
        )


@pytest.mark.django_db(transaction=True)
def test_chunked_bodies_are_read_and_long_request_lines_served(served):
    port, candidate_id, headers = served
    path = f"/api/v1/candidates/{candidate_id}/"

    status, body = send(port, "PATCH", path, headers, chunks({"name": "Ada Lovelace"}))
    assert status == 200, body
    assert json.loads(body)["name"] == "Ada Lovelace"
    status, body = send(port, "GET", path, headers)
    assert json.loads(body)["name"] == "Ada Lovelace"

    status, body = send(port, "POST", "/api/v1/candidates/", headers, chunks({"email": "x@y.io"}))
    assert status == 400
    assert json.loads(body)["fields"] == {"name": ["This field is required."]}
    new = {"name": "Grace", "email": "grace@example.com"}
    status, body = send(port, "POST", "/api/v1/candidates/", headers, chunks(new))
    assert status == 201, body
    assert json.loads(body)["name"] == "Grace"

    # 6,000 bytes of request line reach the service (gunicorn's default stops at 4,094)...
    status, body = send(port, "GET", f"/api/v1/nothing/?q={'a' * 6000}", headers)
    assert status == 404 and json.loads(body)["code"] == "not_found"
    # ...and beyond gunicorn's maximum, 8,190, it answers 414 itself (see README).
    status, _ = send(port, "GET", f"/api/v1/nothing/?q={'a' * 8200}", headers)
    assert status == 414
