"""The role-intake page (/intake/) for hiring leads and recruiters, and the admin's view of
a role's intake."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils.html import escape
from playwright.sync_api import expect

from hiring.models import IntakeQuestion, Role, RoleIntake
from tests.test_intake import QUESTION_KEYS, answers_pointing, mixed

START = "/intake/"

pytestmark = pytest.mark.usefixtures("builtin_data")


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def query(answers: dict[str, str], level: str = "mid") -> str:
    return (
        START + "?" + urlencode({**{f"answers.{k}": v for k, v in answers.items()}, "level": level})
    )


def form_data(answers: dict[str, str], level: str = "mid", **extra) -> dict:
    return {**{f"answers.{k}": v for k, v in answers.items()}, "level": level, **extra}


# ---------------------------------------------------------------------------
# Server-rendered behaviour
# ---------------------------------------------------------------------------


def test_the_questionnaire_has_a_labelled_radio_group_per_question(lead):
    response = as_(lead).get(START)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset") == len(QUESTION_KEYS)
    assert html.count('type="radio"') == 3 * len(QUESTION_KEYS)
    for question in IntakeQuestion.objects.all():
        assert re.search(rf"<legend>\d+\. {re.escape(question.text)}</legend>", html)
    assert "Recommendation:" not in html


def test_interviewers_may_not_use_the_intake_and_strangers_must_log_in(alice):
    assert as_(alice).get(START).status_code == 403
    response = Client().get(START)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_answers_show_the_recommendation_explanation_strength_and_band(lead):
    response = as_(lead).get(query(answers_pointing("ml-engineer"), level="senior"))

    html = response.content.decode()
    assert "Recommendation: ML engineer" in html
    assert "Hire an ML engineer" in html
    assert "<strong>1.00</strong>" in html
    assert "USD 195,000 – 250,000+" in html
    assert response.context["result"].decision.explanation[0] in html
    assert "Create draft role</button>" in html


def test_a_split_shows_both_bands_and_offers_two_roles(lead):
    html = as_(lead).get(query(mixed(ai=4, ml=4))).content.decode()

    assert "Recommendation: Both: an ML engineer, then an AI engineer" in html
    assert "USD 150,000 – 195,000" in html and "USD 145,000 – 185,000" in html
    assert "Create draft roles</button>" in html


def test_mostly_not_sure_shows_not_enough_information_and_offers_no_role(lead):
    html = as_(lead).get(query(mixed(ml=1, not_sure=7))).content.decode()

    assert "Recommendation: Not enough information" in html
    assert "Create draft role" not in html


def test_an_unknown_answer_is_shown_next_to_its_question(lead):
    response = as_(lead).get(query({"timeline": "yesterday"}))

    assert response.context["result"] is None
    assert response.context["intake_form"].errors["answers.timeline"]


def test_a_hiring_lead_creates_the_role_they_lead_and_sees_it(lead, other_lead):
    client = as_(lead)
    response = client.post(
        START,
        # A lead is offered no choice of hiring lead; a forged one is ignored.
        form_data(mixed(ml=7, ai=1), title="Ranking", team="Search", hiring_lead=other_lead.pk),
    )

    role = Role.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/{role.intake_id}/"
    assert (role.title, role.team, role.hiring_lead, role.profile.slug) == (
        "Ranking",
        "Search",
        lead,
        "ml-engineer",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Ranking" in page and "ML engineer v1" in page
    assert as_(other_lead).get(response["Location"]).status_code == 404


def test_a_recruiter_picks_the_hiring_lead_and_gets_links_to_the_admin(recruiter, lead):
    client = as_(recruiter)
    response = client.post(START, form_data(mixed(ai=4, ml=4), hiring_lead=lead.pk), follow=True)

    roles = list(Role.objects.order_by("id"))
    assert [r.profile.slug for r in roles] == ["ml-engineer", "ai-engineer"]
    assert {r.hiring_lead for r in roles} == {lead}
    html = response.content.decode()
    for role in roles:
        assert f'href="/admin/hiring/role/{role.pk}/change/"' in html


def test_a_recruiter_must_name_a_hiring_lead(recruiter):
    response = as_(recruiter).post(START, form_data(mixed(ai=8)))

    assert response.status_code == 400
    assert response.context["create_form"].errors["hiring_lead"]
    assert not Role.objects.exists()


def test_creating_from_insufficient_answers_creates_nothing(lead):
    response = as_(lead).post(START, form_data(mixed(not_sure=8)))

    assert response.status_code == 400
    assert "no role was created" in response.content.decode()
    assert not RoleIntake.objects.exists()


def test_creating_roles_needs_the_csrf_token(lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)

    assert client.post(START, form_data(mixed(ai=8))).status_code == 403
    assert not Role.objects.exists()


def test_the_role_admin_page_shows_the_intake_behind_the_role(recruiter, lead):
    as_(recruiter).post(START, form_data(mixed(ai=4, ml=4), hiring_lead=lead.pk))
    ml_role, ai_role = Role.objects.order_by("id")

    html = as_(recruiter).get(f"/admin/hiring/role/{ml_role.pk}/change/").content.decode()

    assert "Both: an ML engineer, then an AI engineer" in html
    assert "hire the ML engineer first" in html
    assert f'href="/admin/hiring/role/{ai_role.pk}/change/"' in html
    assert len(ml_role.intake.explanation) == 8
    for line in ml_role.intake.explanation:
        assert f"<li>{escape(line)}</li>" in html


# ---------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------


def group(page, question_key):
    text = IntakeQuestion.objects.get(key=question_key).text
    return page.get_by_role("group", name=re.compile(re.escape(text)))


@pytest.mark.browser
def test_a_hiring_lead_answers_by_keyboard_and_creates_an_ml_engineer_role(
    page, live_server, login, lead, screenshot
):
    login(page, lead)
    page.goto(f"{live_server.url}{START}")

    # First, "not sure" everywhere: no guess, and nothing to create.
    for key in QUESTION_KEYS:
        group(page, key).get_by_label("Not sure yet").check()
    page.get_by_role("button", name="Recommend a profile").click()
    expect(
        page.get_by_role("heading", name="Recommendation: Not enough information")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Create draft role"))).to_have_count(0)

    # Then real answers; the first group by keyboard alone.
    first = group(page, QUESTION_KEYS[0])
    first.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowDown")  # moves to, and checks, the ML-leaning answer
    expect(first.get_by_role("radio").nth(1)).to_be_checked()
    ml_answers = answers_pointing("ml-engineer")
    for key in QUESTION_KEYS[1:]:
        text = ml_answers[key]
        answer = IntakeQuestion.objects.get(key=key).answers.get(key=text)
        group(page, key).get_by_label(answer.text).check()
    page.get_by_label("Level of the role").select_option("senior")
    page.get_by_role("button", name="Recommend a profile").click()

    expect(page.get_by_role("heading", name="Recommendation: ML engineer")).to_be_visible()
    expect(page.locator(".intake-explanation li")).to_have_count(8)
    expect(page.get_by_text("USD 195,000 – 250,000+")).to_be_visible()
    page.get_by_label("Title").fill("Fraud detection")
    page.get_by_role("button", name="Create draft role").click()

    expect(page.get_by_role("heading", name="Draft role created")).to_be_visible()
    expect(page.get_by_text("Fraud detection", exact=True)).to_be_visible()
    screenshot(page)
    role = Role.objects.get()
    assert (role.hiring_lead, role.level, role.status, role.profile.slug) == (
        lead,
        "senior",
        "draft",
        "ml-engineer",
    )
    assert role.intake.recommendation == "ml-engineer"


@pytest.mark.browser
def test_a_recruiter_creates_both_roles_from_a_split_and_finds_the_intake_in_the_admin(
    page, live_server, login, recruiter, lead, screenshot
):
    login(page, recruiter)
    page.goto(live_server.url + query(mixed(ai=4, ml=4)))

    expect(
        page.get_by_role(
            "heading", name="Recommendation: Both: an ML engineer, then an AI engineer"
        )
    ).to_be_visible()
    expect(page.get_by_text("hire the ML engineer first")).to_be_visible()
    page.get_by_label("Title").fill("Assistant")
    page.get_by_label("Hiring lead").select_option(label=f"Lee Lead ({lead.email})")
    screenshot(page, "recommendation")
    page.get_by_role("button", name="Create draft roles").click()

    expect(page.get_by_role("link", name="Assistant (ML engineer)", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Assistant (AI engineer)", exact=True)).to_be_visible()
    page.get_by_role("link", name="Assistant (ML engineer)", exact=True).click()

    expect(page.get_by_text("Also created from this intake")).to_be_visible()
    expect(page.get_by_role("link", name="Assistant (AI engineer)", exact=True)).to_be_visible()
    screenshot(page)
