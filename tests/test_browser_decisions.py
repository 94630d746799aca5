"""A hiring lead decides in a debrief, in a real Chromium: the formula's view, the
override hint (the script) and the server's rule, the history, and the phone width."""

import pytest
from playwright.sync_api import expect

from hiring.models import Decision
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_overrides_the_panel_with_a_reason(
    page, live_server, login, screenshot, application, alice, bob, lead
):
    interview = factories.make_interview(
        application=application, focus=["system-architecture"], interviewers=[alice, bob]
    )
    for card in interview.scorecards.all():
        factories.submit(card, score=2, recommendation="no")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(page, lead)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    screenshot(page, "start")

    formula = page.locator(".formula")
    expect(formula).to_contain_text("Weighted score")
    expect(formula).to_contain_text("2.00")
    expect(formula).to_contain_text("No × 2")
    expect(formula).to_contain_text("2 submitted")
    needed = page.locator("#override-needed")
    expect(needed).to_be_hidden()

    page.get_by_label("Hold").check()
    expect(needed).to_be_hidden()  # the script's hint: holding overrides nothing
    page.get_by_label("Hire").check()
    expect(needed).to_be_visible()  # hiring against two "no"s does
    page.get_by_label("Rationale").fill("Strongest system design we have seen this year.")
    screenshot(page, "override-hinted")

    # Submitted without the reason, the server refuses it, whatever the script said.
    page.locator("textarea[name=override_reason]").evaluate("t => t.required = false")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".decision-form .field-error")).to_contain_text("overrides the panel")
    assert not Decision.objects.exists()

    page.get_by_label("Override reason").fill("Both concerns were about tooling we can teach.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("Decision recorded: Hire.")
    history = page.locator(".decision-history li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("override")
    expect(history.first).to_contain_text("Both concerns were about tooling we can teach.")
    decision = Decision.objects.get()
    assert decision.is_override and decision.decided_by == lead
    screenshot(page, "decided")

    page.goto(f"{live_server.url}/roles/{application.role_id}/compare/")
    expect(page.locator("table.ranking")).to_contain_text("Hire")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/applications/{application.pk}/#decision-heading")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    expect(page.get_by_role("button", name="Record decision")).to_be_visible()
    screenshot(page, "phone")
    assert violations == []
