"""Login brute-force protection (django-axes): both login forms lock an account, and
separately an address, after LOGIN_FAILURE_LIMIT failures, for LOGIN_COOLOFF_SECONDS
after the last one; the count lives in the database, so it holds across processes;
recruiters unlock early in the admin; API keys are left to the throttle."""

import http.client
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring import services
from hiring.models import LoginLockout
from tests.bench.load import Server

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"

pytestmark = pytest.mark.usefixtures("builtin_data")


def fail(client, username, path=LOGIN, **extra):
    return client.post(path, {"username": username, "password": "wrong-guess"}, **extra)


def log_in(client, username, path=LOGIN, **extra):
    return client.post(path, {"username": username, "password": PASSWORD}, **extra)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


# ---------------------------------------------------------------------------
# In one process, through Django's test client
# ---------------------------------------------------------------------------


def test_an_account_is_locked_after_the_limit_on_either_form_and_says_so(client, limit, recruiter):
    for n in range(limit - 1):
        assert fail(client, "RITA@example.com ", ADMIN_LOGIN if n % 2 else LOGIN).status_code == 200
    response = fail(client, recruiter.email)  # the limit: any spelling counts as one account
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many failed logins</h1>" in html and "/static/hiring/pages" in html
    assert "Try again after" in html and f"after {limit} failed attempts" in html
    assert 0 < int(response["Retry-After"]) <= 15 * 60 + 1

    # The right password changes nothing now, on either form.
    assert log_in(client, recruiter.email).status_code == 429
    assert log_in(client, recruiter.email, ADMIN_LOGIN).status_code == 429
    assert "_auth_user_id" not in client.session


def test_trying_again_while_locked_out_does_not_lengthen_the_lock(client, limit, alice):
    for _ in range(limit):
        fail(client, alice.email)
    locked = LoginLockout.objects.get()
    for _ in range(3):
        assert fail(client, alice.email).status_code == 429
    assert LoginLockout.objects.get().failures_since_start == locked.failures_since_start
    assert LoginLockout.objects.get().attempt_time == locked.attempt_time


def test_the_lock_lifts_after_the_cool_off(client, limit, alice, settings):
    for _ in range(limit):
        fail(client, alice.email)
    assert log_in(client, alice.email).status_code == 429
    # As if the cool-off had passed since the last failure.
    LoginLockout.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert log_in(client, alice.email).status_code == 302


