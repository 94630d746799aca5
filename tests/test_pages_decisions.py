"""The decision on the candidate and compare pages (Django test client)."""

import pytest
from django.urls import reverse

from hiring.models import Decision, Scorecard
from tests import factories

RATIONALE = "Clear strengths in system design."


@pytest.fixture
def against(interview, alice, bob):
    """Both interviewers submitted and recommend no."""
    for card in Scorecard.objects.filter(interview=interview):
        factories.submit(card, score=2, recommendation="no")
    return interview.application


def page_url(application):
    return reverse("hiring:candidate", args=[application.pk])


def test_the_lead_sees_the_formula_and_the_form_and_an_override_needs_a_reason(
    client, lead, against
):
    client.force_login(lead)
    page = client.get(page_url(against))
    html = page.content.decode()
    assert 'class="formula"' in html
    assert 'data-overriding="advance hire"' in html
    assert "Advance or Hire would go against most of the panel" in html

    refused = client.post(page_url(against), {"decision": "hire", "rationale": RATIONALE})
    assert refused.status_code == 400
    assert "overrides the panel" in refused.content.decode()
    assert not Decision.objects.exists()

    done = client.post(
        page_url(against),
        {"decision": "hire", "rationale": RATIONALE, "override_reason": "Teachable gaps."},
    )
    assert done.status_code == 302
    decision = Decision.objects.get()
    assert decision.is_override and decision.decision == "hire"
    html = client.get(page_url(against)).content.decode()
    assert "Teachable gaps." in html and "decision-history" in html


def test_a_decision_with_the_panel_needs_no_reason(client, lead, against):
    client.force_login(lead)
    response = client.post(page_url(against), {"decision": "reject", "rationale": RATIONALE})
    assert response.status_code == 302
    assert Decision.objects.get().is_override is False


def test_an_interviewer_gets_no_form_and_cannot_post_one(client, alice, against):
    client.force_login(alice)
    html = client.get(page_url(against)).content.decode()
    assert "decision-form" not in html and 'class="formula"' not in html
    response = client.post(page_url(against), {"decision": "hire", "rationale": RATIONALE})
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_someone_who_cannot_see_the_application_gets_a_404(client, other_lead, against):
    client.force_login(other_lead)
    assert client.post(page_url(against), {"decision": "hire"}).status_code == 404


def test_the_compare_page_shows_each_candidates_current_decision(
    client, lead, recruiter, role, against
):
    undecided = factories.ApplicationFactory(role=role)
    client.force_login(recruiter)
    client.post(page_url(against), {"decision": "hold", "rationale": RATIONALE})
    client.post(page_url(against), {"decision": "reject", "rationale": RATIONALE})
    client.force_login(lead)
    response = client.get(reverse("hiring:compare", args=[role.pk]))
    rows = {row["application"]: row["decision"] for row in response.context["rows"]}
    assert rows[against.pk].decision == "reject"
    assert rows[undecided.pk] is None
    assert "decision-reject" in response.content.decode()
