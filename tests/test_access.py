"""Visibility rules (hiring.access): the querysets every reader filters through."""

from hiring import access
from tests import factories


def visible_cards(actor):
    return set(access.scorecards_for(actor).values_list("interviewer__email", "status"))


def test_interviewers_see_only_their_own_scorecard_until_they_submit(interview, alice, bob):
    assert visible_cards(alice) == {("alice@example.com", "draft")}
    factories.submit(interview.scorecards.get(interviewer=bob))
    # Bob's is submitted, but Alice has not submitted hers: she still sees only her own.
    assert visible_cards(alice) == {("alice@example.com", "draft")}
    factories.submit(interview.scorecards.get(interviewer=alice))
    assert visible_cards(alice) == {
        ("alice@example.com", "submitted"),
        ("bob@example.com", "submitted"),
    }


def test_interviewers_never_see_colleagues_drafts(interview, alice, bob):
    factories.submit(interview.scorecards.get(interviewer=alice))
    assert visible_cards(alice) == {("alice@example.com", "submitted")}


def test_a_pending_draft_on_another_interview_of_the_same_application_hides_colleagues(
    interview, application, alice, bob
):
    second = factories.make_interview(application=application, interviewers=[alice])
    factories.submit(interview.scorecards.get(interviewer=bob))
    factories.submit(interview.scorecards.get(interviewer=alice))
    assert ("bob@example.com", "submitted") not in visible_cards(alice)
    factories.submit(second.scorecards.get())
    assert ("bob@example.com", "submitted") in visible_cards(alice)


def test_hiring_leads_see_submitted_scorecards_of_roles_they_lead_only(
    interview, lead, other_lead, alice, bob
):
    assert visible_cards(lead) == set()
    factories.submit(interview.scorecards.get(interviewer=alice))
    assert visible_cards(lead) == {("alice@example.com", "submitted")}
    assert visible_cards(other_lead) == set()
    assert not access.roles_for(other_lead).exists()
    assert not access.applications_for(other_lead).exists()
    assert not access.candidates_for(other_lead).exists()
    assert not access.interviews_for(other_lead).exists()
    assert access.may_compare(lead, interview.application.role)
    assert not access.may_compare(other_lead, interview.application.role)


def test_the_integration_key_sees_every_role_but_only_submitted_scorecards(interview, alice):
    integration = access.Integration()
    assert access.roles_for(integration).count() == 1
    assert access.interviews_for(integration).count() == 1
    assert not access.scorecards_for(integration).exists()
    factories.submit(interview.scorecards.get(interviewer=alice))
    assert access.scorecards_for(integration).count() == 1


def test_recruiters_see_drafts_too(interview, recruiter):
    assert access.scorecards_for(recruiter).count() == 2


def test_interviewers_not_on_a_panel_see_nothing(interview, charlie):
    for queryset in (
        access.roles_for(charlie),
        access.applications_for(charlie),
        access.candidates_for(charlie),
        access.interviews_for(charlie),
        access.scorecards_for(charlie),
    ):
        assert not queryset.exists()


def test_interviewers_see_the_application_and_interview_they_are_on(interview, alice):
    assert list(access.interviews_for(alice)) == [interview]
    assert list(access.applications_for(alice)) == [interview.application]
    assert list(access.candidates_for(alice)) == [interview.application.candidate]


def test_a_scorecard_to_change_is_found_exactly_when_scorecards_for_shows_it(
    interview, alice, bob, charlie, lead, other_lead, recruiter
):
    # The write path's shortcut (the interviewer's own card in one plain read) agrees
    # with the visibility rule for everyone, at every step of the panel's work.
    people = [alice, bob, charlie, lead, other_lead, recruiter, access.Integration()]
    cards = list(interview.scorecards.order_by("pk"))

    def agree():
        for person in people:
            visible = set(access.scorecards_for(person).values_list("pk", flat=True))
            for card in cards:
                found = access.scorecard_to_change(person, card.pk)
                assert (found is not None) == (card.pk in visible), (person, card)
        assert access.scorecard_to_change(alice, max(c.pk for c in cards) + 1) is None

    agree()
    factories.submit(interview.scorecards.get(interviewer=bob))
    agree()
    factories.submit(interview.scorecards.get(interviewer=alice))
    agree()
