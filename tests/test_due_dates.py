"""Feedback due dates: a scorecard is due when its interview ends plus
FEEDBACK_DUE_HOURS, and overdue while it is a draft past that moment - the same in
Python (one scorecard) and in SQL (filters, ordering, counts), at the boundaries,
with time frozen."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from hiring import services
from hiring.models import Interview, Scorecard
from tests import factories
from tests.test_settings import assert_refused, load_settings

START = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
DUE = START + dt.timedelta(minutes=45) + dt.timedelta(hours=24)
MICROSECOND = dt.timedelta(microseconds=1)


def schedule(interview, at=START, minutes=45):
    interview.scheduled_at = at
    interview.duration_minutes = minutes
    return services.interview_save(interview=interview)


@pytest.fixture
def scheduled(interview):
    """Alice and Bob's interview, 10:00-10:45 on 23 November 2026."""
    return schedule(interview)


def card_of(interview, person) -> Scorecard:
    return Scorecard.objects.get(interview=interview, interviewer=person)


def overdue_ids(now=None) -> set[int]:
    return set(Scorecard.objects.overdue(now).values_list("pk", flat=True))


# ---------------------------------------------------------------------------
# The rule
# ---------------------------------------------------------------------------


def test_a_scorecard_is_due_a_day_after_its_interview_ends(scheduled, alice):
    card = card_of(scheduled, alice)
    assert scheduled.ends_at == START + dt.timedelta(minutes=45)
    assert card.due_at == DUE
    assert Scorecard.objects.with_due_dates().get(pk=card.pk).due_at == DUE


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (START, False),
        (DUE - MICROSECOND, False),
        (DUE, False),  # due *at* this moment: not yet late
        (DUE + MICROSECOND, True),
        (DUE + dt.timedelta(days=30), True),
    ],
)
def test_a_draft_becomes_overdue_just_after_its_due_moment(scheduled, alice, now, overdue):
    with time_machine.travel(now, tick=False):
        card = card_of(scheduled, alice)
        assert card.overdue is overdue
        assert (card.pk in overdue_ids()) is overdue
        annotated = Scorecard.objects.with_due_dates().get(pk=card.pk)
        assert annotated.is_overdue is overdue


def test_a_submitted_scorecard_is_never_overdue_even_when_submitted_late(scheduled, alice):
    with time_machine.travel(DUE + dt.timedelta(days=2), tick=False):
        card = factories.submit(card_of(scheduled, alice))
        assert card.overdue is False
        assert card_of(scheduled, alice).overdue is False
        assert card.pk not in overdue_ids()
        assert card_of(scheduled, alice).due_at == DUE  # the date it was due stays known


def test_an_unscheduled_interview_has_no_due_date(interview, alice):
    with time_machine.travel(START + dt.timedelta(days=400), tick=False):
        card = card_of(interview, alice)
        assert card.due_at is None and card.overdue is False
        assert Scorecard.objects.with_due_dates().get(pk=card.pk).due_at is None
        assert overdue_ids() == set()


def test_the_due_hours_come_from_the_setting(scheduled, alice, settings):
    settings.FEEDBACK_DUE_HOURS = 2
    due = START + dt.timedelta(minutes=45, hours=2)
    assert card_of(scheduled, alice).due_at == due
    assert Scorecard.objects.with_due_dates().get(pk=card_of(scheduled, alice).pk).due_at == due
    assert overdue_ids(due + MICROSECOND) == set(scheduled.scorecards.values_list("pk", flat=True))


def test_a_longer_or_rescheduled_interview_moves_the_due_date(scheduled, alice):
    schedule(scheduled, at=START + dt.timedelta(days=1), minutes=180)
    due = START + dt.timedelta(days=1, minutes=180, hours=24)
    assert card_of(scheduled, alice).due_at == due
    assert Scorecard.objects.with_due_dates().get(pk=card_of(scheduled, alice).pk).due_at == due


