"""Independent scoring, without exceptions (issue 11, part 1).

The world: Lee leads the role. Frances Allen's panel is Alice and Bob, who have
submitted (their notes and summaries carry a marker that must never leak), and
Lee (the hiring lead), Rita (a recruiter) and Dana (an interviewer), each with a
draft. Grace Hopper's panel is Alice and Bob only, both submitted: nobody's draft
hides her row, but her scores feed the role's statistics.

Every entry point that shows scorecard content is asked, as each of the three
with a draft, in both feedback_visibility modes: nothing of Alice's or Bob's
Frances Allen scorecards, nor anything computed from them, appears; the panel
and who has submitted do. The integration key sees everything it saw before.
"""

import copy
import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hiring import access, comparison, services
from hiring.models import FeedbackVisibility, Role, Scorecard, WebhookEvent
from tests import factories

SECRET = "SECRET-EVIDENCE"
MODES = [FeedbackVisibility.AFTER_OWN_SUBMIT, FeedbackVisibility.AFTER_PANEL_COMPLETE]
VIEWERS = ["lead", "recruiter", "dana"]


def _submit_with_secret(card, recommendation):
    ratings = factories.complete_ratings(card, score=4, note=f"{SECRET} by {card.interviewer}")
    services.scorecard_save_draft(
        scorecard=card,
        by=card.interviewer,
        ratings=ratings,
        overall_recommendation=recommendation,
        summary=f"{SECRET} summary",
    )
    return services.scorecard_submit(scorecard=card, by=card.interviewer)


@pytest.fixture(params=MODES)
def mode(request):
    return request.param


@pytest.fixture
def world(role, lead, recruiter, alice, bob, mode):
    Role.objects.filter(pk=role.pk).update(feedback_visibility=mode)
    dana = factories.UserFactory(email="dana@example.com", full_name="Dana Diaz")
    frances = factories.ApplicationFactory(role=role, candidate__name="Frances Allen")
    grace = factories.ApplicationFactory(role=role, candidate__name="Grace Hopper")
    focus = ["system-architecture"]
    panel = [alice, bob, lead, recruiter, dana]
    loop = factories.make_interview(application=frances, focus=focus, interviewers=panel)
    other = factories.make_interview(application=grace, focus=focus, interviewers=[alice, bob])
    cards = {card.interviewer.email: card for card in loop.scorecards.select_related("interviewer")}
    _submit_with_secret(cards["alice@example.com"], "strong_yes")
    _submit_with_secret(cards["bob@example.com"], "no")
    for card in other.scorecards.all():
        factories.submit(card, score=2, recommendation="no")
    return {
        "role": role,
        "frances": frances,
        "grace": grace,
        "cards": cards,
        "people": {"lead": lead, "recruiter": recruiter, "dana": dana},
    }


def _viewer(world, name):
    return world["people"][name]


def _api(api_client, world, name):
    return api_client(_viewer(world, name))


def _colleague_ids(world):
    return {world["cards"]["alice@example.com"].pk, world["cards"]["bob@example.com"].pk}


# ---------------------------------------------------------------------------
# The rule, in hiring.access
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", VIEWERS)
def test_a_draft_hides_the_application_from_whoever_holds_it(world, name):
    viewer = _viewer(world, name)
    assert set(access.applications_hidden_from(viewer)) == {world["frances"]}
    visible = set(access.scorecards_for(viewer).values_list("pk", flat=True))
    assert visible.isdisjoint(_colleague_ids(world))
    assert world["cards"][viewer.email].pk in visible  # their own draft stays theirs


def test_the_integration_key_is_on_no_panel(world):
    integration = access.Integration()
    assert not access.applications_hidden_from(integration).exists()
    assert _colleague_ids(world) <= set(
        access.scorecards_for(integration).values_list("pk", flat=True)
    )
    assert not access.comparison_redaction(integration, world["role"].pk)


