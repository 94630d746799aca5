"""The interviewer and hiring-lead pages, through Django's test client."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from hiring import selectors, services
from hiring.models import Rating, Scorecard, ScorecardRevision
from hiring.services import RatingInput
from tests import factories


@pytest.fixture
def card(interview, alice):
    return interview.scorecards.get(interviewer=alice)


@pytest.fixture
def bob_card(interview, bob):
    return interview.scorecards.get(interviewer=bob)


def form_data(card, *, scores=None, notes=None, recommendation="", summary="", action="save"):
    """The POST a browser sends for this scorecard's form."""
    data = {"row_version": card.row_version, "action": action, "summary": summary}
    if recommendation:
        data["overall_recommendation"] = recommendation
    for key, value in (scores or {}).items():
        data[f"score-{key}"] = value
    for key, value in (notes or {}).items():
        data[f"note-{key}"] = value
    return data


def focus_keys(card):
    return [skill.key for skill in selectors.scorecard_focus_skills(card)]


def complete(card, score="3", note="Walked through a clear design."):
    keys = focus_keys(card)
    return dict.fromkeys(keys, score), dict.fromkeys(keys, note)


# ---------------------------------------------------------------------------
# Logging in and landing
# ---------------------------------------------------------------------------


def test_the_login_page_has_labelled_email_and_password_fields(client):
    page = client.get("/accounts/login/").content.decode()
    assert re.search(r'<label for="id_username">Email</label>', page)
    assert re.search(r'<label for="id_password">Password</label>', page)
    assert ">Log in</button>" in page


def test_it_asks_anonymous_visitors_to_log_in(client, card):
    for url in ["/", reverse("hiring:my_scorecards"), reverse("hiring:scorecard", args=[card.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_home_sends_an_interviewer_to_my_scorecards(client, alice):
    client.force_login(alice)
    assert client.get("/")["Location"] == reverse("hiring:my_scorecards")


def test_home_sends_a_hiring_lead_to_my_roles(client, lead, role):
    client.force_login(lead)
    assert client.get("/")["Location"] == reverse("hiring:my_roles")


def test_home_offers_recruiters_the_roles_and_the_admin(client, recruiter):
    client.force_login(recruiter)
    page = client.get("/").content.decode()
    assert f'href="{reverse("hiring:my_roles")}"' in page
    assert f'href="{reverse("admin:index")}"' in page


def test_home_offers_both_pages_to_someone_who_interviews_and_leads(client, lead, interview):
    services.interview_set_interviewers(interview=interview, interviewers=[lead])
    client.force_login(lead)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("hiring:my_scorecards")}"' in page
    assert f'href="{reverse("hiring:my_roles")}"' in page
    assert f'href="{reverse("admin:index")}"' not in page


# ---------------------------------------------------------------------------
# My scorecards
# ---------------------------------------------------------------------------


def test_my_scorecards_lists_pending_ones_first_then_submitted(client, alice, role):
    done_app = factories.ApplicationFactory(role=role, candidate__name="Done Candidate")
    todo_app = factories.ApplicationFactory(role=role, candidate__name="Todo Candidate")
    done = factories.make_interview(application=done_app, interviewers=[alice]).scorecards.get()
    factories.make_interview(application=todo_app, name="Pairing", interviewers=[alice])
    factories.submit(done)

    client.force_login(alice)
    response = client.get(reverse("hiring:my_scorecards"))
    assert [c.interview.application.candidate.name for c in response.context["pending"]] == [
        "Todo Candidate"
    ]
    assert [c.pk for c in response.context["submitted"]] == [done.pk]
    page = response.content.decode()
    assert page.index("Todo Candidate") < page.index("Done Candidate")
    assert "Pairing" in page


def test_my_scorecards_shows_only_my_own(client, alice, bob, interview):
    client.force_login(bob)
    pending = client.get(reverse("hiring:my_scorecards")).context["pending"]
    assert [card.interviewer for card in pending] == [bob]


# ---------------------------------------------------------------------------
# The scorecard form
# ---------------------------------------------------------------------------


def test_the_form_shows_each_focus_skill_with_the_anchor_text_of_every_level(client, card, alice):
    client.force_login(alice)
    page = client.get(reverse("hiring:scorecard", args=[card.pk])).content.decode()
    for skill in selectors.scorecard_focus_skills(card):
        assert f'id="skill-{skill.key}"' in page
        for level in (1, 2, 3, 4):
            radio = f'value="{level}"'
            anchor = escape(skill.anchors[level])
            # The anchor is inside the label of its radio, so it is read while choosing.
            label = re.search(
                rf'<label class="level" for="id_score-{skill.key}_{level - 1}">(.*?)</label>',
                page,
                re.S,
            )
            assert label and radio in label.group(1) and anchor in label.group(1)
        assert f'name="score-{skill.key}" value="na"' in page
        assert f'name="note-{skill.key}"' in page
    # Competencies outside the interview's focus are not asked for.
    assert 'id="skill-python-expertise"' not in page


def test_every_control_on_the_form_has_a_label(client, card, alice):
    client.force_login(alice)
    page = client.get(reverse("hiring:scorecard", args=[card.pk])).content.decode()
    ids = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page)
    hidden = set(re.findall(r'<input type="hidden"[^>]*id="([^"]+)"', page))
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    assert ids
    assert [i for i in ids if i not in hidden and i not in labelled] == []


def test_save_draft_keeps_everything_including_notes_on_unscored_skills(client, card, alice):
    first, second, third = focus_keys(card)[:3]
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard", args=[card.pk]),
        form_data(
            card,
            scores={first: "2", second: "na"},
            notes={first: "Partial answer.", third: "Ask about this next time."},
            recommendation="no",
            summary="Half done.",
        ),
    )
    assert response.status_code == 302
    ratings = {r.skill.key: r for r in Rating.objects.filter(scorecard=card)}
    assert (ratings[first].score, ratings[first].note) == (2, "Partial answer.")
    assert ratings[second].not_assessed and ratings[second].score is None
    assert (ratings[third].score, ratings[third].note) == (None, "Ask about this next time.")
    card.refresh_from_db()
    assert (card.status, card.overall_recommendation, card.summary) == ("draft", "no", "Half done.")

    page = client.get(response["Location"]).content.decode()
    assert "Draft saved" in page
    assert re.search(rf'name="score-{first}" value="2"[^>]*checked', page)
    assert "Ask about this next time." in page


