"""The hiring lead's comparison page (built on ``hiring.comparison``)."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils.html import escape

from hiring import comparison
from hiring.models import Skill
from tests import factories

FOCUS = ["system-architecture", "integration-rag"]


def interviewed(role, name, panel, scores, recommendations):
    """A candidate interviewed on FOCUS, each interviewer scoring every skill alike."""
    application = factories.ApplicationFactory(role=role, candidate__name=name)
    interview = factories.make_interview(application=application, focus=FOCUS, interviewers=panel)
    for person, score, recommendation in zip(panel, scores, recommendations, strict=True):
        card = interview.scorecards.get(interviewer=person)
        factories.submit(card, score=score, recommendation=recommendation)
    return application


@pytest.fixture
def split(role, alice, bob):
    """Alice gives 4s and Bob 2s: a 2-point disagreement on every skill."""
    return interviewed(role, "Sam Split", [alice, bob], [4, 2], ["strong_yes", "no"])


@pytest.fixture
def steady(role, alice, bob):
    return interviewed(role, "Ada Steady", [alice, bob], [3, 3], ["yes", "yes"])


@pytest.fixture
def waiting(role, alice):
    """Interviewed, nothing submitted yet."""
    application = factories.ApplicationFactory(role=role, candidate__name="Wes Waiting")
    factories.make_interview(application=application, focus=FOCUS, interviewers=[alice])
    return application


@pytest.fixture
def compare_url(role):
    return reverse("hiring:compare", args=[role.pk])


def names(response):
    return [row["name"] for row in response.context["rows"]]


def test_the_hiring_lead_sees_the_comparison_of_their_role(
    client, lead, role, split, steady, waiting, compare_url
):
    client.force_login(lead)
    response = client.get(compare_url)
    assert response.status_code == 200
    data = comparison.role_comparison(role)
    by_app = {c["application"]: c for c in data["candidates"]}
    for row in response.context["rows"]:
        expected = by_app[row["application"]]
        assert row["score"] == expected["score"]
        assert row["calibrated_score"] == expected["calibrated_score"]
        assert [cell["mean"] for cell in row["cells"]] == [
            c["mean"] for c in expected["competencies"]
        ]
    page = response.content.decode()
    assert f'href="/api/v1/roles/{role.pk}/comparison/?format=csv"' in page
    assert reverse("hiring:candidate", args=[split.pk]) in page


def test_heatmap_cells_print_the_mean_n_and_spread_and_flag_disagreement(
    client, lead, split, steady, compare_url
):
    client.force_login(lead)
    response = client.get(compare_url)
    rows = {row["name"]: row for row in response.context["rows"]}
    architecture = rows["Sam Split"]["cells"][0]
    # Five system-architecture skills, each scored 4 by Alice and 2 by Bob.
    assert (architecture["mean"], architecture["n"], architecture["spread"]) == (3.0, 10, 2)
    assert architecture["disagreement"]
    assert not rows["Ada Steady"]["cells"][0]["disagreement"]
    page = response.content.decode()
    heatmap = page[page.index('class="heatmap"') :]
    split_row = heatmap[
        heatmap.index("Sam Split") : heatmap.index("</tr>", heatmap.index("Sam Split"))
    ]
    assert re.search(
        r'<span class="mean">3\.0</span>\s*<span class="stats">n=10 · spread 2</span>', split_row
    )
    assert '<span class="flag flag-split">split</span>' in split_row
    # The colour is a background; the number is printed in every assessed cell.
    assert split_row.count('<span class="mean">') == len(response.context["competencies"])


def test_coverage_gaps_name_the_unassessed_skills(client, lead, role, steady, compare_url):
    client.force_login(lead)
    response = client.get(compare_url)
    [row] = response.context["rows"]
    outside_focus = Skill.objects.filter(competency__profile=role.profile).exclude(
        competency__key__in=FOCUS
    )
    assert sorted(row["unassessed"]) == sorted(skill.name for skill in outside_focus)
    page = response.content.decode()
    assert f"{outside_focus.count()} skills unassessed" in page
    gaps = page[page.index('<details class="gaps">') :]
    assert all(f"<li>{escape(skill.name)}</li>" in gaps for skill in outside_focus)


def test_recommendation_tallies_are_shown_per_candidate(client, lead, split, compare_url):
    client.force_login(lead)
    [row] = client.get(compare_url).context["rows"]
    assert row["tallies"] == [("no", "No", 1), ("strong_yes", "Strong yes", 1)]


def test_it_sorts_by_weighted_score_calibrated_score_or_name(
    client, lead, split, steady, waiting, compare_url
):
    client.force_login(lead)
    by_score = client.get(compare_url)
    scores = [row["score"] for row in by_score.context["rows"]]
    assert scores[-1] is None and scores[:-1] == sorted(scores[:-1], reverse=True)
    assert 'aria-sort="descending"><a class="sort-link" href="?sort=score' in (
        by_score.content.decode()
    )

    by_calibrated = client.get(compare_url, {"sort": "calibrated"})
    calibrated = [row["calibrated_score"] for row in by_calibrated.context["rows"]]
    assert calibrated[-1] is None and calibrated[:-1] == sorted(calibrated[:-1], reverse=True)

    by_name = client.get(compare_url, {"sort": "name"})
    assert names(by_name) == ["Ada Steady", "Sam Split", "Wes Waiting"]
    assert 'aria-sort="ascending"' in by_name.content.decode()

    assert names(client.get(compare_url, {"sort": "nonsense"})) == names(by_score)


def test_sort_links_keep_the_radar_selection(client, lead, split, steady, compare_url):
    client.force_login(lead)
    response = client.get(compare_url, {"compare": [steady.pk]})
    assert response.context["sort_links"]["calibrated"]["url"] == (
        f"?sort=calibrated&dir=desc&compare={steady.pk}"
    )


def test_the_radar_chart_draws_the_chosen_candidates(client, lead, split, steady, compare_url):
    client.force_login(lead)
    response = client.get(compare_url, {"compare": [steady.pk]})
    page = response.content.decode()
    assert page.count('<g class="series"') == 1
    assert 'data-name="Ada Steady"' in page
    assert re.search(rf'id="compare-{steady.pk}" checked', page)
    assert not re.search(rf'id="compare-{split.pk}" checked', page)


def test_the_radar_chart_shows_the_top_candidates_when_none_are_chosen(
    client, lead, role, alice, bob, compare_url
):
    for index in range(6):
        interviewed(role, f"Candidate {index}", [alice, bob], [1 + index % 4, 3], ["yes", "yes"])
    client.force_login(lead)
    response = client.get(compare_url)
    ranked = response.context["rows"][:4]
    assert response.context["chosen"] == [row["application"] for row in ranked]
    assert response.content.decode().count('<g class="series"') == 4
    assert "Showing the top 4 by weighted score." in response.content.decode()


def test_choosing_more_than_four_says_so_and_draws_four(
    client, lead, role, alice, bob, compare_url
):
    chosen = [
        interviewed(role, f"Candidate {index}", [alice, bob], [3, 3], ["yes", "yes"]).pk
        for index in range(5)
    ]
    client.force_login(lead)
    response = client.get(compare_url, {"compare": chosen})
    assert response.context["too_many"]
    page = response.content.decode()
    assert page.count('<g class="series"') == 4
    assert "Choose up to 4 candidates" in page


def test_candidates_of_other_roles_are_ignored_in_the_selection(
    client, lead, split, compare_url, ai_profile
):
    elsewhere = factories.ApplicationFactory(role=factories.RoleFactory(profile=ai_profile))
    client.force_login(lead)
    response = client.get(compare_url, {"compare": [elsewhere.pk, "x", split.pk]})
    assert response.status_code == 200
    assert response.context["chosen"] == [split.pk]


def test_only_the_lead_and_recruiters_may_compare(
    client, role, split, alice, other_lead, recruiter, compare_url
):
    client.force_login(alice)  # on the panel, so she sees the role, but may not compare
    assert client.get(compare_url).status_code == 404
    client.force_login(other_lead)
    assert client.get(compare_url).status_code == 404
    client.force_login(recruiter)
    assert client.get(compare_url).status_code == 200
    client.logout()
    assert client.get(compare_url)["Location"].startswith("/accounts/login/")


# session, user, role (with its profile), the comparison's stamp and its four queries
# (computed: nothing is cached yet), the pending drafts, what the person is (for the
# navigation), what independent scoring hides from them, the audit event of the read,
# the two of the competencies no interview covers, and the current decisions
QUERIES = 3 + 1 + 4 + 1 + 1 + 1 + 1 + 2 + 1


def test_the_comparison_page_takes_a_constant_number_of_queries(
    client, django_assert_num_queries, lead, role, alice, bob, compare_url, settings
):
    settings.COMPARISON_STALE_SECONDS = 0  # computed again after the new submissions
    interviewed(role, "First", [alice, bob], [3, 2], ["yes", "no"])
    client.force_login(lead)
    with django_assert_num_queries(QUERIES) as small:
        client.get(compare_url)
    for index in range(9):
        interviewed(role, f"More {index}", [alice, bob], [1 + index % 4, 3], ["yes", "yes"])
    with django_assert_num_queries(QUERIES) as large:
        response = client.get(compare_url)
    assert len(response.context["rows"]) == 10
    assert len(small.captured_queries) == len(large.captured_queries)


def kept_tables(role):
    return caches["comparison"].get(f"comparison:role:{role.pk}:page")


def test_a_second_view_is_served_the_kept_tables_with_no_more_queries(
    client, django_assert_num_queries, lead, role, split, steady, compare_url
):
    client.force_login(lead)
    first = client.get(compare_url)
    assert kept_tables(role) is not None
    # The comparison is kept too now: its four queries are not run again.
    with django_assert_num_queries(QUERIES - 4):
        second = client.get(compare_url)
    assert second.context["tables"] == first.context["tables"]
    by_name = client.get(compare_url, {"sort": "name", "dir": "desc"})
    assert by_name.context["tables"]["ranking"] != first.context["tables"]["ranking"]


def test_the_kept_tables_follow_what_is_shown_beyond_the_comparison(
    client, lead, role, steady, charlie, compare_url
):
    """Who still owes feedback is no part of the comparison (nor of its ETag): renaming
    them shows at once, though the tables were kept."""
    factories.make_interview(application=steady, focus=FOCUS, interviewers=[charlie])
    client.force_login(lead)
    etag = comparison.comparison_stamp(role.pk).etag
    assert "Charlie" in client.get(compare_url).context["tables"]["ranking"]
    charlie.full_name = "Charles Renamed"
    charlie.save()
    assert comparison.comparison_stamp(role.pk).etag == etag
    assert "Charles Renamed" in client.get(compare_url).context["tables"]["ranking"]


def test_a_viewer_never_gets_the_tables_kept_for_another_who_may_see_more(
    client, lead, recruiter, role, split, steady, compare_url
):
    factories.make_interview(application=steady, focus=FOCUS, interviewers=[lead])
    client.force_login(recruiter)
    assert "hidden-row" not in client.get(compare_url).content.decode()
    client.force_login(lead)
    assert "Hidden until you submit your scorecard" in client.get(compare_url).content.decode()
    client.force_login(recruiter)
    assert "hidden-row" not in client.get(compare_url).content.decode()
