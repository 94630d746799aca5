"""Who may do what through the API: every persona x every endpoint x every verb.

The world: Lee leads role R1 (candidate C1, application A1, interview I1 with
Alice, Bob and Dana on the panel); Olga leads R2 (C2, A2, I2 with Bob). Bob has
submitted both his scorecards, Dana's is a draft. Alice's scorecard is a complete
draft, or - for the persona "alice (submitted)" - submitted.

An object the caller may not see answers 404; one they may see but not change, 403.
"""

# ruff: noqa: E501  (the matrix reads best one row per line)
import json

import pytest

from hiring import services
from hiring.api.urls import router
from hiring.models import Scorecard, WebhookEndpoint
from tests import factories

PERSONAS = [
    "anonymous",
    "integration",
    "recruiter",
    "lead",  # Lee, hiring lead of R1
    "other lead",  # Olga, hiring lead of R2
    "alice (draft)",  # on I1's panel, her scorecard not submitted yet
    "alice (submitted)",  # on I1's panel, her scorecard submitted
    "charlie",  # an interviewer on no panel
]

ROLE = {"title": "ML Engineer", "profile": "ml-engineer", "hiring_lead": "lee@example.com"}
# R1 has scorecards, so its profile is fixed: a replacement keeps it.
ROLE_PUT = {**ROLE, "profile": "ai-engineer"}
CANDIDATE = {"name": "Nia Novak", "email": "nia@example.org"}
INTERVIEW = {"application": "{A1}", "name": "System design", "interviewers": ["alice@example.com"]}
INTERVIEW_PUT = {**INTERVIEW, "interviewers": ["alice@example.com", "bob@example.com"]}
DECISION = {"decision": "advance", "rationale": "Clear strengths in system design."}
DECISION_OVERRIDE = {**DECISION, "override_reason": "Dana is away; her notes agree."}
WEBHOOK = {"url": "https://ats.example.com/hooks", "events": ["scorecard.submitted"]}

