"""What a newcomer meets first on the pages: a navigation offering only what the person
may use, one answer for a scorecard that is not theirs to change, a success message that
says what submitting opened up, and a favicon."""

import re

import pytest
from django.urls import reverse

from hiring import access
from hiring.models import Scorecard
from tests import factories


def nav_links(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S).group(1)
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


# ---------------------------------------------------------------------------
# The navigation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, links",
    [
        ("alice", ["My scorecards"]),
        ("lead", ["My scorecards", "My roles", "Role intake"]),
        ("recruiter", ["My scorecards", "Roles", "Role intake", "Admin"]),
    ],
)
def test_the_navigation_offers_each_person_only_the_pages_they_may_use(
    client, request, interview, person, links
):
    user = request.getfixturevalue(person)
    client.force_login(user)
    page = client.get(reverse("hiring:my_scorecards")).content.decode()
    assert nav_links(page) == links
    # Each link it offers opens.
    for url in re.findall(
        r'<a href="([^"]+)"', page.split('aria-label="Main"')[1].split("</nav>")[0]
    ):
        assert client.get(url).status_code in (200, 302), url


def test_leading_a_role_without_the_group_brings_the_roles_and_the_intake(
    client, ai_profile, alice
):
    factories.RoleFactory(profile=ai_profile, hiring_lead=alice)
    client.force_login(alice)
    page = client.get(reverse("hiring:my_scorecards")).content.decode()
    assert nav_links(page) == ["My scorecards", "My roles", "Role intake"]


def test_the_navigation_marks_the_page_you_are_on(client, lead, role):
    client.force_login(lead)
    page = client.get(reverse("hiring:my_roles")).content.decode()
    assert f'<a href="{reverse("hiring:my_roles")}" aria-current="page">My roles</a>' in page
    page = client.get(reverse("intake:start")).content.decode()
    assert f'<a href="{reverse("intake:start")}" aria-current="page">Role intake</a>' in page


def test_the_pages_the_navigation_leaves_out_are_forbidden(client, alice, interview):
    assert not access.may_list_roles(alice) and not access.may_use_intake(alice)
    client.force_login(alice)
    assert client.get(reverse("hiring:my_roles")).status_code == 403
    assert client.get(reverse("intake:start")).status_code == 403


def test_anonymous_visitors_get_no_navigation(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'aria-label="Main"' not in page


# ---------------------------------------------------------------------------
# A scorecard that is not yours: one answer on both of its pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["recruiter", "lead", "bob"])
def test_a_scorecard_someone_else_may_read_is_not_found_to_their_post(
    client, request, interview, alice, bob, person
):
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card)
    factories.submit(interview.scorecards.get(interviewer=bob))  # so Bob reads Alice's
    user = request.getfixturevalue(person)
    client.force_login(user)
    page = reverse("hiring:scorecard", args=[card.pk])
    revise = reverse("hiring:scorecard_revise", args=[card.pk])
    assert client.get(page).status_code == 200  # they may read it…
    body = {"summary": "Not mine to write.", "reason": "Trying.", "row_version": card.row_version}
    assert client.post(page, {**body, "action": "submit"}).status_code == 404  # …not write it
    assert client.post(revise, body).status_code == 404
    assert client.get(revise).status_code == 404
    card.refresh_from_db()
    assert card.summary == "" and card.revision == 0


def test_a_recruiters_post_to_a_draft_is_not_found_either(client, interview, alice, recruiter):
    card = interview.scorecards.get(interviewer=alice)
    client.force_login(recruiter)
    url = reverse("hiring:scorecard", args=[card.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "x", "row_version": card.row_version}).status_code == 404
    assert Scorecard.objects.get(pk=card.pk).row_version == card.row_version


# ---------------------------------------------------------------------------
# What submitting opened up
# ---------------------------------------------------------------------------


def submit_through_the_page(client, card):
    form = {"row_version": card.row_version, "action": "submit", "overall_recommendation": "yes"}
    for rating in factories.complete_ratings(card):
        form[f"score-{rating.skill}"] = str(rating.score)
        form[f"note-{rating.skill}"] = rating.note
    response = client.post(reverse("hiring:scorecard", args=[card.pk]), form, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hiring:scorecard", args=[card.pk])
    return [str(message) for message in response.context["messages"]]


def test_the_first_to_submit_is_told_no_colleague_has_yet(client, interview, alice):
    client.force_login(alice)
    name = interview.application.candidate.name
    messages = submit_through_the_page(client, interview.scorecards.get(interviewer=alice))
    assert messages == [
        f"Scorecard submitted. No colleague has submitted a scorecard for {name} yet."
    ]


def test_a_later_submitter_is_told_how_many_colleagues_scorecards_they_can_now_read(
    client, interview, alice, bob, charlie
):
    name = interview.application.candidate.name
    factories.submit(interview.scorecards.get(interviewer=alice))
    client.force_login(bob)
    messages = submit_through_the_page(client, interview.scorecards.get(interviewer=bob))
    assert messages == [
        f"Scorecard submitted. You can now read a colleague's scorecard for {name} "
        "on the candidate's page."
    ]
    second = factories.make_interview(
        application=interview.application, name="Deep dive", interviewers=[charlie]
    )
    client.force_login(charlie)
    messages = submit_through_the_page(client, second.scorecards.get())
    assert messages == [
        f"Scorecard submitted. You can now read 2 colleagues' scorecards for {name} "
        "on the candidate's page."
    ]


def test_an_interviewer_with_another_draft_for_the_candidate_is_told_theirs_still_hide_them(
    client, interview, alice, bob
):
    name = interview.application.candidate.name
    factories.submit(interview.scorecards.get(interviewer=bob))
    factories.make_interview(application=interview.application, name="Loop", interviewers=[alice])
    client.force_login(alice)
    messages = submit_through_the_page(client, interview.scorecards.get(interviewer=alice))
    assert messages == [
        f"Scorecard submitted. Colleagues' scorecards for {name} stay hidden until every "
        "scorecard of yours for them is submitted."
    ]


# ---------------------------------------------------------------------------
# The favicon
# ---------------------------------------------------------------------------


def test_the_favicon_is_served_at_the_root_as_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content)
    # An ICO file (reserved 0, type 1) holding 16, 32 and 48 px PNG images.
    assert body[:4] == b"\x00\x00\x01\x00"
    count = int.from_bytes(body[4:6], "little")
    sizes = {body[6 + 16 * index] for index in range(count)}
    assert sizes == {16, 32, 48}
    assert body.count(b"\x89PNG") == count


def test_the_pages_and_the_admin_link_the_favicon(client, recruiter):
    icon = '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">'
    for url in ["/accounts/login/", "/admin/login/"]:
        assert icon in client.get(url).content.decode(), url
    client.force_login(recruiter)
    for url in [reverse("hiring:my_roles"), "/admin/", reverse("admin:hiring_role_add")]:
        assert icon in client.get(url).content.decode(), url