def test_submit_shows_every_unmet_requirement_next_to_its_field_and_keeps_the_input(
    client, card, alice
):
    keys = focus_keys(card)
    rated, extreme, missing = keys[0], keys[1], keys[2:]
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard", args=[card.pk]),
        form_data(
            card,
            scores={rated: "3", extreme: "4"},
            notes={rated: "Sound reasoning."},
            summary="Strong on routing.",
            action="submit",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    # Exactly the service's verdict, each on its own field.
    expected = services.scorecard_unmet_requirements(Scorecard.objects.get(pk=card.pk))
    assert set(expected) == {f"ratings.{k}" for k in [extreme, *missing]} | {
        "overall_recommendation"
    }
    # The missing evidence is shown at the note box it concerns, the rest at the levels.
    for path, messages in expected.items():
        key = path.removeprefix("ratings.")
        field = path if "." not in path else ("note-" if key == extreme else "score-") + key
        assert errors[field] == messages
    page = response.content.decode()
    assert f'id="skill-{extreme}-note-error">A score of 4 needs an evidence note' in page
    assert f'id="skill-{extreme}-error"' not in page
    note_box = (
        f'<textarea name="note-{extreme}" id="id_note-{extreme}" rows="2" aria-invalid="true"'
    )
    assert note_box + f' aria-describedby="skill-{extreme}-note-error">' in page
    assert f'<a href="#id_note-{extreme}">' in page  # the summary links to the note box
    assert f'id="skill-{missing[0]}-error">Rate this skill or mark it as not assessed.' in page
    assert 'id="overall-recommendation-error">Choose an overall recommendation.' in page
    # The input is still on screen and saved as a draft.
    assert re.search(rf'name="score-{extreme}" value="4"[^>]*checked', page)
    assert "Strong on routing." in page
    card.refresh_from_db()
    assert card.status == "draft" and card.summary == "Strong on routing."
    assert f'name="row_version" value="{card.row_version}"' in page


def test_submit_with_everything_met_makes_the_page_read_only(client, card, alice):
    scores, notes = complete(card)
    client.force_login(alice)
    url = reverse("hiring:scorecard", args=[card.pk])
    response = client.post(
        url, form_data(card, scores=scores, notes=notes, recommendation="yes", action="submit")
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.is_submitted and card.overall_recommendation == "yes"
    page = client.get(url).content.decode()
    assert '<form method="post" class="scorecard-form"' not in page
    assert f'href="{reverse("hiring:scorecard_revise", args=[card.pk])}"' in page
    assert "Walked through a clear design." in page


def test_posting_to_a_submitted_scorecard_changes_nothing(client, card, alice):
    factories.submit(card)
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard", args=[card.pk]), form_data(card, summary="sneaky edit")
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.summary == ""


def test_a_stale_form_is_refused_with_a_clear_message_and_the_input_kept(client, card, alice):
    opened = Scorecard.objects.get(pk=card.pk)  # the copy the form was rendered from
    services.scorecard_save_draft(scorecard=card, by=alice, summary="Saved in another tab.")
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard", args=[card.pk]),
        form_data(opened, summary="Typed in this tab."),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed elsewhere" in page
    assert "Typed in this tab." in page
    card.refresh_from_db()
    assert card.summary == "Saved in another tab."
    # Saving again from this page is a deliberate choice and now goes through.
    assert f'name="row_version" value="{card.row_version}"' in page


def test_an_invalid_score_is_a_field_error_not_a_crash(client, card, alice):
    key = focus_keys(card)[0]
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard", args=[card.pk]), form_data(card, scores={key: "7"})
    )
    assert response.status_code == 400
    assert f"score-{key}" in response.context["form"].errors


# ---------------------------------------------------------------------------
# Revisions
# ---------------------------------------------------------------------------


def test_revising_asks_for_a_reason(client, card, alice):
    factories.submit(card)
    card.refresh_from_db()
    scores, notes = complete(card)
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard_revise", args=[card.pk]),
        {**form_data(card, scores=scores, notes=notes, recommendation="no"), "reason": " "},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Say why the scorecard is being corrected."
    ]
    card.refresh_from_db()
    assert card.overall_recommendation == "yes" and card.revision == 0


