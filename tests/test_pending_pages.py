"""Who is late, on the pages: the candidate and compare pages name the interviewers who
still owe feedback and mark the overdue ones (the "Overdue" badge and how late, never
colour alone); My scorecards lists drafts soonest due first. Django's test client, then
Chromium."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hiring import access, services
from hiring.models import Scorecard
from tests import factories
from tests.test_pages_compare import QUERIES

START = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
DUE = START + dt.timedelta(minutes=60) + dt.timedelta(hours=24)
FOCUS = ["system-architecture", "integration-rag"]


def schedule(interview, at):
    interview.scheduled_at = at
    return services.interview_save(interview=interview)


def panel(application, name, people, at):
    interview = factories.make_interview(
        application=application, name=name, focus=FOCUS, interviewers=people
    )
    return schedule(interview, at) if at else interview


@pytest.fixture
def late_and_waiting(application, alice, bob, charlie):
    """Alice submitted and Bob did not, on an interview a day earlier than Charlie's."""
    early = panel(application, "Coding", [alice, bob], START)
    panel(application, "System design", [charlie], START + dt.timedelta(days=1))
    factories.submit(Scorecard.objects.get(interview=early, interviewer=alice))
    return application


def pending_names(response) -> list[tuple[str, str, bool]]:
    return [
        (card.interviewer.full_name, card.interview.name, card.overdue)
        for card in response.context["pending"]
    ]


# ---------------------------------------------------------------------------
# Who may know who is pending
# ---------------------------------------------------------------------------


def test_who_may_know_which_scorecards_are_pending(
    late_and_waiting, recruiter, lead, other_lead, alice, bob, charlie
):
    def pending(actor):
        return sorted(access.pending_scorecards_for(actor).values_list("interviewer__email"))

    everyone = [("bob@example.com",), ("charlie@example.com",)]
    assert pending(recruiter) == everyone
    assert pending(lead) == everyone
    assert pending(other_lead) == []
    assert pending(bob) == [("bob@example.com",)]
    assert pending(alice) == []
    assert pending(access.Integration()) == []


# ---------------------------------------------------------------------------
# The candidate page
# ---------------------------------------------------------------------------


def test_the_candidate_page_names_who_is_pending_and_who_is_overdue(client, late_and_waiting, lead):
    client.force_login(lead)
    url = reverse("hiring:candidate", args=[late_and_waiting.pk])
    with time_machine.travel(DUE + dt.timedelta(hours=3), tick=False):
        response = client.get(url)
        assert pending_names(response) == [
            ("Bob Brown", "Coding", True),
            ("Charlie Chen", "System design", False),
        ]
    html = response.content.decode()
    # One panel section says who submitted, who is pending and who is late.
    assert "(1 of 3 submitted, 2 pending, 1 overdue)" in html
    assert "Feedback still pending" not in html
    assert html.count('class="badge overdue">Overdue</span>') == 1
    assert "by 3\xa0hours" in html


def test_at_the_due_moment_nobody_is_overdue_yet(client, late_and_waiting, lead):
    client.force_login(lead)
    with time_machine.travel(DUE, tick=False):
        response = client.get(reverse("hiring:candidate", args=[late_and_waiting.pk]))
        assert [late for _, _, late in pending_names(response)] == [False, False]
    assert "badge overdue" not in response.content.decode()


def test_an_interviewer_sees_no_colleague_listed_as_pending(client, late_and_waiting, alice, bob):
    for person in (alice, bob):
        client.force_login(person)
        response = client.get(reverse("hiring:candidate", args=[late_and_waiting.pk]))
        assert response.context["pending"] == []
        assert "Feedback still pending" not in response.content.decode()


def test_recruiters_see_who_is_pending_too(client, late_and_waiting, recruiter):
    client.force_login(recruiter)
    response = client.get(reverse("hiring:candidate", args=[late_and_waiting.pk]))
    assert [name for name, _, _ in pending_names(response)] == ["Bob Brown", "Charlie Chen"]


def test_an_unscheduled_interview_is_pending_without_a_due_date(client, application, lead, bob):
    panel(application, "Not yet booked", [bob], None)
    client.force_login(lead)
    response = client.get(reverse("hiring:candidate", args=[application.pk]))
    assert pending_names(response) == [("Bob Brown", "Not yet booked", False)]
    assert "Not scheduled" in response.content.decode()


# ---------------------------------------------------------------------------
# The compare page
# ---------------------------------------------------------------------------


