"""GET|PUT /api/v1/roles/{id}/brief/ (JSON or Markdown), regenerate, and interviews
created from the brief's plan with plan_stage."""

import pytest

from hiring import services
from hiring.models import Interview, RoleBrief

pytestmark = pytest.mark.usefixtures("builtin_data")


def url(role) -> str:
    return f"/api/v1/roles/{role.pk}/brief/"


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def editable(body: dict) -> dict:
    keys = ("summary", "responsibilities", "requirements", "deliverable_90_days")
    return {key: body[key] for key in (*keys, "interview_plan", "recruitment_cost")}


# ---------------------------------------------------------------------------
# Who may read and write (the permission matrix's rows)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("recruiter", 200, 200),
        ("lead", 200, 200),
        ("integration", 200, 403),
        ("other_lead", 404, 404),
        ("alice", 404, 404),  # on the role's panel, but the brief is not hers
        (None, 401, 401),
    ],
)
def test_who_reads_and_writes_a_brief(request, api_client, interview, who, read, write):
    role = interview.application.role
    person = who if who in (None, "integration") else request.getfixturevalue(who)
    client = api_client(person)

    got = client.get(url(role))
    assert got.status_code == read
    body = services.brief_get_or_generate(role=role)
    payload = {
        "summary": "Edited.",
        "responsibilities": body.responsibilities,
        "requirements": body.requirements,
        "deliverable_90_days": body.deliverable_90_days,
        "interview_plan": body.interview_plan,
    }
    put = client.put(url(role), payload, format="json")
    assert put.status_code == write, put.content
    if write == 200:
        assert put.json()["summary"] == "Edited."
        assert put.json()["edited_fields"] == ["summary"]


def test_reading_a_brief_generates_it_once_and_shows_band_cost_and_etag(ats, role, settings):
    settings.RECRUITMENT_COST_PER_HIRE = 25_000
    response = ats.get(url(role))

    assert response.status_code == 200
    body = response.json()
    assert body["role"] == role.pk
    assert body["salary_band"]["minimum"] == 185_000  # senior AI engineer
    assert body["cost"]["first_year_minimum"] == 210_000
    assert body["cost"]["recruitment_cost_source"] == "setting"
    assert body["edited_fields"] == []
    assert body["stale"] is False
    assert [s["key"] for s in body["interview_plan"]][0] == "screen"
    assert response["ETag"] == f'"brief-{role.pk}-1"'
    assert ats.get(url(role)).json() == body
    assert RoleBrief.objects.count() == 1


def test_reading_a_stored_brief_costs_five_queries(ats, role, django_assert_num_queries):
    ats.get(url(role))
    # the API key, the role, the brief, the band, the competencies (for "stale")
    with django_assert_num_queries(5):
        assert ats.get(url(role)).status_code == 200


def test_markdown_is_ready_for_a_job_board(ats, role):
    response = ats.get(url(role) + "?format=md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# AI Engineer\n")
    assert "## What you will do\n\n- Lead the end-to-end design" in text
    assert "## Salary\n\nUSD 185,000 – 230,000+ base salary per year." in text
    assert "1. Technical screen (45 minutes): Software engineering, Integration & RAG" in text
    assert "recruitment" not in text.lower()  # the cost stays internal


