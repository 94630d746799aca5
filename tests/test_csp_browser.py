"""The Content Security Policy (script-src 'self', style-src 'self', ...) holds on every
kind of page - the interviewer and hiring-lead pages, the error and lockout pages,
the admin and the API docs (Swagger UI) - with nothing refused: Chromium reports no
CSP violation in the console and every page still works. Screenshots of the error
and lockout pages go to test-artifacts/."""

import pytest
from playwright.sync_api import expect

from hiring.models import WebhookEndpoint
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = ["system-architecture", "integration-rag"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def violations(page):
    """What Chromium refused under the policy, and any script error, as reported."""
    seen = []

    def console(message):
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def visit(page, url, violations):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert violations == [], f"{url}: {violations}"
    return response


@pytest.fixture
def scored_role(role, alice, bob):
    for name, scores in {"Sam Split": (4, 2), "Ada Steady": (3, 2)}.items():
        application = factories.ApplicationFactory(role=role, candidate__name=name)
        interview = factories.make_interview(
            application=application, focus=FOCUS, interviewers=[alice, bob]
        )
        for person, score in zip([alice, bob], scores, strict=True):
            factories.submit(interview.scorecards.get(interviewer=person), score=score)
    return role


def test_the_pages_run_under_the_policy(
    page, live_server, login, violations, screenshot, scored_role, alice, lead
):
    response = visit(page, f"{live_server.url}/accounts/login/", violations)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy

    login(page, lead)
    application = scored_role.applications.first()
    visit(page, f"{live_server.url}/roles/", violations)
    visit(page, f"{live_server.url}/roles/{scored_role.pk}/compare/", violations)
    # The heatmap is still coloured: by class, from the stylesheet.
    cell = page.locator("table.heatmap td.heat").first
    assert cell.evaluate("c => getComputedStyle(c).backgroundColor") != "rgba(0, 0, 0, 0)"
    screenshot(page, "compare")
    visit(page, f"{live_server.url}/applications/{application.pk}/", violations)
    visit(page, f"{live_server.url}/intake/", violations)

    page.context.clear_cookies()
    login(page, alice)
    card = factories.make_interview(
        application=application, focus=FOCUS, interviewers=[alice]
    ).scorecards.get()
    visit(page, f"{live_server.url}/scorecards/", violations)
    visit(page, f"{live_server.url}/scorecards/{card.pk}/", violations)
    visit(page, f"{live_server.url}/interviews/{card.interview_id}/kit/", violations)


def test_the_admin_runs_under_the_policy(page, live_server, login, violations, recruiter, role):
    WebhookEndpoint.objects.create(
        url="https://ats.example.com/hooks", secret="s" * 32, events=["scorecard.submitted"]
    )
    login(page, recruiter)
    for path in (
        "/admin/",
        "/admin/hiring/user/",
        f"/admin/hiring/user/{recruiter.pk}/change/",  # the groups' two-box chooser
        "/admin/hiring/role/",
        f"/admin/hiring/role/{role.pk}/change/",
        "/admin/hiring/webhookendpoint/add/",
        "/admin/hiring/webhookdelivery/",
        "/admin/hiring/loginlockout/",
    ):
        visit(page, f"{live_server.url}{path}", violations)
    # The admin's scripts run: the groups chooser is built by SelectBox.js.
    visit(page, f"{live_server.url}/admin/hiring/user/{recruiter.pk}/change/", violations)
    expect(page.locator("#id_groups_from")).to_be_visible()


def test_the_api_docs_run_under_the_policy(page, live_server, violations):
    visit(page, f"{live_server.url}/api/docs/", violations)
    expect(page.get_by_role("heading", name="Scorecards API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # the operations are listed
    assert violations == []


def test_the_error_and_lockout_pages_are_styled_on_desktop_and_phone(
    page, live_server, login, violations, screenshot, alice, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    for size, label in (({"width": 1280, "height": 800}, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        response = visit(page, f"{live_server.url}/no-such-page/", violations)
        assert response.status == 404
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_role("link", name="Go to your start page")).to_be_visible()
        screenshot(page, f"404-{label}")

    for _ in range(2):
        login(page, alice, password="not-the-password")
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    assert violations == []
    screenshot(page, "lockout-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "lockout-desktop")
    page.get_by_role("link", name="Back to the log-in page").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    page.context.clear_cookies()
    settings.AXES_FAILURE_LIMIT = 50
    page.goto(f"{live_server.url}/accounts/login/")  # reach the form from a fresh address