@pytest.mark.parametrize("name", VIEWERS)
def test_once_submitted_the_content_appears_at_the_moment_the_mode_says(world, name, mode):
    viewer = _viewer(world, name)
    factories.submit(world["cards"][viewer.email])
    visible = set(access.scorecards_for(viewer).values_list("pk", flat=True))
    if mode == FeedbackVisibility.AFTER_OWN_SUBMIT:
        assert _colleague_ids(world) <= visible
        assert not access.applications_hidden_from(viewer).exists()
        return
    # after_panel_complete: the two other drafts still hold the panel back.
    assert visible.isdisjoint(_colleague_ids(world))
    assert set(access.applications_hidden_from(viewer)) == {world["frances"]}
    for card in Scorecard.objects.filter(interview__application=world["frances"], status="draft"):
        factories.submit(card)
    assert _colleague_ids(world) <= set(access.scorecards_for(viewer).values_list("pk", flat=True))
    assert not access.applications_hidden_from(viewer).exists()


def test_after_panel_complete_waits_for_the_interview_not_for_other_interviews(
    role, alice, bob, charlie
):
    """A scorecard opens once its own interview's panel has submitted; the application
    (what blends every interview) once every interview's has."""
    Role.objects.filter(pk=role.pk).update(
        feedback_visibility=FeedbackVisibility.AFTER_PANEL_COMPLETE
    )
    application = factories.ApplicationFactory(role=role)
    first = factories.make_interview(application=application, interviewers=[alice, bob])
    second = factories.make_interview(application=application, interviewers=[alice, charlie])
    for card in first.scorecards.all():
        factories.submit(card)
    factories.submit(second.scorecards.get(interviewer=alice))
    bobs = first.scorecards.get(interviewer=bob)
    assert access.scorecards_for(alice).filter(pk=bobs.pk).exists()  # first panel complete
    assert set(access.applications_hidden_from(alice)) == {application}  # charlie pending
    # Charlie, still scoring, sees nothing of anyone's; Bob, off the second panel but on
    # the application's, waits for it too before reading Alice's second scorecard.
    assert not access.scorecards_for(charlie).exclude(interviewer=charlie).exists()
    alices_second = second.scorecards.get(interviewer=alice)
    assert not access.scorecards_for(bob).filter(pk=alices_second.pk).exists()
    factories.submit(second.scorecards.get(interviewer=charlie))
    assert access.scorecards_for(bob).filter(pk=alices_second.pk).exists()
    assert not access.applications_hidden_from(alice).exists()


def test_a_lead_not_on_the_panel_is_not_held_back_by_after_panel_complete(world):
    interview = world["cards"]["alice@example.com"].interview
    submitted = interview.scorecards.filter(status="submitted").select_related("interviewer")
    services.interview_set_interviewers(
        interview=interview, interviewers=[card.interviewer for card in submitted]
    )  # the three drafts leave the panel
    lead = _viewer(world, "lead")
    assert not access.applications_hidden_from(lead).exists()
    assert _colleague_ids(world) <= set(access.scorecards_for(lead).values_list("pk", flat=True))


# ---------------------------------------------------------------------------
# The API: scorecards, Greenhouse export
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["scorecards/", "scorecards/greenhouse/"])
@pytest.mark.parametrize("name", VIEWERS)
def test_scorecard_lists_leave_out_colleagues_content(api_client, world, name, path):
    response = _api(api_client, world, name).get(f"/api/v1/{path}?page_size=500")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids.isdisjoint(_colleague_ids(world))
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("suffix", ["", "greenhouse/"])
@pytest.mark.parametrize("name", VIEWERS)
def test_a_colleagues_scorecard_is_not_found(api_client, world, name, suffix):
    client = _api(api_client, world, name)
    for pk in _colleague_ids(world):
        response = client.get(f"/api/v1/scorecards/{pk}/{suffix}")
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("suffix", ["", "greenhouse/"])
def test_the_integration_key_still_reads_every_submitted_scorecard(api_client, world, suffix):
    client = api_client("integration")
    for pk in _colleague_ids(world):
        response = client.get(f"/api/v1/scorecards/{pk}/{suffix}")
        assert response.status_code == 200
        assert SECRET in response.content.decode()


