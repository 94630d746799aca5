"""The compare page in a real Chromium, as a hiring lead uses it in a debrief: the ranking
first, incomplete candidates marked and after the complete ones, a column sorted both ways,
the chart's gaps, the chart's button keeping the place, and every score visible on a phone.

Screenshots land in test-artifacts/ (git-ignored).
"""

import re

import pytest
from playwright.sync_api import expect

from hiring import services
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = ["system-architecture", "integration-rag"]


@pytest.fixture
def debrief_role(role, alice, bob):
    everything = list(role.profile.competencies.values_list("key", flat=True))
    # Complete: every competency scored, both scorecards in.
    for name, scores in {"Cal Complete": (3, 2), "Dee Done": (2, 2)}.items():
        application = factories.ApplicationFactory(role=role, candidate__name=name)
        interview = factories.make_interview(
            application=application, focus=everything, interviewers=[alice, bob]
        )
        for person, score in zip([alice, bob], scores, strict=True):
            factories.submit(interview.scorecards.get(interviewer=person), score=score)
    # Top marks, but only on the two FOCUS competencies, and Alice and Bob split on them.
    narrow = factories.ApplicationFactory(role=role, candidate__name="Nat Narrow")
    interview = factories.make_interview(application=narrow, focus=FOCUS, interviewers=[alice, bob])
    factories.submit(interview.scorecards.get(interviewer=alice), score=4)
    factories.submit(interview.scorecards.get(interviewer=bob), score=2)
    return role


def test_a_lead_reads_the_comparison_in_a_debrief(
    page, live_server, login, screenshot, debrief_role, lead
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, lead)
    page.goto(f"{live_server.url}/roles/{debrief_role.pk}/compare/")
    ranking = page.locator("table.ranking")

    def order():
        return ranking.locator("tbody th[scope=row] a").all_inner_texts()

    # The ranking comes before the statistics, which are one note, detail folded away.
    ranking_top = page.locator("#ranking-heading").bounding_box()["y"]
    assert ranking_top < page.locator("#statistics-heading").bounding_box()["y"]
    expect(page.locator(".plain-note")).to_be_visible()
    expect(page.locator(".statistics-detail table.calibration")).to_be_hidden()
    page.get_by_text("Agreement and calibration in detail").click()
    expect(page.locator(".statistics-detail table.calibration")).to_be_visible()

    # Nat scored highest, but on part of the role only: marked, and after the complete.
    assert order() == ["Cal Complete", "Dee Done", "Nat Narrow"]
    nat = ranking.locator("tbody tr", has_text="Nat Narrow")
    expect(nat.locator(".flag-incomplete")).to_have_text("Incomplete")
    expect(ranking.locator(".flag-incomplete")).to_have_count(1)
    # The disagreement names its skills.
    expect(nat.locator(".split-skills")).to_contain_text("on ")
    screenshot(page, "ranking")

    # Sorting a column again reverses it.
    ranking.get_by_role("link", name="Candidate").click()
    page.wait_for_url(re.compile(r"sort=name&dir=asc"))
    assert order() == ["Cal Complete", "Dee Done", "Nat Narrow"]
    ranking.get_by_role("link", name="Candidate").click()
    page.wait_for_url(re.compile(r"sort=name&dir=desc"))
    assert order() == ["Nat Narrow", "Dee Done", "Cal Complete"]
    expect(ranking.locator("th[aria-sort=descending]")).to_contain_text("Candidate")

    # The chart: Nat's unassessed competencies are a gap, not a dip to the centre.
    form = page.locator("form.radar-form")
    for box in form.get_by_role("checkbox").all():
        box.uncheck()
    form.get_by_label("Nat Narrow").check()
    form.get_by_label("Cal Complete").check()
    form.scroll_into_view_if_needed()
    form.get_by_role("button", name="Show on the chart").click()
    page.wait_for_url(re.compile(r"compare=.*#radar-heading"))
    page.wait_for_load_state()
    # The page comes back at the chart, not at the top.
    assert page.evaluate("window.scrollY") > 300
    heading = page.locator("#radar-heading").bounding_box()
    assert 0 <= heading["y"] < 450  # in view (the page may end before it can reach the top)
    nat_series = page.locator("g.series[data-name='Nat Narrow']")
    expect(nat_series.locator("path.outline-with-gap")).to_have_count(1)
    expect(nat_series.locator("polygon")).to_have_count(0)
    expect(page.locator("g.series[data-name='Cal Complete'] polygon")).to_have_count(1)
    assert "sort=name" in page.url and "dir=desc" in page.url  # the sort survives
    screenshot(page, "chart", full_page=False)


def test_every_score_stays_visible_on_a_phone(
    page, live_server, login, screenshot, debrief_role, lead
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, lead)
    page.goto(f"{live_server.url}/roles/{debrief_role.pk}/compare/")
    screenshot(page, "phone")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    scores = page.locator("table.ranking tbody td[data-label='Weighted score'] strong")
    expect(scores).to_have_count(3)
    for index in range(3):
        box = scores.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # Nothing inside the ranking scrolls sideways either.
    scroller = page.locator(".table-scroll", has=page.locator("table.ranking"))
    assert scroller.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    calibrated = page.locator("table.ranking tbody td[data-label='Calibrated score'] strong")
    box = calibrated.first.bounding_box()
    assert box["x"] + box["width"] <= 390


def test_a_lead_reads_a_candidate_in_a_debrief(
    page, live_server, login, screenshot, application, lead, alice, bob, charlie
):
    interview = factories.make_interview(
        application=application,
        name="Onsite loop",
        focus=FOCUS,
        interviewers=[alice, bob, charlie],
    )
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card, score=2, recommendation="no")
    factories.submit(interview.scorecards.get(interviewer=bob), score=3)
    ratings = factories.complete_ratings(card, 2)
    ratings[0] = services.RatingInput(skill=ratings[0].skill, score=4, note="Drew it all.")
    services.scorecard_revise(
        scorecard=card,
        by=alice,
        reason="Mixed up two candidates.",
        ratings=ratings,
        overall_recommendation="strong_yes",
        summary="Strong system designer.",
    )
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if width == 1280:
            login(page, lead)
        page.goto(f"{live_server.url}/applications/{application.pk}/")
        panel = page.get_by_role("region", name=re.compile("Panel"))
        # The panel comes first, above the skill-by-skill table.
        table = page.get_by_role("table", name="Submitted scorecards, side by side by skill")
        assert panel.bounding_box()["y"] < table.bounding_box()["y"]
        expect(panel).to_contain_text("2 of 3 submitted, 1 pending")
        alice_card = panel.locator("li.panel-card", has_text="Alice Adams")
        expect(alice_card.locator(".status-submitted")).to_have_text("Submitted")
        expect(alice_card).to_contain_text("Strong yes")
        expect(alice_card).to_contain_text("Strong system designer.")
        expect(alice_card.locator(".badge.revised")).to_be_visible()
        changes = alice_card.locator(".revision-changes li")
        expect(changes.filter(has_text="Recommendation")).to_contain_text("No")
        expect(changes.filter(has_text="score")).to_contain_text("2")
        expect(changes.filter(has_text="score").locator("ins")).to_have_text("4")
        expect(changes.filter(has_text="note").locator("ins")).to_have_text("Drew it all.")
        expect(panel.locator("li.panel-card", has_text="Charlie Chen")).to_contain_text("Draft")
        expect(
            panel.locator("li.panel-card", has_text="Bob Brown").locator(".revised")
        ).to_have_count(0)
        expect(table.locator(".badge.revised")).to_have_count(1)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        screenshot(page, f"candidate-{width}")