def test_revising_keeps_the_previous_version_and_the_reason(client, card, alice):
    factories.submit(card)
    card.refresh_from_db()
    scores, notes = complete(card, score="2", note="Rechecked my notes.")
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard_revise", args=[card.pk]),
        {
            **form_data(card, scores=scores, notes=notes, recommendation="no"),
            "reason": "Mixed up two candidates.",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.overall_recommendation, card.revision) == ("no", 1)
    revision = ScorecardRevision.objects.get(scorecard=card)
    assert revision.reason == "Mixed up two candidates."
    assert revision.previous["overall_recommendation"] == "yes"
    page = client.get(reverse("hiring:scorecard", args=[card.pk])).content.decode()
    assert "Mixed up two candidates." in page


def test_a_revision_must_still_meet_the_submission_rules(client, card, alice):
    factories.submit(card)
    card.refresh_from_db()
    key = focus_keys(card)[0]
    client.force_login(alice)
    response = client.post(
        reverse("hiring:scorecard_revise", args=[card.pk]),
        {
            **form_data(card, scores={key: "1"}, notes={key: ""}, recommendation="yes"),
            "reason": "Harsher on reflection.",
        },
    )
    assert response.status_code == 400
    assert (
        "A score of 1 needs an evidence note" in response.context["form"].errors[f"note-{key}"][0]
    )
    assert Rating.objects.get(scorecard=card, skill__key=key).score == 3


def test_only_the_interviewer_may_revise(client, card, lead):
    factories.submit(card)
    client.force_login(lead)
    assert client.get(reverse("hiring:scorecard_revise", args=[card.pk])).status_code == 404


# ---------------------------------------------------------------------------
# Who sees which scorecard
# ---------------------------------------------------------------------------


def test_a_colleagues_draft_is_not_found(client, card, bob):
    client.force_login(bob)
    assert client.get(reverse("hiring:scorecard", args=[card.pk])).status_code == 404


def test_the_hiring_lead_sees_submitted_scorecards_read_only_but_not_drafts(client, card, lead):
    client.force_login(lead)
    url = reverse("hiring:scorecard", args=[card.pk])
    assert client.get(url).status_code == 404
    factories.submit(card)
    page = client.get(url).content.decode()
    assert "Seen in the interview." in page
    assert "Save draft" not in page
    # Not hers to change: the same answer as the revise page (and nothing changes).
    assert client.post(url, {"summary": "x"}).status_code == 404
    assert client.post(reverse("hiring:scorecard_revise", args=[card.pk]), {}).status_code == 404
    card.refresh_from_db()
    assert card.summary != "x"