@pytest.mark.parametrize("name", VIEWERS)
def test_after_submitting_the_api_shows_colleagues_scorecards(api_client, world, name, mode):
    viewer = _viewer(world, name)
    factories.submit(world["cards"][viewer.email])
    if mode == FeedbackVisibility.AFTER_PANEL_COMPLETE:
        for card in Scorecard.objects.filter(status="draft"):
            factories.submit(card)
    client = api_client(viewer)
    for pk in _colleague_ids(world):
        response = client.get(f"/api/v1/scorecards/{pk}/")
        assert response.status_code == 200
        assert SECRET in response.content.decode()


# ---------------------------------------------------------------------------
# The comparison: JSON and CSV, redacted after the cache
# ---------------------------------------------------------------------------


def _comparison(client, world, fmt="json"):
    return client.get(f"/api/v1/roles/{world['role'].pk}/comparison/", {"format": fmt})


def _rows_by_name(body):
    return {row["candidate"]["name"]: row for row in body["candidates"]}


@pytest.mark.parametrize("name", ["lead", "recruiter"])
def test_the_comparison_hides_the_row_and_the_statistics(api_client, world, name):
    response = _comparison(_api(api_client, world, name), world)
    assert response.status_code == 200
    body = response.json()
    frances, grace = _rows_by_name(body)["Frances Allen"], _rows_by_name(body)["Grace Hopper"]
    assert frances["hidden"] is True
    assert frances["scorecards"] == {"submitted": 2, "pending": 3}  # who submitted: no secret
    for field in ("score", "calibrated_score", "rank", "calibrated_rank", "coverage"):
        assert frances[field] is None, field
    assert frances["recommendations"] is None
    assert frances["competencies"] == [] and frances["unassessed_skills"] == []
    # Grace is visible and ranked among the visible rows alone.
    assert grace["hidden"] is False and grace["score"] == 2.0 and grace["rank"] == 1
    assert grace["calibrated_score"] is None and grace["calibrated_rank"] is None
    assert body["statistics_hidden"] is True
    assert body["agreement"]["alpha"] is None and body["agreement"]["interpretation"] == "hidden"
    assert {person["offset"] for person in body["interviewers"]} == {None}
    assert {person["email"] for person in body["interviewers"]} >= {"alice@example.com"}
    assert body["candidates"][-1]["candidate"]["name"] == "Frances Allen"  # hidden rows last


def test_dana_may_not_compare_at_all(api_client, world):
    assert _comparison(_api(api_client, world, "dana"), world).status_code == 404