def test_an_address_is_locked_after_the_limit_whichever_accounts_it_tries(
    client, limit, alice, bob
):
    for n in range(limit):
        fail(client, f"nobody{n}@example.com")
    assert log_in(client, alice.email).status_code == 429  # from the same address
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in(elsewhere, bob.email).status_code == 302  # the accounts are not locked


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(
    client, limit, alice, bob, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(limit):
        # A client's own X-Forwarded-For entry is ignored: the proxy's is taken.
        fail(client, f"nobody{n}@example.com", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.5")
    assert LoginLockout.objects.filter(ip_address="203.0.113.5").count() == limit
    assert log_in(client, alice.email, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert log_in(client, bob.email, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_api_keys_are_not_passwords_and_are_not_locked_out(client, limit, api_client):
    for n in range(limit):
        fail(client, f"nobody{n}@example.com")
    assert log_in(client, "nobody0@example.com").status_code == 429  # this address is locked
    assert api_client("integration").get("/api/v1/me/").status_code == 200
    assert api_client().get("/api/v1/me/", HTTP_AUTHORIZATION="Api-Key wrong").status_code == 401
    assert LoginLockout.objects.count() == limit  # bad keys were not counted as logins


def test_a_recruiter_unlocks_a_person_in_the_admin(client, limit, alice, recruiter):
    for _ in range(limit):
        fail(client, alice.email, REMOTE_ADDR="198.51.100.1")
    admin = Client()
    admin.force_login(recruiter)
    response = admin.post(
        reverse("admin:hiring_user_changelist"),
        {"action": "unlock_logins", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert "Unlocked" in response.content.decode()
    assert not LoginLockout.objects.exists()
    assert log_in(client, alice.email, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_a_recruiter_sees_lockouts_and_unlocks_an_account_and_its_address(
    client, limit, alice, recruiter
):
    for n in range(limit):
        fail(client, f"nobody{n}@example.com", REMOTE_ADDR="198.51.100.2")
    fail(client, alice.email, REMOTE_ADDR="198.51.100.3")
    admin = Client()
    admin.force_login(recruiter)
    url = reverse("admin:hiring_loginlockout_changelist")
    response = admin.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("not locked") == 1  # alice: one failure; the address: locked
    assert "198.51.100.2" in html and "nobody0@example.com" in html

    locked = LoginLockout.objects.filter(username="nobody0@example.com")
    response = admin.post(
        url, {"action": "unlock", "_selected_action": [locked.get().pk]}, follow=True
    )
    assert "Unlocked" in response.content.decode()
    # The address's other failures went with it; alice's own record stays.
    assert list(LoginLockout.objects.values_list("username", flat=True)) == [alice.email]
    assert log_in(client, alice.email, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_the_lockout_list_runs_a_fixed_number_of_queries(client, recruiter):
    admin = Client()
    admin.force_login(recruiter)
    counts = []
    for size in (2, 12):
        for n in range(size):
            fail(client, f"p{n}@example.com", REMOTE_ADDR=f"198.51.100.{n}")
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(reverse("admin:hiring_loginlockout_changelist")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_people_without_admin_rights_cannot_unlock(client, limit, alice, lead):
    for _ in range(limit):
        fail(client, alice.email)
    other = Client()
    other.force_login(lead)
    assert other.get(reverse("admin:hiring_loginlockout_changelist")).status_code == 302
    assert LoginLockout.objects.exists()


# ---------------------------------------------------------------------------
# Across processes: two gunicorn servers sharing one database
# ---------------------------------------------------------------------------

COOLOFF = 900  # seconds: nothing expires while the steps below run, however slowly


class Browser:
    """One person's browser against one server: keeps the CSRF cookie, and says which
    address it comes from through the trusted proxy header."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body, {"X-Forwarded-For": self.address, **(headers or {})})
            response = conn.getresponse()
            return response, response.read().decode()
        finally:
            conn.close()

    def log_in(self, path, username, password):
        response, html = self.request("GET", path)
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request(
            "POST",
            path,
            urlencode(form),
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )


@pytest.fixture
def server_database(tmp_path):
    """The environment of servers sharing the test's database: PostgreSQL's test
    database (the test is transactional, so the servers' rows go with it), or a
    migrated SQLite file."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        host = (db["HOST"] or "/var/run/postgresql").replace("/", "%2F")
        url = f"postgres://{db['USER'] or ''}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
        return {"DATABASE_URL": url}
    env = {"DATABASE_URL": "", "SQLITE_PATH": str(tmp_path / "shared.sqlite3")}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=300,
    )
    return env


PEOPLE = """
from hiring.models import User
User.objects.create_user("alice@example.com", {password!r})
User.objects.create_user("rita@example.com", {password!r}, is_staff=True)
"""


def manage_shell(env, code):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )


# As if the cool-off had passed since every failure recorded so far.
COOLED_OFF = f"""
from datetime import timedelta
from django.db.models import F
from hiring.models import LoginLockout
LoginLockout.objects.update(attempt_time=F("attempt_time") - timedelta(seconds={COOLOFF}))
"""


@pytest.mark.django_db(transaction=True)
def test_lockouts_hold_across_two_server_processes(server_database):
    env = {
        **server_database,
        "LOGIN_FAILURE_LIMIT": "3",
        "LOGIN_COOLOFF_SECONDS": str(COOLOFF),
        "TRUSTED_PROXY_COUNT": "1",
    }
    manage_shell(env, PEOPLE.format(password=PASSWORD))
    with Server(**env) as one, Server(**env) as two:
        # By account: three addresses, both forms, both servers.
        for port, path, address in [
            (one.port, LOGIN, "203.0.113.1"),
            (two.port, ADMIN_LOGIN, "203.0.113.2"),
            (one.port, ADMIN_LOGIN, "203.0.113.3"),
        ]:
            Browser(port, address).log_in(path, "rita@example.com", "wrong")
        response, html = Browser(two.port, "203.0.113.4").log_in(
            LOGIN, "rita@example.com", PASSWORD
        )
        assert response.status == 429 and "Too many failed logins" in html
        response, _ = Browser(one.port, "203.0.113.4").log_in(LOGIN, "alice@example.com", PASSWORD)
        assert response.status == 302  # that address is not locked, only rita's account

        # By address: one address, three accounts, both servers.
        for port, username in [(one.port, "a@x.io"), (two.port, "b@x.io"), (one.port, "c@x.io")]:
            Browser(port, "198.51.100.9").log_in(LOGIN, username, "wrong")
        response, _ = Browser(two.port, "198.51.100.9").log_in(LOGIN, "alice@example.com", PASSWORD)
        assert response.status == 429

        # Once the cool-off has run out, rita logs in again, on either server.
        manage_shell(env, COOLED_OFF)
        response, _ = Browser(one.port, "203.0.113.5").log_in(
            ADMIN_LOGIN, "rita@example.com", PASSWORD
        )
        assert response.status == 302


def test_unlocking_runs_a_fixed_number_of_queries_however_many_records(client, alice, bob):
    counts = []
    for size in (1, 4):  # under the limit: every failure is recorded
        for n in range(size):
            fail(client, alice.email, REMOTE_ADDR=f"198.51.100.{n}")
            fail(client, bob.email, REMOTE_ADDR=f"203.0.113.{n}")
        with CaptureQueriesContext(connection) as by_person:
            assert services.user_logins_unlock(users=[alice]) == size
        with CaptureQueriesContext(connection) as by_lockout:
            assert services.login_lockouts_unlock(lockouts=LoginLockout.objects.all()) == size
        counts.append((len(by_person), len(by_lockout)))
    assert counts[0] == counts[1]
