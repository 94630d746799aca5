"""Independent scoring in a real Chromium: the hiring lead Lee, on Frances Allen's panel
with a draft, sees her panel and nothing of Alice's and Bob's scorecards, on the candidate
page and the compare page, at 1280 px and on a 390 px phone; after submitting, they appear.

Screenshots land in test-artifacts/ (git-ignored).
"""

import pytest
from playwright.sync_api import expect

from hiring import services
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "SECRET-EVIDENCE"
FOCUS = ["system-architecture"]


@pytest.fixture
def debrief(role, lead, alice, bob):
    frances = factories.ApplicationFactory(role=role, candidate__name="Frances Allen")
    grace = factories.ApplicationFactory(role=role, candidate__name="Grace Hopper")
    loop = factories.make_interview(
        application=frances, name="Onsite loop", focus=FOCUS, interviewers=[alice, bob, lead]
    )
    for card in loop.scorecards.exclude(interviewer=lead):
        ratings = factories.complete_ratings(card, score=4, note=f"{SECRET} ({card.interviewer})")
        services.scorecard_save_draft(
            scorecard=card,
            by=card.interviewer,
            ratings=ratings,
            overall_recommendation="strong_yes",
        )
        services.scorecard_submit(scorecard=card, by=card.interviewer)
    other = factories.make_interview(application=grace, focus=FOCUS, interviewers=[alice, bob])
    for card in other.scorecards.all():
        factories.submit(card, score=2, recommendation="no")
    return {"frances": frances, "lead_card": loop.scorecards.get(interviewer=lead)}


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_a_lead_with_a_draft_sees_the_panel_and_no_colleague(
    page, live_server, login, screenshot, role, lead, debrief, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    login(page, lead)
    page.goto(f"{live_server.url}/applications/{debrief['frances'].pk}/")
    expect(page.get_by_text("Score independently first.")).to_be_visible()
    panel = page.locator("section[aria-labelledby=panel-heading]")
    expect(panel).to_contain_text("Alice Adams")
    expect(panel).to_contain_text("Bob Brown")
    expect(panel.locator(".status-submitted")).to_have_count(2)
    assert SECRET not in page.content()
    screenshot(page, f"candidate-{width}")

    page.goto(f"{live_server.url}/roles/{role.pk}/compare/")
    expect(page.locator("td.hidden-row").first).to_be_visible()
    expect(page.get_by_text("Strong yes")).to_have_count(0)
    assert "α =" not in page.content()
    screenshot(page, f"compare-{width}")

    factories.submit(debrief["lead_card"])
    page.goto(f"{live_server.url}/applications/{debrief['frances'].pk}/")
    expect(page.get_by_text(SECRET).first).to_be_visible()
    page.goto(f"{live_server.url}/roles/{role.pk}/compare/")
    expect(page.locator("td.hidden-row")).to_have_count(0)
    screenshot(page, f"compare-after-{width}")