def test_colleagues_scorecards_appear_only_after_submitting_your_own(client, card, bob_card, bob):
    factories.submit(card, recommendation="strong_yes")
    client.force_login(bob)
    url = reverse("hiring:candidate", args=[card.interview.application_id])

    before = client.get(url)
    assert before.context["cards"] == []
    assert "Score independently first" in before.content.decode()
    assert client.get(reverse("hiring:scorecard", args=[card.pk])).status_code == 404

    factories.submit(bob_card, recommendation="no")
    after = client.get(url)
    assert {c.interviewer.email for c in after.context["cards"]} == {
        "alice@example.com",
        "bob@example.com",
    }
    page = after.content.decode()
    assert "Strong yes" in page and "Seen in the interview." in page


def test_the_candidate_page_lines_up_scorecards_by_skill(client, card, bob_card, lead):
    keys = focus_keys(card)
    alice_ratings = factories.complete_ratings(card, score=3, note="Alice saw it.")
    factories.submit(card, ratings=alice_ratings)
    bob_ratings = [RatingInput(skill=k, not_assessed=True) for k in keys[:-1]] + [
        RatingInput(skill=keys[-1], score=1, note="Bob saw a gap.")
    ]
    factories.submit(bob_card, ratings=bob_ratings, recommendation="no")

    client.force_login(lead)
    response = client.get(reverse("hiring:candidate", args=[card.interview.application_id]))
    rows = {row["skill"].key: row["cells"] for row in response.context["rows"]}
    assert list(rows) == keys
    assert [(r.score, r.note) for r in rows[keys[-1]]] == [
        (3, "Alice saw it."),
        (1, "Bob saw a gap."),
    ]
    assert [r.not_assessed for r in rows[keys[0]]] == [False, True]
    assert response.context["tallies"] == [("No", 1), ("Yes", 1)]


def test_people_outside_the_application_get_a_404(client, card, charlie, other_lead):
    url = reverse("hiring:candidate", args=[card.interview.application_id])
    for person in (charlie, other_lead):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.get(reverse("hiring:scorecard", args=[card.pk])).status_code == 404


def test_recruiters_see_every_candidate_page(client, card, recruiter):
    factories.submit(card)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:candidate", args=[card.interview.application_id]))
    assert [c.pk for c in response.context["cards"]] == [card.pk]


# ---------------------------------------------------------------------------
# My roles
# ---------------------------------------------------------------------------


def test_my_roles_counts_candidates_and_pending_scorecards(client, lead, role, interview, alice):
    other_app = factories.ApplicationFactory(role=role)
    factories.make_interview(application=other_app, interviewers=[alice])
    factories.submit(interview.scorecards.get(interviewer=alice))
    factories.RoleFactory(profile=role.profile, title="Someone else's role")

    client.force_login(lead)
    response = client.get(reverse("hiring:my_roles"))
    [listed] = response.context["roles"]
    assert listed == role
    assert (listed.candidate_total, listed.submitted_total, listed.pending_total) == (2, 1, 2)
    assert reverse("hiring:compare", args=[role.pk]) in response.content.decode()


def test_recruiters_see_every_role_in_the_roles_list(client, recruiter, role, ai_profile):
    other = factories.RoleFactory(profile=ai_profile)
    client.force_login(recruiter)
    roles = client.get(reverse("hiring:my_roles")).context["roles"]
    assert set(roles) == {role, other}


def test_the_roles_page_is_forbidden_to_someone_who_leads_no_role(client, alice, interview):
    client.force_login(alice)
    assert client.get(reverse("hiring:my_roles")).status_code == 403


# ---------------------------------------------------------------------------
# Constant number of queries, whatever the amount of data
# ---------------------------------------------------------------------------


def grow(role, interviewers, candidates, *, submitted=True):
    """Add candidates, each with one interview by these interviewers."""
    for _ in range(candidates):
        application = factories.ApplicationFactory(role=role)
        interview = factories.make_interview(application=application, interviewers=interviewers)
        if submitted:
            for card in interview.scorecards.select_related("interviewer"):
                factories.submit(card)


def test_my_scorecards_and_my_roles_take_a_constant_number_of_queries(
    client, django_assert_num_queries, role, alice, bob, lead
):
    grow(role, [alice, bob], 1)
    grow(role, [alice], 1, submitted=False)
    for size in (1, 6):
        if size > 1:
            grow(role, [alice, bob], size)
            grow(role, [alice], size, submitted=False)
        client.force_login(alice)
        # session, user, what the person is (for the navigation), scorecards
        with django_assert_num_queries(4):
            assert client.get(reverse("hiring:my_scorecards")).status_code == 200
        client.force_login(lead)
        with django_assert_num_queries(4):  # session, user, what they are, annotated roles
            assert client.get(reverse("hiring:my_roles")).status_code == 200


