"""The compare page and the comparison, for a debrief (issue 11, section 4): the ranking
first, completeness, sorting both ways, named disagreements, the radar chart's gaps."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from hiring import comparison, services
from hiring.models import Skill
from hiring.pages.views import candidates
from hiring.templatetags.hiring_charts import radar_chart
from tests import factories
from tests.test_pages_compare import FOCUS, interviewed, names

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(role, alice, bob):
    return interviewed(role, "Sam Split", [alice, bob], [4, 2], ["strong_yes", "no"])


@pytest.fixture
def steady(role, alice, bob):
    return interviewed(role, "Ada Steady", [alice, bob], [3, 3], ["yes", "yes"])


@pytest.fixture
def waiting(role, alice):
    application = factories.ApplicationFactory(role=role, candidate__name="Wes Waiting")
    factories.make_interview(application=application, focus=FOCUS, interviewers=[alice])
    return application


@pytest.fixture
def compare_url(role):
    return reverse("hiring:compare", args=[role.pk])


def every_competency(role):
    return list(role.profile.competencies.values_list("key", flat=True))


def test_the_radar_geometry_puts_4_on_the_rim_and_leaves_unassessed_as_a_gap():
    chart = radar_chart(["A", "B", "C", "D"], [{"name": "X", "values": [4, None, 2, 4]}])
    cx, cy = chart["cx"], chart["cy"]
    series = chart["series"][0]
    # No closed polygon through the centre: an outline between assessed neighbours only.
    assert series["points"] == ""
    segments = [
        [tuple(map(float, p.split(","))) for p in seg.split("L")]
        for seg in series["outline"].split("M")[1:]
    ]
    rim = [tuple(map(float, p.split(","))) for p in chart["rings"][-1]["points"].split()]
    c = segments[0][0]
    assert segments == [[c, rim[3]], [rim[3], rim[0]]]  # C–D and D–A; nothing reaches B
    assert (cx, cy) not in {point for seg in segments for point in seg}
    half = ((c[0] - cx) ** 2 + (c[1] - cy) ** 2) ** 0.5
    full = ((rim[2][0] - cx) ** 2 + (rim[2][1] - cy) ** 2) ** 0.5
    assert half == pytest.approx(full / 2, abs=0.2)
    # Unassessed axes get no marker, so the reader is not shown a score of 0.
    assert len(series["markers"]) == 3


def test_a_fully_assessed_candidate_is_a_closed_polygon():
    chart = radar_chart(["A", "B", "C"], [{"name": "X", "values": [4, 3, 2]}])
    assert len(chart["series"][0]["points"].split()) == 3
    assert chart["series"][0]["outline"] == ""


def test_sorting_a_column_again_reverses_it(client, lead, split, steady, waiting, compare_url):
    client.force_login(lead)
    response = client.get(compare_url, {"sort": "name"})
    assert names(response) == ["Ada Steady", "Sam Split", "Wes Waiting"]
    link = response.context["sort_links"]["name"]
    assert link["url"].startswith("?sort=name&dir=desc")
    response = client.get(compare_url + link["url"])
    assert names(response) == ["Wes Waiting", "Sam Split", "Ada Steady"]
    assert response.context["sort_links"]["name"]["url"].startswith("?sort=name&dir=asc")
    assert 'aria-sort="descending"' in response.content.decode()
    # Another column starts in its own order (scores: highest first).
    assert response.context["sort_links"]["score"]["url"].startswith("?sort=score&dir=desc")


def test_disagreement_names_the_skills(client, lead, split, compare_url):
    client.force_login(lead)
    response = client.get(compare_url)
    row = response.context["rows"][0]
    focus_skills = set(
        Skill.objects.filter(
            competency__profile=split.role.profile, competency__key__in=FOCUS
        ).values_list("name", flat=True)
    )
    assert row["disagreement_skills"] and set(row["disagreement_skills"]) <= focus_skills
    assert escape(row["disagreement_skills"][0]) in response.content.decode()


def test_the_ranking_comes_first_and_the_statistics_are_one_note_with_details(
    client, lead, split, steady, compare_url
):
    client.force_login(lead)
    page = client.get(compare_url).content.decode()
    assert page.index('id="ranking-heading"') < page.index('id="statistics-heading"')
    note = page[page.index('id="statistics-heading"') :]
    assert note.index('class="plain-note"') < note.index("<details") < note.index("α =")


def test_show_on_the_chart_returns_to_the_chart(client, lead, split, compare_url):
    client.force_login(lead)
    assert 'action="#radar-heading"' in client.get(compare_url).content.decode()


def test_incomplete_candidates_are_never_ranked_above_complete_ones(role, alice, bob):
    everything = every_competency(role)
    # Full marks, but Bob's scorecard is still a draft.
    eager = factories.ApplicationFactory(role=role, candidate__name="Eve Eager")
    interview = factories.make_interview(
        application=eager, focus=everything, interviewers=[alice, bob]
    )
    factories.submit(interview.scorecards.get(interviewer=alice), score=4)
    # Full marks on two competencies only: the rest of the role's focus is not covered.
    narrow = interviewed(role, "Nat Narrow", [alice], [4], ["yes"])
    # Lower, but every competency scored and nothing pending.
    done = factories.ApplicationFactory(role=role, candidate__name="Cal Complete")
    interview = factories.make_interview(application=done, focus=everything, interviewers=[alice])
    factories.submit(interview.scorecards.get(interviewer=alice), score=2)

    data = comparison.role_comparison(role)
    rows = {row["candidate"]["name"]: row for row in data["candidates"]}
    assert [row["candidate"]["name"] for row in data["candidates"]] == [
        "Cal Complete",
        "Eve Eager",
        "Nat Narrow",
    ]
    assert (rows["Cal Complete"]["complete"], rows["Cal Complete"]["rank"]) == (True, 1)
    assert rows["Cal Complete"]["incomplete_reasons"] == []
    assert rows["Eve Eager"]["complete"] is False
    assert rows["Eve Eager"]["incomplete_reasons"] == ["pending_scorecards"]
    assert rows["Eve Eager"]["score"] == 4.0 and rows["Eve Eager"]["rank"] == 2
    assert rows["Nat Narrow"]["incomplete_reasons"] == ["focus_not_covered"]
    assert set(rows["Nat Narrow"]["uncovered_competencies"]) == set(everything) - set(FOCUS)
    assert rows["Nat Narrow"]["rank"] == 2  # ties with Eve at 4.0, both after Cal
    assert narrow.pk == rows["Nat Narrow"]["application"]


def test_the_compare_page_marks_incomplete_candidates(client, lead, role, alice, bob):
    everything = every_competency(role)
    done = factories.ApplicationFactory(role=role, candidate__name="Cal Complete")
    interview = factories.make_interview(application=done, focus=everything, interviewers=[alice])
    factories.submit(interview.scorecards.get(interviewer=alice), score=2)
    interviewed(role, "Nat Narrow", [alice], [4], ["yes"])
    client.force_login(lead)
    response = client.get(reverse("hiring:compare", args=[role.pk]))
    assert names(response) == ["Cal Complete", "Nat Narrow"]
    page = response.content.decode()
    assert page.count("flag-incomplete") == 1
    assert "not scored:" in page


def test_the_api_exposes_completeness(api_client, lead, role, alice, bob):
    interviewed(role, "Nat Narrow", [alice], [4], ["yes"])
    response = api_client(lead).get(f"/api/v1/roles/{role.pk}/comparison/")
    assert response.status_code == 200
    row = response.json()["candidates"][0]
    assert row["complete"] is False
    assert row["incomplete_reasons"] == ["focus_not_covered"]


# ---------------------------------------------------------------------------
# The candidate page: the panel first, then the skills; corrections marked on their card
# ---------------------------------------------------------------------------


@pytest.fixture
def revised(application, alice, bob, charlie):
    """Alice submitted, then corrected a score, a note, her summary and recommendation;
    Bob submitted; Charlie still has a draft."""
    interview = factories.make_interview(
        application=application, focus=FOCUS, interviewers=[alice, bob, charlie]
    )
    card = interview.scorecards.get(interviewer=alice)
    factories.submit(card, score=2, recommendation="no")
    factories.submit(interview.scorecards.get(interviewer=bob), score=3)
    ratings = factories.complete_ratings(card, 2)
    first = ratings[0].skill
    ratings[0] = services.RatingInput(skill=first, score=4, note="Designed it end to end.")
    services.scorecard_revise(
        scorecard=card,
        by=alice,
        reason="Mixed up two candidates.",
        ratings=ratings,
        overall_recommendation="strong_yes",
        summary="Strong system designer.",
    )
    return {"application": application, "card": card, "skill": first}


def test_the_candidate_page_shows_the_panel_first_with_each_status(client, lead, revised):
    client.force_login(lead)
    response = client.get(reverse("hiring:candidate", args=[revised["application"].pk]))
    page = response.content.decode()
    assert page.index('id="panel-heading"') < page.index('id="side-by-side-heading"')
    members = {m["member"].interviewer.full_name: m for m in response.context["members"]}
    assert {name: m["status"] for name, m in members.items()} == {
        "Alice Adams": "submitted",
        "Bob Brown": "submitted",
        "Charlie Chen": "draft",
    }
    assert members["Alice Adams"]["card"].summary == "Strong system designer."
    assert members["Charlie Chen"]["card"] is None
    panel = page[page.index('id="panel-heading"') : page.index('id="side-by-side-heading"')]
    assert "(2 of 3 submitted, 1 pending)" in panel
    assert "Strong system designer." in panel and "Strong yes" in panel
    # Nothing shown twice: no separate pending list, no recommendation row in the table.
    assert "Feedback still pending" not in page
    # (the decision section below it starts from the recommendation tally: not the table)
    table = page[page.index('id="side-by-side-heading"') : page.index('id="decision-heading"')]
    assert "Strong system designer." not in table and "Strong yes" not in table


def test_a_correction_is_marked_on_its_card_with_what_changed(client, lead, revised):
    client.force_login(lead)
    response = client.get(reverse("hiring:candidate", args=[revised["application"].pk]))
    members = {m["member"].interviewer.full_name: m for m in response.context["members"]}
    assert members["Bob Brown"]["revisions"] == []
    [revision] = members["Alice Adams"]["revisions"]
    assert revision["revision"].reason == "Mixed up two candidates."
    skill = Skill.objects.filter(key=revised["skill"]).first().name
    changes = {c["what"]: (c["old"], c["new"]) for c in revision["changes"]}
    assert changes == {
        "Recommendation": ("No", "Strong yes"),
        "Summary": ("", "Strong system designer."),
        f"{skill}: score": ("2", "4"),
        f"{skill}: note": ("Seen in the interview.", "Designed it end to end."),
    }
    page = response.content.decode()
    alice = page[page.index("Alice Adams") : page.index("Bob Brown")]
    assert "Revised" in alice and "<del>No</del>" in alice and "<ins>Strong yes</ins>" in alice


def test_each_correction_is_compared_with_the_next_one():
    class Card:
        overall_recommendation, summary = "yes", "Third."

        class revisions:  # noqa: N801 - stands in for the related manager
            @staticmethod
            def all():
                return [Revision(1, "no", "First."), Revision(2, "no", "Second.")]

        class ratings:  # noqa: N801
            @staticmethod
            def all():
                return []

    class Revision:
        def __init__(self, number, recommendation, summary):
            self.number = number
            self.previous = {
                "overall_recommendation": recommendation,
                "summary": summary,
                "ratings": [],
            }

    first, second = candidates.revision_changes(Card)
    assert [(c["what"], c["old"], c["new"]) for c in first["changes"]] == [
        ("Summary", "First.", "Second.")
    ]
    assert [(c["what"], c["old"], c["new"]) for c in second["changes"]] == [
        ("Recommendation", "No", "Yes"),
        ("Summary", "Second.", "Third."),
    ]


def test_a_lead_with_a_draft_sees_no_colleagues_correction(client, revised, lead):
    application = revised["application"]
    interview = factories.make_interview(application=application, interviewers=[lead])
    assert interview.scorecards.get(interviewer=lead).status == "draft"
    client.force_login(lead)
    page = client.get(reverse("hiring:candidate", args=[application.pk])).content.decode()
    assert "Mixed up two candidates." not in page and "Strong system designer." not in page
    assert "Revised" not in page


def test_the_csv_says_who_is_incomplete_and_why(api_client, lead, role, alice, bob):
    interviewed(role, "Nat Narrow", [alice], [4], ["yes"])
    response = api_client(lead).get(f"/api/v1/roles/{role.pk}/comparison/?format=csv")
    assert response.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["complete"], row["incomplete_reasons"]) == ("false", "focus_not_covered")
    assert "software-engineering" in row["uncovered_competencies"].split()