def test_the_compare_page_names_who_is_pending_for_each_candidate(
    client, late_and_waiting, role, lead, alice
):
    other = factories.ApplicationFactory(role=role, candidate__name="Olive Ontime")
    panel(other, "Coding", [alice], START + dt.timedelta(days=2))
    client.force_login(lead)
    with time_machine.travel(DUE + dt.timedelta(hours=3), tick=False):
        response = client.get(reverse("hiring:compare", args=[role.pk]))
        rows = {row["name"]: row for row in response.context["rows"]}
        late = rows[late_and_waiting.candidate.name]["pending"]
        assert [(c.interviewer.full_name, c.overdue) for c in late] == [
            ("Bob Brown", True),
            ("Charlie Chen", False),
        ]
    assert [c.interviewer.full_name for c in rows["Olive Ontime"]["pending"]] == ["Alice Adams"]
    assert response.content.decode().count('class="badge overdue">Overdue</span>') == 1


def test_the_pages_take_a_constant_number_of_queries_however_many_are_pending(
    client, django_assert_num_queries, role, lead, settings
):
    settings.COMPARISON_STALE_SECONDS = 0  # computed again after each submission
    application = factories.ApplicationFactory(role=role)
    client.force_login(lead)
    for size in (1, 5):
        people = [factories.UserFactory() for _ in range(size)]
        panel(application, f"Round {size}", people, START)
        factories.submit(Scorecard.objects.filter(interview__name=f"Round {size}").first())
        # the compare page's count (tests/test_pages_compare.py: QUERIES): session, user,
        # role, the cache, comparison's four, pending drafts, what the person is, what
        # independent scoring hides, the read's audit event, the two of the uncovered
        # competencies
        with django_assert_num_queries(QUERIES):
            assert client.get(reverse("hiring:compare", args=[role.pk])).status_code == 200
        # session, user, application, scorecards, ratings, corrections, pending drafts,
        # what they are, whether independent scoring hides it, the panel, the read's
        # audit event; for the lead, who decides: whether they may, the decisions, and the
        # formula's view (the comparison's stamp and four reads): tests/test_pages.py
        with django_assert_num_queries(18):
            response = client.get(reverse("hiring:candidate", args=[application.pk]))
        assert len(response.context["pending"]) == size - 1


# ---------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_shows_who_is_late_on_every_page(
    page, live_server, login, screenshot, role, lead, alice, bob, charlie
):
    now = timezone.now()
    application = factories.ApplicationFactory(role=role, candidate__name="Lena Late")
    late = panel(application, "Coding", [alice, bob], now - dt.timedelta(days=3))
    panel(application, "System design", [alice, charlie], now - dt.timedelta(hours=2))
    panel(application, "Culture", [alice], now + dt.timedelta(days=2))
    factories.submit(Scorecard.objects.get(interview=late, interviewer=bob))

    # My scorecards: soonest due first, the late one marked in words.
    login(page, alice)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('hiring:my_scorecards')}")
    rows = page.locator("#pending-heading + p + .table-scroll tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Coding")
    expect(rows.nth(0).locator(".badge.overdue")).to_have_text("Overdue")
    expect(rows.nth(0)).to_contain_text("by 1\xa0day")
    expect(rows.nth(1)).to_contain_text("System design")
    expect(rows.nth(2)).to_contain_text("Culture")
    expect(rows.locator(".badge.overdue")).to_have_count(1)
    expect(page.get_by_role("heading", name="To fill in (3, 1 overdue)")).to_be_visible()
    screenshot(page, "my-scorecards-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(rows.nth(0).locator(".badge.overdue")).to_be_visible()
    screenshot(page, "my-scorecards-390")
    page.context.clear_cookies()

    # The hiring lead: the candidate page and the comparison name who is late.
    login(page, lead)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('hiring:candidate', args=[application.pk])}")
    section = page.get_by_role("region", name=re.compile(r"Panel .*4 pending, 1 overdue"))
    items = section.locator("li.panel-card")
    expect(items).to_have_count(5)
    overdue = section.locator(".is-overdue")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("Alice Adams")
    expect(overdue).to_contain_text("Coding")
    expect(overdue).to_contain_text("Overdue")
    culture = items.filter(has_text="Culture")
    expect(culture).to_contain_text("Due ")
    screenshot(page, "candidate-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(overdue).to_be_visible()
    screenshot(page, "candidate-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('hiring:compare', args=[role.pk])}")
    row = page.get_by_role("row").filter(has_text="Lena Late").first
    pending = row.get_by_role("list", name="Feedback still pending")
    expect(pending.get_by_role("listitem")).to_have_count(4)
    expect(pending.locator(".is-overdue")).to_contain_text("Alice Adams")
    expect(pending.locator(".is-overdue .badge")).to_have_text("Overdue")
    screenshot(page, "compare-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "compare-390")
