"""The role brief's pages (/roles/<id>/brief/), the compare page's uncovered
competencies, and the admin's view of a role's brief; in Chromium too."""

import pytest
from django.test import Client
from django.utils.html import escape
from playwright.sync_api import expect

from hiring import services
from hiring.models import RoleBrief
from tests import factories
from tests.test_intake import answers_pointing

pytestmark = pytest.mark.usefixtures("builtin_data")


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def posted(form, **changes) -> dict:
    """The edit form's initial values as a browser would post them."""
    data = {k: "" if v is None else v for k, v in form.initial.items()}
    return {**data, **changes}


def page_url(role, rest="") -> str:
    return f"/roles/{role.pk}/brief/{rest}"


@pytest.mark.parametrize(
    ("who", "status"),
    [("lead", 200), ("recruiter", 200), ("other_lead", 404), ("alice", 404)],
)
def test_who_opens_the_brief_page(request, interview, who, status):
    role = interview.application.role
    assert as_(request.getfixturevalue(who)).get(page_url(role)).status_code == status
    assert as_(request.getfixturevalue(who)).get(page_url(role, "edit/")).status_code == status


def test_the_page_shows_the_brief_cost_and_plan(lead, role):
    html = as_(lead).get(page_url(role)).content.decode()

    brief = RoleBrief.objects.get(role=role)
    assert escape(brief.responsibilities[0]) in html
    assert "USD 185,000 – 230,000+" in html
    assert "First-year cost" in html
    assert "Build exercise: a retrieval-augmented feature" in html
    assert "Integration &amp; RAG" in html


def test_my_roles_links_to_the_brief(lead, role):
    html = as_(lead).get("/roles/").content.decode()
    assert f'href="/roles/{role.pk}/brief/"' in html


def test_the_intake_result_links_to_each_roles_brief(lead):
    client = as_(lead)
    form = {f"answers.{k}": v for k, v in answers_pointing("ai-engineer").items()}
    response = client.post("/intake/", {**form, "level": "mid", "title": "Assistant"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    role = lead.led_roles.get()
    assert f'href="/roles/{role.pk}/brief/"' in html


def test_editing_saves_and_marks_the_field_edited(lead, role):
    client = as_(lead)
    form = client.get(page_url(role, "edit/")).context["form"]
    data = posted(form, summary="We need someone to build our support assistant.")
    data["recruitment_cost"] = "12000"

    response = client.post(page_url(role, "edit/"), data)

    assert response.status_code == 302
    brief = RoleBrief.objects.get(role=role)
    assert brief.summary == "We need someone to build our support assistant."
    assert brief.recruitment_cost == 12000
    assert brief.edited_fields == ["summary"]
    assert "USD 197,000 – 242,000+" in client.get(response["Location"]).content.decode()


def test_a_plan_missing_a_competency_is_shown_under_the_field(lead, role):
    client = as_(lead)
    form = client.get(page_url(role, "edit/")).context["form"]
    plan = "\n".join(
        line for line in form.initial["interview_plan"].splitlines() if "production" not in line
    )
    response = client.post(page_url(role, "edit/"), posted(form, interview_plan=plan))

    assert response.status_code == 400
    assert "cloud-deployment" in " ".join(response.context["form"].errors["interview_plan"])


def test_a_stale_form_is_refused(lead, role):
    client = as_(lead)
    form = client.get(page_url(role, "edit/")).context["form"]
    assert client.post(page_url(role, "edit/"), posted(form, summary="A.")).status_code == 302
    response = client.post(page_url(role, "edit/"), posted(form, summary="B."))
    assert response.status_code == 400
    assert "changed this brief after you opened it" in response.content.decode()
    assert RoleBrief.objects.get(role=role).summary == "A."


def test_regenerating_from_the_page_keeps_edits_unless_ticked(lead, role):
    client = as_(lead)
    brief = services.brief_get_or_generate(role=role)
    services.brief_save(brief=brief, data={"summary": "Ours."}, by=lead)
    role.level = "mid"
    services.role_save(role=role)

    preview = client.get(page_url(role, "regenerate/"))
    html = preview.content.decode()
    assert 'name="accept" value="summary"' in html
    assert "will be updated" in html
    version = RoleBrief.objects.get(role=role).row_version

    assert client.post(page_url(role, "regenerate/"), {"row_version": version}).status_code == 302
    brief = RoleBrief.objects.get(role=role)
    assert brief.summary == "Ours."
    assert brief.responsibilities[0].startswith("Own ")

    client.post(
        page_url(role, "regenerate/"), {"row_version": brief.row_version, "accept": "summary"}
    )
    assert RoleBrief.objects.get(role=role).summary.startswith("The AI Engineer")


def test_the_compare_page_lists_competencies_no_interview_covers(lead, interview):
    role = interview.application.role
    html = as_(lead).get(f"/roles/{role.pk}/compare/").content.decode()

    assert "Not covered by any interview yet" in html
    candidate = interview.application.candidate.name
    line = html[html.index(f"<strong>{candidate}</strong>") :].split("</li>", 1)[0]
    assert "Software engineering" in line
    assert "System architecture" not in line  # the interview's focus


def test_an_interview_without_focus_covers_everything(lead, application):
    factories.make_interview(application=application, focus=[])
    html = as_(lead).get(f"/roles/{application.role.pk}/compare/").content.decode()
    assert "Not covered by any interview yet" not in html


def test_the_admin_shows_the_brief_on_the_roles_page(recruiter, role):
    client = as_(recruiter)
    html = client.get(f"/admin/hiring/role/{role.pk}/change/").content.decode()
    assert "Not generated yet" in html
    services.brief_get_or_generate(role=role)
    html = client.get(f"/admin/hiring/role/{role.pk}/change/").content.decode()
    assert "First-year cost" in html
    assert "Technical screen (45 min)" in html
    assert f'href="/roles/{role.pk}/brief/"' in html


# ---------------------------------------------------------------------------
# In Chromium: desktop, phone, print
# ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_reads_edits_and_prints_the_brief_in_chromium(
    page, live_server, login, screenshot, lead, role
):
    login(page, lead)
    page.goto(f"{live_server.url}/roles/")
    page.get_by_role("link", name=f"Brief for {role.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(role.title)
    expect(page.get_by_role("heading", name="Interview plan")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "desktop")

    page.get_by_role("link", name="Edit the brief").click()
    page.get_by_label("Summary").fill("We are hiring someone to own our assistant.")
    page.get_by_role("button", name="Save the brief").click()
    expect(page.get_by_role("status")).to_contain_text("Brief saved")
    expect(page.get_by_text("We are hiring someone to own our assistant.")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Edit the brief")).to_be_hidden()
    expect(page.get_by_role("heading", name="Requirements")).to_be_visible()
    screenshot(page, "print")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_interviewer_opening_the_intake_gets_the_styled_403_in_chromium(
    page, live_server, login, screenshot, alice
):
    login(page, alice)
    response = page.goto(f"{live_server.url}/intake/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You may not do this")).to_be_visible()
    expect(page.get_by_text("Role intake is for hiring leads and recruiters.")).to_be_visible()
    # Styled: the site's stylesheet applied (the header has its dark background).
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page)