def test_sql_and_python_agree_for_many_interviews(application, alice, bob):
    """Random-ish schedules and lengths: both forms of the rule give the same answer."""
    for n in range(12):
        interview = factories.make_interview(
            application=application, interviewers=[alice, bob], name=f"Round {n}"
        )
        schedule(interview, at=START + dt.timedelta(hours=7 * n, minutes=n), minutes=15 + 37 * n)
    now = START + dt.timedelta(days=2)
    with time_machine.travel(now, tick=False):
        annotated = {card.pk: card for card in Scorecard.objects.with_due_dates()}
        for card in Scorecard.objects.select_related("interview"):
            assert card.due_at == annotated[card.pk].due_at
            assert card.overdue is annotated[card.pk].is_overdue
        assert 0 < len(overdue_ids()) < len(annotated)


@pytest.mark.parametrize("value", ["a day", "-1", "1.5"])
def test_the_service_refuses_to_start_with_unreadable_due_hours(value):
    result = load_settings("s.FEEDBACK_DUE_HOURS", FEEDBACK_DUE_HOURS=value)
    assert_refused(result, "FEEDBACK_DUE_HOURS", value)


def test_due_hours_default_to_a_day():
    result = load_settings("s.FEEDBACK_DUE_HOURS", FEEDBACK_DUE_HOURS="")
    assert result.stdout.strip() == "24"


# ---------------------------------------------------------------------------
# The interview's length
# ---------------------------------------------------------------------------


def test_an_interview_lasts_an_hour_unless_told(interview):
    assert interview.duration_minutes == 60


@pytest.mark.parametrize("minutes", [0, 481])
def test_the_service_refuses_a_length_out_of_range(interview, minutes):
    interview.duration_minutes = minutes
    with pytest.raises(ValidationError) as raised:
        services.interview_save(interview=interview)
    assert list(raised.value.message_dict) == ["duration_minutes"]
    assert "from 1 to 480" in raised.value.message_dict["duration_minutes"][0]