def test_the_scorecard_page_takes_a_constant_number_of_queries(
    client, django_assert_num_queries, role, alice, bob, ai_profile
):
    # A small interview (two competencies) then a large one (every competency).
    small = factories.make_interview(
        application=factories.ApplicationFactory(role=role),
        focus=["system-architecture", "integration-rag"],
        interviewers=[alice, bob],
    )
    large = factories.make_interview(
        application=factories.ApplicationFactory(role=role), interviewers=[alice, bob]
    )
    client.force_login(alice)
    for interview in (small, large):
        mine = interview.scorecards.get(interviewer=alice)
        url = reverse("hiring:scorecard", args=[mine.pk])
        services.scorecard_save_draft(
            scorecard=mine,
            by=alice,
            ratings=factories.complete_ratings(mine),
            overall_recommendation="yes",
        )
        # session, user, card, ratings, focus skills (with the interview's focus), their
        # interview questions, what the person is (for the navigation), and the audit
        # event of the read
        with django_assert_num_queries(8):
            assert client.get(url).status_code == 200
        services.scorecard_submit(scorecard=mine, by=alice)
        with django_assert_num_queries(7):  # read-only: no questions
            assert client.get(url).status_code == 200
        with django_assert_num_queries(8):  # the same, for the revise form
            assert client.get(reverse("hiring:scorecard_revise", args=[mine.pk])).status_code == 200


def test_the_candidate_page_takes_a_constant_number_of_queries(
    client, django_assert_num_queries, role, lead
):
    panel = [factories.UserFactory() for _ in range(4)]
    small = factories.ApplicationFactory(role=role)
    factories.submit(
        factories.make_interview(application=small, interviewers=panel[:1]).scorecards.get()
    )
    large = factories.ApplicationFactory(role=role)
    for name in ("Screen", "Deep dive"):
        interview = factories.make_interview(application=large, name=name, interviewers=panel)
        for card in interview.scorecards.select_related("interviewer"):
            factories.submit(card)
    # Corrections are read in one query however many there are.
    for card in large.interviews.first().scorecards.all()[:2]:
        services.scorecard_revise(
            scorecard=card, by=card.interviewer, reason="Typo.", summary="Corrected."
        )
    client.force_login(lead)
    for application in (small, large):
        # session, user, application, scorecards, their ratings, their corrections,
        # colleagues' pending drafts, what the person is, whether independent scoring
        # hides the application from them, the panel, and one audit insert for the
        # scorecards shown; for the lead, who decides: whether they may (the same
        # independence rule), the decisions, and the formula's view (the comparison's
        # stamp and four reads)
        with django_assert_num_queries(18):
            response = client.get(reverse("hiring:candidate", args=[application.pk]))
        assert response.status_code == 200
    assert len(response.context["cards"]) == 8


# ---------------------------------------------------------------------------
# Invited interviewers set their password by email
# ---------------------------------------------------------------------------


def test_an_invited_interviewer_sets_a_password_and_logs_in(client, settings, builtin_data):
    settings.SITE_URL = "https://scorecards.example.com"
    [invited] = services.users_get_or_invite(emails=["newbie@example.com"])
    assert not invited.has_usable_password()

    response = client.post("/accounts/password_reset/", {"email": "Newbie@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    [message] = mail.outbox
    assert message.to == ["newbie@example.com"]
    link = re.search(r"https://scorecards\.example\.com(/accounts/reset/\S+/)", message.body)
    assert link, message.body

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert response["Location"] == "/accounts/reset/done/"
    response = client.post(
        "/accounts/login/", {"username": "newbie@example.com", "password": "a-long-new-passphrase"}
    )
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == reverse("hiring:my_scorecards")


def test_the_password_change_page_uses_the_site_layout(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/password_change/").content.decode()
    assert "pages.css" in page
    assert '<label for="id_old_password">Old password</label>' in page


def test_home_takes_a_constant_number_of_queries(
    client, django_assert_num_queries, lead, role, alice
):
    client.force_login(lead)
    for size in (1, 5):
        grow(role, [lead, alice], size)
        # session, user, what the person is (groups, roles led, panels: one query, which
        # the navigation shares)
        with django_assert_num_queries(3):
            assert client.get("/").status_code == 200


def test_password_reset_does_not_say_whether_an_address_exists(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []
