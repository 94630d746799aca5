"""The interview kit in a real Chromium: opened from the scorecard, on a phone, printed;
and the scorecard form's folded questions and progress counter.

Screenshots go to test-artifacts/ (git-ignored)."""

import pytest
from playwright.sync_api import expect

from hiring import selectors, services
from tests import factories
from tests.test_kits import FOCUS, sample_kit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def card(application, alice, bob, ai_profile):
    services.kits_load_builtin(kits=sample_kit(ai_profile))
    interview = factories.make_interview(
        application=application, name="Architecture", focus=FOCUS, interviewers=[alice, bob]
    )
    return interview.scorecards.get(interviewer=alice)


@pytest.fixture
def csp_reports(page):
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_kit_opens_from_the_scorecard_reads_on_a_phone_and_prints_clean(
    page, live_server, login, screenshot, card, alice, csp_reports
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, alice)
    page.goto(f"{live_server.url}/scorecards/{card.pk}/")
    page.get_by_role("link", name="Open the interview kit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interview kit")
    skill = selectors.scorecard_focus_skills(card, with_questions=True)[0]
    question = skill.questions.all()[0]
    expect(page.locator(".kit-skill", has_text=skill.name).first).to_contain_text(question.text)
    expect(page.get_by_text("Listen for:").first).to_be_visible()
    expect(page.get_by_role("heading", name="Work sample:").first).to_be_visible()
    assert fits_the_width(page)
    screenshot(page, "kit-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert fits_the_width(page)
    # The four anchors stack on a phone: each as wide as the text column.
    anchors = page.locator(".kit-anchors").first.locator("> div")
    widths = [anchors.nth(i).bounding_box()["width"] for i in range(4)]
    assert min(widths) > 300
    screenshot(page, "kit-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    for hidden in (".site-header", "nav", ".breadcrumbs", "a.button", "button"):
        assert all(not element.is_visible() for element in page.locator(hidden).all()), hidden
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text(question.text).first).to_be_visible()
    # The document starts with its title: nothing is drawn above it.
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 60
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    path = screenshot(page, "kit-print")
    assert path.stat().st_size > 0
    assert csp_reports == []


def test_the_progress_counter_follows_the_choices(
    page, live_server, login, screenshot, card, alice, csp_reports
):
    skills = selectors.scorecard_focus_skills(card, with_questions=True)
    total = len(skills)
    login(page, alice)
    page.goto(f"{live_server.url}/scorecards/{card.pk}/")
    counter = page.locator(".rating-progress")
    expect(counter).to_have_text(f"0 of {total} rated")

    first, second = (page.locator(f"#skill-{skill.key}") for skill in skills[:2])
    first.locator("input[value='3']").check()
    expect(counter).to_have_text(f"1 of {total} rated")
    second.get_by_label("Not assessed").check()
    expect(counter).to_have_text(f"2 of {total} rated")
    first.locator("input[value='2']").check()  # another level for the same skill
    expect(counter).to_have_text(f"2 of {total} rated")

    # Each skill's questions are folded away, one click from the rating.
    question = skills[0].questions.all()[0].text
    expect(first.get_by_text(question)).to_be_hidden()
    first.get_by_text("Questions to ask").click()
    expect(first.get_by_text(question)).to_be_visible()
    screenshot(page, "progress")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    expect(counter).to_have_text(f"2 of {total} rated")
    assert csp_reports == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(counter).to_be_visible()
    assert fits_the_width(page)
    screenshot(page, "progress-phone", full_page=False)


def test_the_admin_edits_questions_under_the_skill_and_samples_under_the_competency(
    page, live_server, login, screenshot, recruiter, ai_profile
):
    services.kits_load_builtin(kits=sample_kit(ai_profile))
    competency = ai_profile.competencies.get(key="system-architecture")
    skill = competency.skills.first()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, recruiter)
    page.goto(f"{live_server.url}/admin/hiring/competency/{competency.pk}/change/")
    expect(page.get_by_role("heading", name="Work samples")).to_be_visible()
    sample = competency.work_samples.first()
    expect(page.locator("textarea[name$='-instructions']").first).to_have_value(sample.instructions)
    assert fits_the_width(page)
    screenshot(page, "admin-competency")
    page.get_by_role("link", name=f"{skill.questions.count()} questions").first.click()
    expect(page.locator("textarea[name$='-text']").first).to_have_value(
        skill.questions.first().text
    )
    assert fits_the_width(page)
    screenshot(page, "admin-skill")
