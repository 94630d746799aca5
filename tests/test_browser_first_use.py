"""What a newcomer sees, in a real Chromium: the scorecard form after a too-early submit,
the navigation, the favicon, and the recruiters' admin.

Screenshots land in test-artifacts/ (git-ignored).
"""

import base64
import re

import pytest
from playwright.sync_api import expect

from hiring import selectors
from hiring.models import (
    Competency,
    IntakeQuestion,
    Interview,
    SkillProfile,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = ["system-architecture", "integration-rag"]

# The colours of a screenshot's pixels, read by the browser itself from the PNG.
COLOURS = """async ([src, share]) => {
    const image = new Image();
    image.src = src;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const width = Math.floor(image.width * share), top = 3, height = image.height - 6;
    const data = context.getImageData(0, top, width, height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
        colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    }
    return [...colours];
}"""


def png_colours(page, png: bytes, share: float) -> list[str]:
    """The distinct colours in the left ``share`` of a PNG (its top and bottom edges aside)."""
    source = "data:image/png;base64," + base64.b64encode(png).decode()
    return page.evaluate(COLOURS, [source, share])


def nav(page) -> list[str]:
    return page.get_by_role("navigation", name="Main").get_by_role("link").all_text_contents()


@pytest.fixture
def card(application, alice, bob):
    interview = factories.make_interview(
        application=application, name="Technical deep-dive", focus=FOCUS, interviewers=[alice, bob]
    )
    return interview.scorecards.get(interviewer=alice)


# ---------------------------------------------------------------------------
# The interviewer
# ---------------------------------------------------------------------------


def test_a_too_early_submit_focuses_the_summary_and_puts_the_note_rule_at_the_note(
    page, live_server, login, screenshot, card, alice
):
    keys = [skill.key for skill in selectors.scorecard_focus_skills(card)]
    login(page, alice)
    # Only the page she may use is offered; the others are forbidden.
    assert nav(page) == ["My scorecards"]
    assert page.goto(f"{live_server.url}/roles/").status == 403
    assert page.goto(f"{live_server.url}/intake/").status == 403
    # ...with the site's own page, not a bare "403 Forbidden": styled, saying why,
    # and with the navigation to go on from.
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not do this")
    sheets = page.evaluate("[...document.styleSheets].map(sheet => sheet.href || '')")
    assert any("/static/hiring/" in href for href in sheets)
    assert nav(page) == ["My scorecards"]
    screenshot(page, "desktop-forbidden", full_page=False)

    page.goto(f"{live_server.url}/scorecards/{card.pk}/")
    skill = page.locator(f"#skill-{keys[1]}")
    skill.locator("input[value='4']").check()
    page.get_by_role("button", name="Submit").click()

    # Focus moves to the error summary, which is in view.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    screenshot(page, "desktop-summary", full_page=False)
    # Its link for the missing evidence leads to the note box.
    summary.get_by_role("link", name=re.compile("needs an evidence note")).click()
    expect(skill.get_by_label("Evidence note")).to_be_focused()

    # "Needs a note" stands at the note box, not above the levels.
    note_error = skill.locator(f"#skill-{keys[1]}-note-error")
    expect(note_error).to_have_text(re.compile(r"^A score of 4 needs an evidence note"))
    expect(skill.locator(f"#skill-{keys[1]}-error")).to_have_count(0)
    box = skill.get_by_label("Evidence note")
    expect(box).to_have_attribute("aria-describedby", f"skill-{keys[1]}-note-error")
    levels = skill.locator(".levels").bounding_box()
    error, textarea = note_error.bounding_box(), box.bounding_box()
    assert error["y"] > levels["y"] + levels["height"], "below the levels"
    assert 0 <= textarea["y"] - (error["y"] + error["height"]) < 16, "right above the box"
    # A skill not rated at all keeps its message at the levels.
    expect(page.locator(f"#skill-{keys[0]}-error")).to_have_text(
        "Rate this skill or mark it as not assessed."
    )
    note_error.scroll_into_view_if_needed()
    screenshot(page, "desktop-note", full_page=False)

    # The sticky Save / Submit bar hides what scrolls under it.
    page.locator(f"#skill-{keys[3]}").scroll_into_view_if_needed()
    bar = page.locator(".actions")
    assert bar.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(244, 246, 249)"
    under = page.evaluate(
        """() => { const r = document.querySelector('.actions').getBoundingClientRect();
                   return [...document.querySelectorAll('.scorecard-form legend, .anchor')]
                     .some(e => { const b = e.getBoundingClientRect();
                                  return b.top < r.bottom && b.bottom > r.top; }); }"""
    )
    assert under, "some of the form's text is behind the bar"
    # Left of the buttons the bar is one flat colour: no text shows through. (Its own
    # "N of M rated" counter is hidden for the pixel check: only what is under it counts.)
    bar.locator(".rating-progress").evaluate("counter => counter.style.visibility = 'hidden'")
    assert png_colours(page, bar.screenshot(), 0.45) == ["244,246,249"]
    screenshot(page, "desktop-sticky-bar", full_page=False)


def test_the_same_on_a_phone(page, live_server, login, screenshot, card, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    keys = [skill.key for skill in selectors.scorecard_focus_skills(card)]
    login(page, alice)
    page.goto(f"{live_server.url}/scorecards/{card.pk}/")
    page.locator(f"#skill-{keys[0]} input[value='1']").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_be_in_viewport()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    screenshot(page, "phone-summary", full_page=False)
    note = page.locator(f"#skill-{keys[0]}").get_by_label("Evidence note")
    note.scroll_into_view_if_needed()
    expect(page.locator(f"#skill-{keys[0]}-note-error")).to_be_visible()
    screenshot(page, "phone-note", full_page=False)


def test_submitting_says_what_it_opened_up(page, live_server, login, card, alice, bob):
    name = card.interview.application.candidate.name
    login(page, alice)
    page.goto(f"{live_server.url}/scorecards/{card.pk}/")
    for skill in selectors.scorecard_focus_skills(card):
        page.locator(f"#skill-{skill.key} input[value='3']").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Scorecard submitted. No colleague has submitted a scorecard for {name} yet."
    )


def test_a_hiring_lead_is_offered_the_roles_and_the_intake(
    page, live_server, login, screenshot, lead, role
):
    login(page, lead)
    assert nav(page) == ["My scorecards", "My roles", "Role intake"]
    expect(page.get_by_role("link", name="My roles")).to_have_attribute("aria-current", "page")
    screenshot(page)


def test_every_page_has_the_favicon(page, live_server, login, alice):
    response = page.goto(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    login(page, alice)
    icon = page.locator("link[rel=icon]")
    expect(icon).to_have_attribute("href", "/favicon.ico")
    # The browser reads it as an image.
    width = page.evaluate(
        """async () => { const image = new Image();
                         image.src = document.querySelector('link[rel=icon]').href;
                         await image.decode(); return image.naturalWidth; }"""
    )
    assert width in (16, 32, 48)


# ---------------------------------------------------------------------------
# The recruiter, in the admin
# ---------------------------------------------------------------------------


@pytest.fixture
def admin_page(page, live_server, login, recruiter):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, recruiter)

    def go(path):
        response = page.goto(f"{live_server.url}/admin/{path}")
        assert response.status == 200, path
        return page

    return go


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_admin_index_is_grouped_and_the_long_forms_fit_1280_px(
    admin_page, screenshot, ai_profile, interview
):
    page = admin_page("")
    captions = page.locator("#content-main caption").all_text_contents()
    assert [caption.strip() for caption in captions] == [
        "Hiring",
        "Profiles",
        "Integrations",
        "System",
    ]
    hiring = page.locator("#content-main .module").first
    assert hiring.locator("th a").all_text_contents()[:4] == [
        "Roles",
        "Candidates",
        "Applications",
        "Interviews",
    ]
    screenshot(page, "index")

    page = admin_page(f"hiring/skillprofile/{ai_profile.pk}/change/")
    assert width(page) <= 1280
    screenshot(page, "profile")
    question = IntakeQuestion.objects.first()
    page = admin_page(f"hiring/intakequestion/{question.pk}/change/")
    assert width(page) <= 1280
    # The application's interview rows, with their focus competencies.
    page = admin_page(f"hiring/application/{interview.application_id}/change/")
    assert width(page) <= 1280
    screenshot(page, "application")


def test_editing_a_profile_in_use_continues_on_the_new_version(
    admin_page, screenshot, interview, ai_profile
):
    page = admin_page(f"hiring/skillprofile/{ai_profile.pk}/change/")
    page.locator("#id_competencies-0-weight").fill("2.50")
    page.get_by_role("button", name="Save and continue editing").click()
    new = SkillProfile.objects.get(slug="ai-engineer", version=2)
    assert page.url.endswith(f"/admin/hiring/skillprofile/{new.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text(
        "Scorecards use AI engineer v1, so it stays as it was: your changes were saved as "
        "AI engineer v2."
    )
    expect(page.locator("#content h2").first).to_have_text("AI engineer v2")
    expect(page.locator("#id_competencies-0-weight")).to_have_value("2.50")
    screenshot(page)


def test_an_interviews_focus_follows_the_application_chosen(
    admin_page, screenshot, ai_profile, ml_profile, lead
):
    ai_role = factories.RoleFactory(profile=ai_profile, hiring_lead=lead, title="AI Engineer")
    ml_role = factories.RoleFactory(profile=ml_profile, hiring_lead=lead, title="ML Engineer")
    factories.ApplicationFactory(role=ai_role, candidate__name="Ada Aiden")
    ml_application = factories.ApplicationFactory(role=ml_role, candidate__name="Mo Mlund")
    page = admin_page("hiring/interview/add/")
    focus = page.locator("#id_focus_competencies")
    expect(focus.locator("input[type=checkbox]")).to_have_count(12)
    # Until an application is chosen, nothing is offered.
    expect(focus.locator("input:visible")).to_have_count(0)

    def choose(name):
        page.locator(".field-application .select2-selection").click()
        page.locator(".select2-search__field").fill(name)
        page.locator(".select2-results__option", has_text=name).click()

    choose("Ada Aiden")
    ai = [c.name for c in Competency.objects.filter(profile=ai_profile).order_by("order")]
    expect(focus.locator("label:visible")).to_have_text(ai)
    focus.get_by_label(ai[0]).check()
    screenshot(page, "ai")

    choose("Mo Mlund")
    ml = [c.name for c in Competency.objects.filter(profile=ml_profile).order_by("order")]
    expect(focus.locator("label:visible")).to_have_text(ml)
    expect(focus.locator("input:checked")).to_have_count(0)  # the AI choice went with it
    focus.get_by_label(ml[1]).check()
    page.get_by_label("Name:").fill("Modelling deep-dive")
    page.get_by_role("button", name="Save", exact=True).click()
    interview = Interview.objects.get(name="Modelling deep-dive")
    assert interview.application == ml_application
    assert [c.name for c in interview.focus_competencies.all()] == [ml[1]]

    # Its own page offers its role's competencies only.
    page = admin_page(f"hiring/interview/{interview.pk}/change/")
    expect(page.locator("#id_focus_competencies label")).to_have_text(ml)
    screenshot(page, "change")


def test_a_submitted_scorecard_reads_in_words_with_nothing_to_save(
    admin_page, screenshot, interview, alice
):
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card, score=2)
    page = admin_page(f"hiring/scorecard/{card.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("View scorecard")
    expect(page.locator("input[type=submit]")).to_have_count(0)
    skill = selectors.scorecard_focus_skills(card)[0]
    row = page.locator("#ratings-group tr", has_text=skill.name).first
    expect(row).to_contain_text(f"2 of 4: {skill.anchor_2}")
    expect(page.get_by_text(re.compile(rf"\b{skill.key}\b"))).to_have_count(0)
    screenshot(page)


def test_a_delivered_webhook_shows_no_next_attempt(admin_page, screenshot, db):
    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook", secret="s" * 32, events=["scorecard.submitted"]
    )
    event = WebhookEvent.objects.create(type="scorecard.submitted", payload={})
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, status="succeeded", attempts=1, last_status_code=204
    )
    page = admin_page(f"hiring/webhookdelivery/{delivery.pk}/change/")
    expect(page.get_by_text("Next attempt")).to_have_count(0)
    expect(page.locator(".field-delivered_at, .field-status").first).to_be_visible()
    screenshot(page)