def test_markdown_errors_stay_json(api_client, other_lead, role):
    response = api_client(other_lead).get(url(role) + "?format=md")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_stale_if_match_is_refused_with_412(api_client, lead, role):
    client = api_client(lead)
    first = client.get(url(role))
    payload = {**editable(first.json()), "summary": "One."}
    assert (
        client.put(url(role), payload, format="json", HTTP_IF_MATCH=first["ETag"]).status_code
        == 200
    )

    stale = client.put(
        url(role), {**payload, "summary": "Two."}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert stale.status_code == 412
    assert RoleBrief.objects.get().summary == "One."


def test_a_plan_that_leaves_a_competency_out_is_a_400_naming_interview_plan(api_client, lead, role):
    client = api_client(lead)
    body = client.get(url(role)).json()
    plan = [s for s in body["interview_plan"] if s["key"] != "production"]

    response = client.put(url(role), {**editable(body), "interview_plan": plan}, format="json")

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert list(fields) == ["interview_plan"]
    assert any("cloud-deployment" in message for message in fields["interview_plan"])


def test_unknown_and_read_only_fields_are_refused(api_client, lead, role):
    client = api_client(lead)
    body = client.get(url(role)).json()
    response = client.put(url(role), {**editable(body), "cost": 1, "tone": "warm"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"cost", "tone"}


def test_regenerate_previews_then_keeps_edits_until_accepted(api_client, lead, role):
    client = api_client(lead)
    body = client.get(url(role)).json()
    client.put(url(role), {**editable(body), "summary": "Ours."}, format="json")
    role.level = "junior"
    services.role_save(role=role)
    assert client.get(url(role)).json()["stale"] is True

    preview = client.post(url(role) + "regenerate/", {"preview": True}, format="json")
    assert preview.status_code == 200
    statuses = {c["field"]: c["status"] for c in preview.json()["changes"]}
    assert statuses["summary"] == "offered"
    assert statuses["requirements"] == "updated"
    assert client.get(url(role)).json()["requirements"] == body["requirements"]

    applied = client.post(url(role) + "regenerate/", {}, format="json").json()
    assert applied["brief"]["summary"] == "Ours."
    assert applied["brief"]["requirements"][0].startswith("Working knowledge of")
    assert applied["brief"]["stale"] is False

    accepted = client.post(url(role) + "regenerate/", {"accept": ["summary"]}, format="json")
    assert accepted.json()["brief"]["summary"].startswith("The AI Engineer")
    assert accepted.json()["brief"]["edited_fields"] == []


def test_regenerate_refuses_an_unknown_field_and_the_integration_key(api_client, ats, lead, role):
    response = api_client(lead).post(url(role) + "regenerate/", {"accept": ["tone"]}, format="json")
    assert response.status_code == 400
    assert "accept.0" in response.json()["fields"] or "accept" in response.json()["fields"]
    assert ats.post(url(role) + "regenerate/", {}, format="json").status_code == 403


def test_the_brief_is_in_the_schema(api_client, lead):
    paths = api_client(lead).get("/api/schema/?format=json").json()["paths"]
    brief = paths["/api/v1/roles/{id}/brief/"]
    assert {"get", "put"} <= set(brief)
    assert {"200", "403", "404", "412"} <= set(brief["put"]["responses"])
    assert "text/markdown" in brief["get"]["responses"]["200"]["content"]
    assert "post" in paths["/api/v1/roles/{id}/brief/regenerate/"]


# ---------------------------------------------------------------------------
# plan_stage on an interview
# ---------------------------------------------------------------------------


def test_plan_stage_fills_name_duration_and_focus_from_the_plan(ats, application):
    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "plan_stage": "build-exercise"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Build exercise: a retrieval-augmented feature"
    assert body["duration_minutes"] == 90
    assert body["focus_competencies"] == [
        "system-architecture",
        "integration-rag",
        "software-engineering",
    ] or set(body["focus_competencies"]) == {
        "integration-rag",
        "system-architecture",
        "software-engineering",
    }
    assert "plan_stage" not in body


def test_fields_given_win_over_the_plan(ats, application):
    response = ats.post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "plan_stage": "screen",
            "name": "Phone screen",
            "duration_minutes": 30,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["duration_minutes"]) == ("Phone screen", 30)
    assert set(body["focus_competencies"]) == {"software-engineering", "integration-rag"}


def test_an_unknown_plan_stage_is_a_400_naming_it(ats, application):
    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "plan_stage": "coffee-chat"},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert list(fields) == ["plan_stage"]
    assert "screen, system-design" in fields["plan_stage"][0]
    assert not Interview.objects.exists()


def test_without_plan_stage_a_name_is_still_required(ats, application):
    response = ats.post("/api/v1/interviews/", {"application": application.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["name"]


def test_the_plan_follows_the_edited_brief(api_client, ats, lead, application):
    role = application.role
    client = api_client(lead)
    body = client.get(url(role)).json()
    plan = body["interview_plan"]
    plan[0] = {**plan[0], "name": "Pairing screen", "duration_minutes": 50}
    assert (
        client.put(url(role), {**editable(body), "interview_plan": plan}, format="json").status_code
        == 200
    )

    created = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "plan_stage": "screen"},
        format="json",
    ).json()
    assert (created["name"], created["duration_minutes"]) == ("Pairing screen", 50)