# fmt: off
# Each row: method, path, body, then the expected status for each persona in the
# order of PERSONAS:  anon integ recr lead olga a-dr a-sub charlie
MATRIX = [
    ("GET",    "profiles/",                        None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "profiles/{P}/",                    None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("POST",   "profiles/",                        {},     401, 405, 405, 405, 405, 405, 405, 405),
    ("PUT",    "profiles/{P}/",                    {},     401, 405, 405, 405, 405, 405, 405, 405),

    ("GET",    "roles/",                           None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "roles/{R1}/",                      None,   401, 200, 200, 200, 404, 200, 200, 404),
    ("GET",    "roles/{R2}/",                      None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "roles/",                           ROLE,   401, 201, 201, 403, 403, 403, 403, 403),
    ("PUT",    "roles/{R1}/",                      ROLE_PUT, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PATCH",  "roles/{R1}/",          {"status": "closed"}, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PUT",    "roles/by-external-id/r-9/",        ROLE,   401, 201, 201, 403, 403, 403, 403, 403),
    ("DELETE", "roles/{R1}/",                      None,   401, 405, 405, 405, 405, 405, 405, 405),

    ("GET",    "roles/{R1}/comparison/",           None,   401, 200, 200, 200, 404, 404, 404, 404),
    ("GET",    "roles/{R2}/comparison/",           None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "roles/{R1}/comparison/",           {},     401, 405, 405, 405, 405, 405, 405, 405),
    ("GET",    "me/",                              None,   401, 200, 200, 200, 200, 200, 200, 200),

    ("GET",    "candidates/",                      None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "candidates/{C1}/",                 None,   401, 200, 200, 200, 404, 200, 200, 404),
    ("GET",    "candidates/{C2}/",                 None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "candidates/",                      CANDIDATE, 401, 201, 201, 403, 403, 403, 403, 403),
    ("PUT",    "candidates/{C1}/",                 CANDIDATE, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PATCH",  "candidates/{C1}/",     {"name": "Nia"}, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PUT",    "candidates/by-external-id/c-9/",   CANDIDATE, 401, 201, 201, 403, 403, 403, 403, 403),
    ("DELETE", "candidates/{C1}/",                 None,   401, 405, 405, 405, 405, 405, 405, 405),
    ("POST",   "candidates/{C1}/erase/",  {"reason": "asked"}, 401, 200, 200, 403, 404, 403, 403, 404),
    ("POST",   "candidates/{C2}/erase/",  {"reason": "asked"}, 401, 200, 200, 404, 403, 404, 404, 404),
    ("GET",    "candidates/{C1}/export/",          None,   401, 403, 200, 403, 403, 403, 403, 403),
    ("POST",   "candidates/{C1}/export/",          {},     401, 403, 405, 403, 403, 403, 403, 403),

    ("GET",    "audit-events/",                    None,   401, 403, 200, 403, 403, 403, 403, 403),
    ("POST",   "audit-events/",                    {},     401, 403, 405, 403, 403, 403, 403, 403),

    ("GET",    "applications/",                    None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "applications/{A1}/",               None,   401, 200, 200, 200, 404, 200, 200, 404),
    ("GET",    "applications/{A2}/",               None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "applications/",   {"role": "{R2}", "candidate": "{C1}"},
                                                           401, 201, 201, 403, 403, 403, 403, 403),
    ("PUT",    "applications/{A1}/", {"role": "{R1}", "candidate": "{C1}", "stage": "offer"},
                                                           401, 200, 200, 403, 404, 403, 403, 404),
    ("PATCH",  "applications/{A1}/",   {"stage": "offer"}, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PUT",    "applications/by-external-id/a-9/", {"role": "{R2}", "candidate": "{C1}"},
                                                           401, 201, 201, 403, 403, 403, 403, 403),
    ("DELETE", "applications/{A1}/",               None,   401, 405, 405, 405, 405, 405, 405, 405),

    # Decisions: the role's hiring lead and recruiters record them, the integration key
    # reads, interviewers never decide (and see none while their own scorecard is a draft).
    # On A1 Dana's scorecard is pending, so a decision there needs an override reason.
    ("GET",    "applications/{A1}/decisions/",     None,   401, 200, 200, 200, 404, 200, 200, 404),
    ("GET",    "applications/{A2}/decisions/",     None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "applications/{A1}/decisions/",     DECISION_OVERRIDE,
                                                           401, 403, 201, 201, 404, 403, 403, 404),
    ("POST",   "applications/{A1}/decisions/",     DECISION,
                                                           401, 403, 400, 400, 404, 403, 403, 404),
    ("POST",   "applications/{A2}/decisions/",     DECISION,
                                                           401, 403, 201, 404, 201, 404, 404, 404),
    ("PUT",    "applications/{A1}/decisions/",     DECISION,
                                                           401, 405, 405, 405, 405, 405, 405, 405),
    ("DELETE", "applications/{A1}/decisions/",     None,   401, 405, 405, 405, 405, 405, 405, 405),

    ("GET",    "interviews/",                      None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "interviews/{I1}/",                 None,   401, 200, 200, 200, 404, 200, 200, 404),
    ("GET",    "interviews/{I2}/",                 None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "interviews/",                      INTERVIEW, 401, 201, 201, 403, 403, 403, 403, 403),
    ("PUT",    "interviews/{I1}/",                 INTERVIEW_PUT, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PATCH",  "interviews/{I1}/",     {"name": "Loop"}, 401, 200, 200, 403, 404, 403, 403, 404),
    ("PUT",    "interviews/by-external-id/i-9/",   INTERVIEW, 401, 201, 201, 403, 403, 403, 403, 403),
    ("DELETE", "interviews/{I1}/",                 None,   401, 405, 405, 405, 405, 405, 405, 405),
    ("GET",    "interviews/{I1}/kit/",             None,   401, 200, 200, 200, 404, 200, 200, 404),
    ("GET",    "interviews/{I2}/kit/",             None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "interviews/{I1}/kit/",             {},     401, 405, 405, 405, 405, 405, 405, 405),

    ("GET",    "scorecards/",                      None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "scorecards/{S_alice}/",            None,   401, 404, 200, 404, 404, 200, 200, 404),
    ("GET",    "scorecards/{S_bob1}/",             None,   401, 200, 200, 200, 404, 404, 200, 404),
    ("GET",    "scorecards/{S_dana}/",             None,   401, 404, 200, 404, 404, 404, 404, 404),
    ("GET",    "scorecards/{S_bob2}/",             None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("PATCH",  "scorecards/{S_alice}/", {"summary": "Strong."},
                                                           401, 404, 403, 404, 404, 200, 400, 404),
    ("POST",   "scorecards/{S_alice}/submit/",     {},     401, 404, 403, 404, 404, 200, 400, 404),
    ("POST",   "scorecards/{S_alice}/revise/", {"reason": "Typo", "summary": "Fixed."},
                                                           401, 404, 403, 404, 404, 400, 200, 404),
    ("PATCH",  "scorecards/{S_bob1}/", {"summary": "Mine now."},
                                                           401, 403, 403, 403, 404, 404, 403, 404),
    ("POST",   "scorecards/{S_bob1}/revise/", {"reason": "Typo", "summary": "Mine now."},
                                                           401, 403, 403, 403, 404, 404, 403, 404),
    ("POST",   "scorecards/",                      {},     401, 405, 405, 405, 405, 405, 405, 405),
    ("PUT",    "scorecards/{S_alice}/",            {},     401, 405, 405, 405, 405, 405, 405, 405),
    ("DELETE", "scorecards/{S_alice}/",            None,   401, 405, 405, 405, 405, 405, 405, 405),

    ("GET",    "scorecards/greenhouse/",           None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "scorecards/{S_alice}/greenhouse/", None,   401, 404, 200, 404, 404, 200, 200, 404),
    ("GET",    "scorecards/{S_bob1}/greenhouse/",  None,   401, 200, 200, 200, 404, 404, 200, 404),
    ("GET",    "scorecards/{S_dana}/greenhouse/",  None,   401, 404, 200, 404, 404, 404, 404, 404),
    ("GET",    "scorecards/{S_bob2}/greenhouse/",  None,   401, 200, 200, 404, 200, 404, 404, 404),
    ("POST",   "scorecards/greenhouse/",           {},     401, 405, 405, 405, 405, 405, 405, 405),
    ("POST",   "scorecards/{S_bob1}/greenhouse/",  {},     401, 405, 405, 405, 405, 405, 405, 405),

    ("GET",    "webhooks/",                        None,   401, 200, 200, 200, 200, 200, 200, 200),
    ("GET",    "webhooks/{W}/",                    None,   401, 200, 200, 404, 404, 404, 404, 404),
    ("POST",   "webhooks/",                        WEBHOOK, 401, 201, 201, 403, 403, 403, 403, 403),
    ("PUT",    "webhooks/{W}/",                    WEBHOOK, 401, 200, 200, 404, 404, 404, 404, 404),
    ("PATCH",  "webhooks/{W}/",    {"is_active": False}, 401, 200, 200, 404, 404, 404, 404, 404),
    ("DELETE", "webhooks/{W}/",                    None,   401, 204, 204, 404, 404, 404, 404, 404),
]

# What each list shows each persona (None: the request is refused with 401).
#               anon  integ                 recr                        lead
VISIBLE = {
    "roles/":        (None, {"R1", "R2"}, {"R1", "R2"}, {"R1"}, {"R2"}, {"R1"}, {"R1"}, set()),
    "candidates/":   (None, {"C1", "C2"}, {"C1", "C2"}, {"C1"}, {"C2"}, {"C1"}, {"C1"}, set()),
    "applications/": (None, {"A1", "A2"}, {"A1", "A2"}, {"A1"}, {"A2"}, {"A1"}, {"A1"}, set()),
    "interviews/":   (None, {"I1", "I2"}, {"I1", "I2"}, {"I1"}, {"I2"}, {"I1"}, {"I1"}, set()),
    "scorecards/":   (
        None,
        {"S_bob1", "S_bob2"},                         # integration: submitted only
        {"S_alice", "S_bob1", "S_dana", "S_bob2"},    # recruiter: everything
        {"S_bob1"},                                   # lead: submitted, own role
        {"S_bob2"},                                   # other lead
        {"S_alice"},                                  # alice before submitting: her own
        {"S_alice", "S_bob1"},                        # after: + colleagues' submitted
        set(),                                        # charlie
    ),
    "webhooks/":     (None, {"W"}, {"W"}, set(), set(), set(), set(), set()),
}
VISIBLE["scorecards/greenhouse/"] = VISIBLE["scorecards/"]
# fmt: on


@pytest.fixture
def world(recruiter, lead, other_lead, alice, bob, charlie, ai_profile, ml_profile):
    dana = factories.UserFactory(email="dana@example.com")
    r1 = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
    r2 = factories.RoleFactory(profile=ml_profile, hiring_lead=other_lead)
    a1 = factories.ApplicationFactory(role=r1)
    a2 = factories.ApplicationFactory(role=r2)
    i1 = factories.make_interview(
        application=a1, focus=["system-architecture"], interviewers=[alice, bob, dana]
    )
    i2 = factories.make_interview(application=a2, focus=["modelling"], interviewers=[bob])
    endpoint = services.endpoint_save(
        endpoint=WebhookEndpoint(url="https://ats.example.com/w", events=["scorecard.revised"])
    )
    cards = {card.interviewer: card for card in Scorecard.objects.filter(interview=i1)}
    factories.submit(cards[bob])
    factories.submit(i2.scorecards.get())
    services.scorecard_save_draft(
        scorecard=cards[alice],
        by=alice,
        ratings=factories.complete_ratings(cards[alice]),
        overall_recommendation="yes",
    )
    return {
        "P": ai_profile.pk,
        "R1": r1.pk,
        "R2": r2.pk,
        "C1": a1.candidate_id,
        "C2": a2.candidate_id,
        "A1": a1.pk,
        "A2": a2.pk,
        "I1": i1.pk,
        "I2": i2.pk,
        "S_alice": cards[alice].pk,
        "S_bob1": cards[bob].pk,
        "S_dana": cards[dana].pk,
        "S_bob2": i2.scorecards.get().pk,
        "W": endpoint.pk,
        "people": {
            "recruiter": recruiter,
            "lead": lead,
            "other lead": other_lead,
            "alice": alice,
            "charlie": charlie,
        },
    }


@pytest.fixture
def as_persona(api_client, world):
    def client_for(persona):
        if persona == "anonymous":
            return api_client()
        if persona == "integration":
            return api_client("integration")
        if persona.startswith("alice"):
            if persona == "alice (submitted)":
                services.scorecard_submit(
                    scorecard=Scorecard.objects.get(pk=world["S_alice"]),
                    by=world["people"]["alice"],
                )
            return api_client(world["people"]["alice"])
        return api_client(world["people"][persona])

    return client_for


def fill(template, world):
    """Put the world's ids into a path or body template."""
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template[1:-1] in world:
            return world[template[1:-1]]  # a whole value: the id itself, as a number
        return template.format(**{k: v for k, v in world.items() if k != "people"})
    if isinstance(template, dict):
        return {key: fill(value, world) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(item, world) for item in template]
    return template


CASES = [
    pytest.param(method, path, body, persona, expected, id=f"{method} {path} as {persona}")
    for method, path, body, *statuses in MATRIX
    for persona, expected in zip(PERSONAS, statuses, strict=True)
]


@pytest.mark.parametrize(("method", "path", "body", "persona", "expected"), CASES)
def test_the_permission_matrix(world, as_persona, method, path, body, persona, expected):
    client = as_persona(persona)
    url = "/api/v1/" + fill(path, world)
    data = json.dumps(fill(body, world)) if body is not None else ""
    response = client.generic(method, url, data, content_type="application/json")
    assert response.status_code == expected, response.content
    body = response.json() if response.content else {}  # 204: no content
    assert set(body) >= ({"code", "message", "fields"} if expected >= 400 else set())


LIST_CASES = [
    pytest.param(path, persona, expected, id=f"GET {path} as {persona}")
    for path, visible in VISIBLE.items()
    for persona, expected in zip(PERSONAS, visible, strict=True)
]
LISTED = {
    "roles/": ["R1", "R2"],
    "candidates/": ["C1", "C2"],
    "applications/": ["A1", "A2"],
    "interviews/": ["I1", "I2"],
    "scorecards/": ["S_alice", "S_bob1", "S_dana", "S_bob2"],
    "scorecards/greenhouse/": ["S_alice", "S_bob1", "S_dana", "S_bob2"],
    "webhooks/": ["W"],
}


@pytest.mark.parametrize(("path", "persona", "expected"), LIST_CASES)
def test_lists_show_exactly_what_the_persona_may_see(world, as_persona, path, persona, expected):
    response = as_persona(persona).get(f"/api/v1/{path}?page_size=500")
    if expected is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    name_of = {world[name]: name for name in LISTED[path]}
    shown = {name_of.get(row["id"], f"unknown #{row['id']}") for row in response.json()["results"]}
    assert shown == expected


def test_every_api_route_is_in_the_matrix():
    """A new endpoint or verb must be added to the matrix above."""

    covered = {(method, path.split("/")[0]) for method, path, *_ in MATRIX}
    for prefix, viewset, _ in router.registry:
        for route in router.get_routes(viewset):
            for method in router.get_method_map(viewset, route.mapping):
                assert (method.upper(), prefix) in covered, f"{method.upper()} {prefix}"


# ---------------------------------------------------------------------------
# Independent scoring: the same world, with Lee (R1's hiring lead) and Rita (a
# recruiter) on I1's panel too, each with a draft, as Dana has. Bob's submitted S_bob1
# is then hidden from all three: whoever has an unsubmitted scorecard for A1 reads no
# other scorecard of it, lead and recruiter included. The panel itself stays visible.
# ---------------------------------------------------------------------------

DRAFT_PERSONAS = ["integration", "lead (draft)", "recruiter (draft)", "dana (draft)"]

# fmt: off
# method, path, then the status for each of DRAFT_PERSONAS:  integ lead recr dana
INDEPENDENCE_MATRIX = [
    ("GET", "scorecards/{S_bob1}/",             200, 404, 404, 404),
    ("GET", "scorecards/{S_bob1}/greenhouse/",  200, 404, 404, 404),
    ("GET", "scorecards/{S_alice}/",            404, 404, 404, 404),
    ("GET", "scorecards/{S_bob2}/",             200, 404, 200, 404),  # A2: nothing hidden there
    ("GET", "scorecards/{S_bob2}/greenhouse/",  200, 404, 200, 404),
    ("GET", "roles/{R1}/comparison/",           200, 200, 200, 404),  # A1's row redacted
    ("GET", "applications/{A1}/",               200, 200, 200, 200),
    ("GET", "interviews/{I1}/",                 200, 200, 200, 200),  # the panel
]
INDEPENDENT_LISTS = {  # what scorecards/ and scorecards/greenhouse/ list
    "integration": {"S_bob1", "S_bob2"},
    "lead (draft)": {"S_lee"},
    "recruiter (draft)": {"S_rita", "S_bob2"},
    "dana (draft)": {"S_dana"},
}
# fmt: on


@pytest.fixture
def drafts_world(world):
    people = world["people"]
    interview = Scorecard.objects.get(pk=world["S_bob1"]).interview
    panel = [card.interviewer for card in interview.scorecards.select_related("interviewer")]
    services.interview_set_interviewers(
        interview=interview, interviewers=[*panel, people["lead"], people["recruiter"]]
    )
    cards = {
        card.interviewer.email: card.pk
        for card in interview.scorecards.select_related("interviewer")
    }
    return {**world, "S_lee": cards["lee@example.com"], "S_rita": cards["rita@example.com"]}


def _draft_client(api_client, world, persona):
    if persona == "integration":
        return api_client("integration")
    if persona == "dana (draft)":
        return api_client(Scorecard.objects.get(pk=world["S_dana"]).interviewer)
    return api_client(world["people"][persona.removesuffix(" (draft)")])


INDEPENDENCE_CASES = [
    pytest.param(path, persona, expected, id=f"GET {path} as {persona}")
    for _, path, *statuses in INDEPENDENCE_MATRIX
    for persona, expected in zip(DRAFT_PERSONAS, statuses, strict=True)
]


@pytest.mark.parametrize(("path", "persona", "expected"), INDEPENDENCE_CASES)
def test_the_permission_matrix_with_drafts(api_client, drafts_world, path, persona, expected):
    response = _draft_client(api_client, drafts_world, persona).get(
        "/api/v1/" + fill(path, drafts_world)
    )
    assert response.status_code == expected, response.content
    if path.endswith("comparison/") and expected == 200:
        [row] = [r for r in response.json()["candidates"] if r["application"] == drafts_world["A1"]]
        assert row["hidden"] is (persona != "integration")


@pytest.mark.parametrize("path", ["scorecards/", "scorecards/greenhouse/"])
@pytest.mark.parametrize("persona", DRAFT_PERSONAS)
def test_lists_with_drafts_show_no_colleague_of_the_application(
    api_client, drafts_world, persona, path
):
    response = _draft_client(api_client, drafts_world, persona).get(f"/api/v1/{path}?page_size=500")
    names = ["S_alice", "S_bob1", "S_dana", "S_bob2", "S_lee", "S_rita"]
    name_of = {drafts_world[name]: name for name in names}
    assert {name_of[row["id"]] for row in response.json()["results"]} == INDEPENDENT_LISTS[persona]