@pytest.mark.parametrize("name", ["lead", "recruiter"])
def test_the_comparison_csv_row_is_empty_but_for_the_candidate(api_client, world, name):
    response = _comparison(_api(api_client, world, name), world, "csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    frances = next(row for row in rows if row["candidate"] == "Frances Allen")
    assert frances["hidden"] == "true"
    assert frances["scorecards_submitted"] == "2" and frances["scorecards_pending"] == "3"
    content = {k: v for k, v in frances.items() if k not in ("candidate", "candidate_id")}
    assert {v for k, v in content.items() if k not in NON_CONTENT} == {""}
    grace = next(row for row in rows if row["candidate"] == "Grace Hopper")
    assert grace["hidden"] == "false" and grace["score"] == "2.0" and grace["rank"] == "1"


# Pending scorecards are no secret, so neither is the incompleteness they make.
NON_CONTENT = {
    "application",
    "stage",
    "scorecards_submitted",
    "scorecards_pending",
    "complete",
    "incomplete_reasons",
    "hidden",
}


def test_the_integration_key_gets_the_whole_comparison(api_client, world):
    body = _comparison(api_client("integration"), world).json()
    frances = _rows_by_name(body)["Frances Allen"]
    assert frances["hidden"] is False and frances["score"] == 4.0 and frances["rank"] == 1
    assert frances["recommendations"]["strong_yes"] == 1
    assert body["statistics_hidden"] is False


def test_one_cached_computation_serves_the_full_and_the_redacted_views(api_client, world):
    """The integration key's request fills the cache; the lead's redacted view and
    ETag come from it and differ from the full ones."""
    full = _comparison(api_client("integration"), world)
    lead_client = _api(api_client, world, "lead")
    redacted = _comparison(lead_client, world)
    assert redacted["ETag"] != full["ETag"]
    assert SECRET not in redacted.content.decode()
    again = lead_client.get(
        f"/api/v1/roles/{world['role'].pk}/comparison/", HTTP_IF_NONE_MATCH=redacted["ETag"]
    )
    assert again.status_code == 304


def test_after_submitting_the_comparison_opens(api_client, world, mode):
    lead = _viewer(world, "lead")
    factories.submit(world["cards"][lead.email])
    if mode == FeedbackVisibility.AFTER_PANEL_COMPLETE:
        assert _rows_by_name(_comparison(api_client(lead), world).json())["Frances Allen"]["hidden"]
        for card in Scorecard.objects.filter(status="draft"):
            factories.submit(card)
    # Rita and Dana still have drafts in after_own_submit; the lead has none anywhere.
    body = _comparison(api_client(lead), world).json()
    assert _rows_by_name(body)["Frances Allen"]["hidden"] is False
    assert body["statistics_hidden"] is False
    assert body["agreement"]["interpretation"] != "hidden"


@pytest.mark.parametrize(("name", "queries"), [("integration", 1), ("lead", 2), ("recruiter", 2)])
def test_the_redacted_comparison_costs_one_query_more_than_the_etag(
    world, name, queries, django_assert_num_queries
):
    client = APIClient()
    client.force_authenticate(
        access.Integration() if name == "integration" else _viewer(world, name)
    )
    _comparison(client, world)  # fills the cache
    # the ETag query; + what this viewer may not see; + the read's audit event
    with django_assert_num_queries(queries + 1):
        response = _comparison(client, world)
    assert response.status_code == 200
    with django_assert_num_queries(queries):  # a 304 records no read
        etag = response["ETag"]
        assert client.get(_url(world), HTTP_IF_NONE_MATCH=etag).status_code == 304


def _url(world):
    return f"/api/v1/roles/{world['role'].pk}/comparison/"


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", VIEWERS)
def test_the_candidate_page_shows_the_panel_and_none_of_its_content(client, world, name):
    client.force_login(_viewer(world, name))
    response = client.get(reverse("hiring:candidate", args=[world["frances"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET not in page
    assert "Strong yes" not in page
    assert "Score independently first." in page
    panel = page[page.index('id="panel-heading"') :]
    for person in ("Alice Adams", "Bob Brown", "Lee Lead", "Rita Recruiter", "Dana Diaz"):
        assert person in panel
    assert panel.count("status-submitted") == 2


@pytest.mark.parametrize("name", VIEWERS)
def test_after_submitting_the_candidate_page_shows_colleagues(client, world, name, mode):
    viewer = _viewer(world, name)
    factories.submit(world["cards"][viewer.email])
    client.force_login(viewer)
    url = reverse("hiring:candidate", args=[world["frances"].pk])
    if mode == FeedbackVisibility.AFTER_PANEL_COMPLETE:
        page = client.get(url).content.decode()
        assert SECRET not in page and "Waiting for the panel." in page
        for card in Scorecard.objects.filter(status="draft"):
            factories.submit(card)
    assert SECRET in client.get(url).content.decode()


def test_the_candidate_page_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    client.force_login(_viewer(world, "lead"))
    url = reverse("hiring:candidate", args=[world["frances"].pk])
    # session, user, application, visible scorecards + their ratings, hidden?, panel,
    # and the navigation's one question about the person.
    # + colleagues' pending drafts (main's reminders), + the visible cards' corrections,
    # + whether the lead may decide (hidden? again, through may_decide: they may not, so
    # no formula view) and the decisions they may read (none)
    with django_assert_num_queries(12):
        client.get(url)


@pytest.mark.parametrize("name", ["lead", "recruiter"])
def test_the_compare_page_hides_the_row_and_the_statistics(client, world, name):
    client.force_login(_viewer(world, name))
    response = client.get(reverse("hiring:compare", args=[world["role"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Score independently first." in page
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["Frances Allen"]["hidden"] and rows["Frances Allen"]["score"] is None
    assert rows["Frances Allen"]["tallies"] == []
    assert rows["Grace Hopper"]["score"] == 2.0
    assert "Strong yes" not in page  # Alice's recommendation for Frances
    assert "α =" not in page
    assert f'value="{world["frances"].pk}"' not in page  # not offered for the chart


def test_dana_may_not_open_the_compare_page(client, world):
    client.force_login(_viewer(world, "dana"))
    assert client.get(reverse("hiring:compare", args=[world["role"].pk])).status_code == 404


@pytest.mark.parametrize("name", VIEWERS)
def test_a_colleagues_scorecard_page_is_not_found(client, world, name):
    client.force_login(_viewer(world, name))
    for pk in _colleague_ids(world):
        assert client.get(reverse("hiring:scorecard", args=[pk])).status_code == 404


# ---------------------------------------------------------------------------
# The admin: staff with a draft
# ---------------------------------------------------------------------------


def test_the_admin_hides_colleagues_scorecards_and_their_events_from_a_recruiter_with_a_draft(
    client, world
):
    recruiter = _viewer(world, "recruiter")
    client.force_login(recruiter)
    listing = client.get(reverse("admin:hiring_scorecard_changelist") + "?all=")
    shown = {card.pk for card in listing.context["cl"].result_list}
    assert shown.isdisjoint(_colleague_ids(world))
    assert world["cards"][recruiter.email].pk in shown
    for pk in _colleague_ids(world):
        page = client.get(reverse("admin:hiring_scorecard_change", args=[pk]))
        assert page.status_code == 302  # the admin's "does not exist" redirect
    hidden_events = WebhookEvent.objects.filter(
        type="scorecard.submitted", payload__application=world["frances"].pk
    )
    events = client.get(reverse("admin:hiring_webhookevent_changelist"))
    listed = {event.pk for event in events.context["cl"].result_list}
    assert listed and listed.isdisjoint(set(hidden_events.values_list("pk", flat=True)))


# ---------------------------------------------------------------------------
# The role's setting
# ---------------------------------------------------------------------------


def test_feedback_visibility_is_read_and_written_through_the_roles_api(api_client, role):
    client = api_client("integration")
    url = f"/api/v1/roles/{role.pk}/"
    assert client.get(url).json()["feedback_visibility"] == "after_own_submit"
    response = client.patch(url, {"feedback_visibility": "after_panel_complete"}, format="json")
    assert response.status_code == 200
    assert response.json()["feedback_visibility"] == "after_panel_complete"
    bad = client.patch(url, {"feedback_visibility": "never"}, format="json")
    assert bad.status_code == 400
    assert "feedback_visibility" in bad.json()["fields"]


def test_redaction_is_a_pure_step_on_the_computed_comparison(world):
    """The cached computation is shared by every viewer: redacting never changes it."""
    computed = comparison.role_comparison(world["role"])
    before = copy.deepcopy(computed)
    redaction = access.comparison_redaction(_viewer(world, "lead"), world["role"].pk)
    assert redaction.applications == {world["frances"].pk} and redaction.statistics
    redacted = comparison.comparison_redacted(computed, redaction)
    assert computed == before
    assert redacted != computed
    assert comparison.comparison_redacted(computed, access.ComparisonRedaction()) is computed


def test_the_admin_hides_the_corrections_of_colleagues_scorecards_too(client, world):
    bobs = world["cards"]["bob@example.com"]
    bobs.refresh_from_db()
    services.scorecard_revise(scorecard=bobs, by=bobs.interviewer, reason="Typo", summary="Fixed.")
    recruiter = _viewer(world, "recruiter")
    client.force_login(recruiter)
    changelist = reverse("admin:hiring_scorecardrevision_changelist")
    assert not client.get(changelist).context["cl"].result_list
    factories.submit(world["cards"][recruiter.email])
    for card in Scorecard.objects.filter(status="draft"):
        factories.submit(card)
    assert len(client.get(changelist).context["cl"].result_list) == 1
