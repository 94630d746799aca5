import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from rest_framework.test import APIClient

from hiring.models import HIRING_LEADS, INTERVIEWERS, RECRUITERS, SkillProfile
from hiring.services import api_key_create, grant_recruiter_permissions
from tests import factories

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):

    # Slow, secure hashing buys nothing in tests and costs ~0.4 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests clear the cache (API throttle counters) between them: never a real Redis
    # from the environment. The test that needs Redis configures its own.
    # The comparison cache too (files in production when Redis is not configured).
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "comparison")
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Load once for the session; each test's transaction rolls back around it.
    with django_db_blocker.unblock():
        call_command("load_builtin_data", verbosity=0)


@pytest.fixture
def builtin_data(db):
    """The built-in profiles, salary bands and intake questions, loaded once per database
    state (transactional tests flush them, so they are reloaded when missing)."""
    if not SkillProfile.objects.filter(slug="ai-engineer").exists():
        call_command("load_builtin_data", verbosity=0)


@pytest.fixture
def ai_profile(builtin_data):
    return SkillProfile.objects.get(slug="ai-engineer", version=1)


@pytest.fixture
def ml_profile(builtin_data):
    return SkillProfile.objects.get(slug="ml-engineer", version=1)


def _person(email, group, **extra):
    user = factories.UserFactory(email=email, **extra)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def recruiter(db):

    grant_recruiter_permissions()
    return _person("rita@example.com", RECRUITERS, is_staff=True, full_name="Rita Recruiter")


@pytest.fixture
def lead(db):
    return _person("lee@example.com", HIRING_LEADS, full_name="Lee Lead")


@pytest.fixture
def other_lead(db):
    return _person("olga@example.com", HIRING_LEADS, full_name="Olga Other")


@pytest.fixture
def alice(db):
    return _person("alice@example.com", INTERVIEWERS, full_name="Alice Adams")


@pytest.fixture
def bob(db):
    return _person("bob@example.com", INTERVIEWERS, full_name="Bob Brown")


@pytest.fixture
def charlie(db):
    return _person("charlie@example.com", INTERVIEWERS, full_name="Charlie Chen")


@pytest.fixture
def role(ai_profile, lead):
    return factories.RoleFactory(profile=ai_profile, hiring_lead=lead, title="AI Engineer")


@pytest.fixture
def application(role):
    return factories.ApplicationFactory(role=role)


@pytest.fixture
def interview(application, alice, bob):
    """An interview on two competencies, with Alice and Bob on the panel."""
    return factories.make_interview(
        application=application,
        focus=["system-architecture", "integration-rag"],
        interviewers=[alice, bob],
    )


# ---------------------------------------------------------------------------
# REST API
# ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """API throttle counters live in the cache; every test starts from zero (and
    computes its comparisons afresh)."""

    cache.clear()
    caches["comparison"].clear()


@pytest.fixture
def api_client(db):
    """An APIClient calling as someone: ``api_client(alice)`` uses an API key of
    Alice's, ``api_client("integration")`` the ATS's integration key and
    ``api_client()`` nobody."""

    made = iter(range(1, 10_000))

    def make(who=None):
        client = APIClient()
        if who is not None:
            user = None if who == "integration" else who
            _, raw = api_key_create(name=f"test key {next(made)} for {who}", user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return client

    return make


# ---------------------------------------------------------------------------
# Real-browser tests: Playwright driving Debian's Chromium (never a downloaded one)
# ---------------------------------------------------------------------------

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(request):
    """Save a screenshot under test-artifacts/ (git-ignored), named after the test."""

    def take(page, label="final", *, full_page=True):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{label}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def login(live_server):
    """Log a person in through the real login page."""

    def log_in(page, user, password="correct-horse-battery"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return log_in
