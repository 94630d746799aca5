"""The pages in a real Chromium (Playwright) against a live server.

Each test saves screenshots under test-artifacts/ (git-ignored).
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hiring import selectors
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = ["system-architecture", "integration-rag"]


@pytest.fixture
def panel(application, alice, bob):
    interview = factories.make_interview(
        application=application, name="Technical deep-dive", focus=FOCUS, interviewers=[alice, bob]
    )
    return {card.interviewer.email: card for card in interview.scorecards.all()}


def skill_keys(card):
    return [skill.key for skill in selectors.scorecard_focus_skills(card)]


def test_an_interviewer_saves_a_draft_then_submits_and_revises(
    page, live_server, login, screenshot, panel, alice
):
    card = panel[alice.email]
    keys = skill_keys(card)
    candidate = card.interview.application.candidate.name

    login(page, alice)
    expect(page.get_by_role("heading", name="My scorecards")).to_be_visible()
    page.get_by_role("link", name=f"Fill in the scorecard for {candidate}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(candidate)

    # The anchor of each level is readable beside its radio while choosing.
    first = page.locator(f"#skill-{keys[0]}")
    anchor_3 = selectors.scorecard_focus_skills(card)[0].anchor_3
    expect(first.locator("label.level", has_text=anchor_3)).to_be_visible()

    # Choose with the keyboard: focus the "2" radio, arrow right to "3".
    first.locator("input[value='2']").focus()
    page.keyboard.press("ArrowRight")
    expect(first.locator("input[value='3']")).to_be_checked()
    first.get_by_label("Evidence note").fill("Drew the request path end to end.")
    page.locator(f"#skill-{keys[2]}").get_by_label("Evidence note").fill("Not covered yet.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")

    page.reload()
    expect(first.locator("input[value='3']")).to_be_checked()
    expect(first.get_by_label("Evidence note")).to_have_value("Drew the request path end to end.")
    expect(page.locator(f"#skill-{keys[2]}").get_by_label("Evidence note")).to_have_value(
        "Not covered yet."
    )
    screenshot(page, "draft-saved")

    # Submitting too early: every unmet requirement is shown next to its field.
    page.locator(f"#skill-{keys[1]} input[value='4']").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#overall-recommendation-error")).to_have_text(
        "Choose an overall recommendation."
    )
    expect(page.locator(f"#skill-{keys[1]}-note-error")).to_contain_text("A score of 4 needs")
    expect(page.locator(f"#skill-{keys[2]}-error")).to_have_text(
        "Rate this skill or mark it as not assessed."
    )
    # Nothing typed is lost.
    expect(page.locator(f"#skill-{keys[1]} input[value='4']")).to_be_checked()
    expect(first.get_by_label("Evidence note")).to_have_value("Drew the request path end to end.")
    screenshot(page, "unmet-requirements")

    # The error summary links to the field.
    page.locator("#error-summary").get_by_role("link", name=re.compile("Overall")).click()
    assert page.url.endswith("#overall-recommendation")

    complete_and_submit(page, keys, screenshot)
    card.refresh_from_db()
    assert card.is_submitted and card.overall_recommendation == "yes"
    revise_with_a_reason(page, screenshot)


def complete_and_submit(page, keys, screenshot):
    page.locator(f"#skill-{keys[1]}").get_by_label("Evidence note").fill("Built a vector index.")
    for key in keys[2:]:
        page.locator(f"#skill-{key} input[value='3']").check()
    page.locator(f"#skill-{keys[-1]} input[value='na']").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Summary").fill("Solid systems thinking.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_contain_text("Scorecard submitted")
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.get_by_text("Built a vector index.")).to_be_visible()
    screenshot(page, "submitted")


def revise_with_a_reason(page, screenshot):
    """A correction needs a reason, and keeps the old version."""
    page.get_by_role("link", name="Revise").click()
    page.get_by_label("Strong yes").check()
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator("#error-summary")).to_contain_text("Say why")
    page.get_by_label("Reason for the correction").fill("Re-read my notes: stronger than I said.")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("status")).to_contain_text("Revision 1 saved")
    expect(page.get_by_text("Re-read my notes: stronger than I said.")).to_be_visible()
    screenshot(page, "revised")


def test_a_second_interviewer_sees_colleagues_scorecards_only_after_submitting(
    page, live_server, login, screenshot, panel, alice, bob
):
    factories.submit(
        panel[alice.email],
        ratings=factories.complete_ratings(panel[alice.email], 3, "Alice's evidence."),
        recommendation="strong_yes",
    )
    card = panel[bob.email]
    application = card.interview.application
    candidate_url = f"{live_server.url}/applications/{application.pk}/"

    login(page, bob)
    page.goto(candidate_url)
    expect(page.get_by_text("Score independently first")).to_be_visible()
    expect(page.get_by_text("Alice's evidence.")).to_have_count(0)

    page.get_by_role("link", name="Your scorecard for Technical deep-dive").click()
    for key in skill_keys(card):
        page.locator(f"#skill-{key} input[value='2']").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_contain_text("Scorecard submitted")

    page.get_by_role("link", name=f"All scorecards for {application.candidate.name}").click()
    table = page.get_by_role("table", name="Submitted scorecards, side by side by skill")
    expect(table.get_by_role("columnheader", name=re.compile("Alice Adams"))).to_be_visible()
    expect(table.get_by_role("columnheader", name=re.compile("Bob Brown"))).to_be_visible()
    expect(table.get_by_text("Alice's evidence.").first).to_be_visible()
    panel = page.get_by_role("region", name=re.compile("Panel"))
    expect(panel.locator("li.panel-card", has_text="Alice Adams")).to_contain_text("Strong yes")
    screenshot(page, "side-by-side")


def test_the_scorecard_form_fits_a_phone(page, live_server, login, screenshot, panel, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, alice)
    page.goto(f"{live_server.url}/scorecards/{panel[alice.email].pk}/")
    key = skill_keys(panel[alice.email])[0]
    levels = page.locator(f"#skill-{key} label.level")
    one, two = levels.nth(0).bounding_box(), levels.nth(1).bounding_box()
    assert two["y"] > one["y"] + one["height"] - 1, "levels stack one under the other"
    assert one["width"] > 300
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    screenshot(page, "phone-form")

    page.goto(f"{live_server.url}/scorecards/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "phone-my-scorecards")


def test_a_hiring_lead_compares_sorts_charts_and_downloads(
    page, live_server, login, screenshot, role, alice, bob, lead
):
    # Alice scores higher than Bob throughout; on Sam they differ by two points.
    people = {"Sam Split": (4, 2), "Ada Steady": (3, 2), "Cy Careful": (2, 2), "Di Deep": (2, 1)}
    applications = {}
    for name, scores in people.items():
        application = factories.ApplicationFactory(role=role, candidate__name=name)
        interview = factories.make_interview(
            application=application, focus=FOCUS, interviewers=[alice, bob]
        )
        for person, score in zip([alice, bob], scores, strict=True):
            factories.submit(interview.scorecards.get(interviewer=person), score=score)
        applications[name] = application

    login(page, lead)
    expect(page.get_by_role("heading", name="My roles")).to_be_visible()
    page.get_by_role("link", name=f"Compare candidates for {role.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compare candidates")

    ranking = page.locator("table.ranking")

    def order():
        return ranking.locator("tbody th[scope=row] a").all_inner_texts()

    assert order()[0] == "Sam Split"

    # Sort with the keyboard: the column headers are links.
    ranking.get_by_role("link", name="Candidate").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=name"))
    assert order() == sorted(people)
    expect(ranking.locator("th[aria-sort=ascending]")).to_contain_text("Candidate")

    ranking.get_by_role("link", name="Calibrated score").click()
    page.wait_for_url(re.compile(r"sort=calibrated"))
    calibrated = [
        float(text.split()[0])
        for text in ranking.locator("tbody td:nth-child(5) strong").all_inner_texts()
    ]
    assert calibrated == sorted(calibrated, reverse=True)
    expect(ranking.locator("th[aria-sort=descending]")).to_contain_text("Calibrated score")

    # The heatmap prints the numbers, and flags Sam's split panel.
    sam_row = page.locator("table.heatmap tr", has_text="Sam Split")
    expect(sam_row.locator(".mean").first).to_have_text("3.0")
    expect(sam_row.get_by_text("split").first).to_be_visible()

    # Pick two candidates for the radar chart.
    form = page.locator("form.radar-form")
    for box in form.get_by_role("checkbox").all():
        box.uncheck()
    form.get_by_label("Ada Steady").check()
    form.get_by_label("Di Deep").check()
    form.get_by_role("button", name="Show on the chart").click()
    page.wait_for_url(re.compile(r"compare="))
    series = page.locator("figure.radar-figure g.series")
    expect(series).to_have_count(2)
    assert sorted(series.evaluate_all("gs => gs.map(g => g.dataset.name)")) == [
        "Ada Steady",
        "Di Deep",
    ]
    assert "sort=calibrated" in page.url  # the chosen sort survives
    page.locator("#radar-heading").scroll_into_view_if_needed()
    screenshot(page, "comparison")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(people)
    assert set(people) <= {cell for row in rows[1:] for cell in row}

    # The same page on a phone: nothing scrolls sideways but the tables themselves.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    screenshot(page, "comparison-phone")