def test_the_database_refuses_a_length_of_zero(interview):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.filter(pk=interview.pk).update(duration_minutes=0)


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def test_the_api_takes_and_shows_the_length(ats, application, alice):
    body = {"application": application.pk, "name": "Pairing", "duration_minutes": 90}
    response = ats.post("/api/v1/interviews/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["duration_minutes"] == 90
    response = ats.put(
        f"/api/v1/interviews/{response.json()['id']}/",
        {"application": application.pk, "name": "Pairing"},
    )
    assert response.json()["duration_minutes"] == 60  # PUT replaces: back to the default


@pytest.mark.parametrize("minutes", [0, -30, 481, 100_000, "60", 60.5, True, None, [60]])
def test_the_api_refuses_a_bad_length_naming_the_field(ats, interview, minutes):
    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/",
        json.dumps({"duration_minutes": minutes}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["duration_minutes"]
    interview.refresh_from_db()
    assert interview.duration_minutes == 60


@pytest.fixture
def staff_client(client, recruiter):
    client.force_login(recruiter)
    return client


def _interview_form(interview, **changes):
    return {
        "application": interview.application_id,
        "name": interview.name,
        "scheduled_at_0": "2026-11-23",
        "scheduled_at_1": "10:00",
        "duration_minutes": 60,
        "focus_competencies": [],
        "external_id": "",
        "panel": list(interview.scorecards.values_list("interviewer", flat=True)),
    } | changes


@pytest.mark.parametrize("minutes", ["0", "-5", "481", "ninety"])
def test_the_admin_refuses_a_bad_length_on_the_field(staff_client, interview, minutes):
    url = reverse("admin:hiring_interview_change", args=[interview.pk])
    response = staff_client.post(url, _interview_form(interview, duration_minutes=minutes))
    assert response.status_code == 200
    assert "duration_minutes" in response.context["adminform"].form.errors
    interview.refresh_from_db()
    assert interview.duration_minutes == 60


def test_the_admin_saves_a_length(staff_client, interview, alice):
    url = reverse("admin:hiring_interview_change", args=[interview.pk])
    response = staff_client.post(url, _interview_form(interview, duration_minutes="90"))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.duration_minutes == 90
    assert card_of(interview, alice).due_at == START + dt.timedelta(minutes=90, hours=24)


# ---------------------------------------------------------------------------
# The API: due_at, overdue and ?overdue=
# ---------------------------------------------------------------------------


@pytest.fixture
def three_cards(scheduled, application, alice, bob, charlie):
    """Alice's draft (overdue after DUE), Bob's submitted, Charlie's unscheduled draft."""
    factories.submit(card_of(scheduled, bob))
    unscheduled = factories.make_interview(
        application=application, interviewers=[charlie], name="Later"
    )
    return {
        "alice": card_of(scheduled, alice),
        "bob": card_of(scheduled, bob),
        "charlie": card_of(unscheduled, charlie),
    }


def listed(client, query: str) -> set[int]:
    response = client.get(f"/api/v1/scorecards/?{query}")
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_scorecards_show_when_they_are_due_and_whether_late(api_client, recruiter, three_cards):
    client = api_client(recruiter)
    with time_machine.travel(DUE + MICROSECOND, tick=False):
        alice = client.get(f"/api/v1/scorecards/{three_cards['alice'].pk}/").json()
        bob = client.get(f"/api/v1/scorecards/{three_cards['bob'].pk}/").json()
        charlie = client.get(f"/api/v1/scorecards/{three_cards['charlie'].pk}/").json()
    assert (alice["due_at"], alice["overdue"]) == ("2026-11-24T10:45:00Z", True)
    assert (bob["due_at"], bob["overdue"]) == ("2026-11-24T10:45:00Z", False)
    assert (charlie["due_at"], charlie["overdue"]) == (None, False)


def test_the_overdue_filter_at_the_boundary(api_client, recruiter, three_cards):
    client = api_client(recruiter)
    everyone = {card.pk for card in three_cards.values()}
    with time_machine.travel(DUE, tick=False):
        assert listed(client, "overdue=true") == set()
        assert listed(client, "overdue=false") == everyone
    with time_machine.travel(DUE + MICROSECOND, tick=False):
        assert listed(client, "overdue=true") == {three_cards["alice"].pk}
        assert listed(client, "overdue=false") == everyone - {three_cards["alice"].pk}
        assert listed(client, "overdue=true&interviewer=bob@example.com") == set()


def test_the_overdue_filter_keeps_visibility(api_client, three_cards, alice, bob):
    with time_machine.travel(DUE + dt.timedelta(days=1), tick=False):
        assert listed(api_client(alice), "overdue=true") == {three_cards["alice"].pk}
        assert listed(api_client(bob), "overdue=true") == set()  # Alice's draft is hers
        assert listed(api_client("integration"), "overdue=true") == set()  # drafts: not shown


@pytest.mark.parametrize("value", ["maybe", "True", "1", "yes", ""])
def test_a_bad_overdue_value_is_a_400_naming_it(api_client, recruiter, value):
    response = api_client(recruiter).get(f"/api/v1/scorecards/?overdue={value}")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["overdue"]


def test_the_overdue_filter_costs_no_extra_query(
    api_client, recruiter, three_cards, django_assert_num_queries
):
    client = api_client(recruiter)
    client.get("/api/v1/scorecards/")  # the key's first use is recorded
    with time_machine.travel(DUE + MICROSECOND, tick=False):
        for query in ("overdue=true", "overdue=false&page_size=1"):
            with django_assert_num_queries(4):  # key, scorecards, ratings, the audit event
                client.get(f"/api/v1/scorecards/?{query}")


# ---------------------------------------------------------------------------
# My scorecards: soonest due first, overdue marked
# ---------------------------------------------------------------------------


def test_my_scorecards_lists_drafts_by_due_date_and_marks_the_late_ones(
    client, application, alice, bob
):
    names = {"Later": START + dt.timedelta(days=3), "Earlier": START, "Middle": None}
    for name, at in names.items():
        interview = factories.make_interview(
            application=application, interviewers=[alice, bob], name=name
        )
        if at:
            schedule(interview, at=at)
    client.force_login(alice)
    with time_machine.travel(DUE + dt.timedelta(hours=2), tick=False):
        response = client.get(reverse("hiring:my_scorecards"))
        pending = response.context["pending"]
        assert [card.interview.name for card in pending] == ["Earlier", "Later", "Middle"]
        assert [card.overdue for card in pending] == [True, False, False]
    assert response.context["overdue_total"] == 1
    html = response.content.decode()
    assert "1 overdue" in html
    assert html.count('class="badge overdue"') == 1
    assert "by 2\xa0hours" in html
