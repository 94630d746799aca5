"""The role comparison read model, against expectations computed by hand.

The AI engineer profile has 28 skills in six competencies; software-engineering
(weight 1.0) has python-expertise, concurrent-services and testing-code-quality,
system-architecture (weight 1.5) has five skills, the last failure-handling.
"""

import krippendorff
import numpy as np
import pytest

from hiring import services
from hiring.comparison import comparison_stamp, queries, role_comparison
from hiring.comparison.stats import (
    CALIBRATION_PRIOR,
    agreement,
    interviewer_offsets,
    ordinal_alpha,
)
from hiring.models import Role
from tests import factories
from tests.factories import build_scored_role, scores

SE = ["software-engineering"]
SE_SA = ["software-engineering", "system-architecture"]
SA_SKILLS = [
    "application_flow_design",
    "multi_model_orchestration",
    "request_routing",
    "conversation_state",
    "failure_handling",
]


def system_architecture(*values):
    """Scores for the five system-architecture skills, in order."""
    return dict(zip(SA_SKILLS, values, strict=True))


def interview(role, people, focus=SE, name="Ann"):
    application = factories.ApplicationFactory(role=role, candidate__name=name)
    return factories.make_interview(application=application, focus=focus, interviewers=people)


def card(interview, person):
    return interview.scorecards.get(interviewer=person)


def candidate(data, name):
    return next(c for c in data["candidates"] if c["candidate"]["name"] == name)


def competency(entry, key):
    return next(c for c in entry["competencies"] if c["key"] == key)


def interviewer(data, person):
    return next(i for i in data["interviewers"] if i["email"] == person.email)


@pytest.fixture
def small_role(role, alice, bob, charlie):
    """Ann: two submitted scorecards and a draft; Ben: nothing; Cat: no decision only."""
    role.weight_overrides = {"software-engineering": 3}
    services.role_save(role=role)
    ann = interview(role, [alice, bob, charlie], focus=SE_SA, name="Ann")
    factories.submit(
        card(ann, alice),
        recommendation="yes",
        ratings=scores(
            python_expertise=3,
            concurrent_services=3,
            testing_code_quality=4,
            **system_architecture(2, 2, 2, 2, None),
        ),
    )
    factories.submit(
        card(ann, bob),
        recommendation="strong_yes",
        ratings=scores(
            python_expertise=3,
            concurrent_services=1,
            testing_code_quality=4,
            **system_architecture(3, 3, 3, 3, 3),
        ),
    )
    # Charlie's draft must not count.
    services.scorecard_save_draft(
        scorecard=card(ann, charlie),
        by=charlie,
        ratings=scores(python_expertise=1, concurrent_services=1, testing_code_quality=1),
    )
    interview(role, [bob], name="Ben")
    cat = interview(role, [alice], name="Cat")
    factories.submit(
        card(cat, alice),
        recommendation="no_decision",
        ratings=scores(python_expertise=None, concurrent_services=None, testing_code_quality=None),
    )
    return role


def test_it_averages_only_submitted_scores_per_competency(small_role):
    ann = candidate(role_comparison(small_role), "Ann")
    se = competency(ann, "software-engineering")
    # 3, 3, 4 from Alice and 3, 1, 4 from Bob; Charlie's draft 1s are ignored.
    assert (se["mean"], se["n"]) == (3.0, 6)
    sa = competency(ann, "system-architecture")
    # Alice: four 2s (failure-handling not assessed); Bob: five 3s -> 23 / 9.
    assert (sa["mean"], sa["n"]) == (round(23 / 9, 3), 9)
    assert competency(ann, "cost-performance") == {
        "key": "cost-performance",
        "mean": None,
        "calibrated_mean": None,
        "n": 0,
        "spread": None,
        "disagreement": False,
        "disagreement_skills": [],
    }


def test_ids_too_large_to_pack_fall_back_to_a_row_per_score(small_role, monkeypatch):

    packed = role_comparison(small_role)
    # With room for one bit of skill id, every real skill id overflows the packing.
    monkeypatch.setattr(queries, "SKILL_BITS", 1)
    assert role_comparison(small_role) == packed


def test_it_flags_interviewers_two_points_apart_on_a_skill(small_role):
    ann = candidate(role_comparison(small_role), "Ann")
    se = competency(ann, "software-engineering")
    assert (se["spread"], se["disagreement"]) == (2, True)  # concurrent-services: 3 vs 1
    assert se["disagreement_skills"] == ["concurrent-services"]
    sa = competency(ann, "system-architecture")
    assert (sa["spread"], sa["disagreement"], sa["disagreement_skills"]) == (1, False, [])


def test_it_weights_competencies_with_the_role_overrides(small_role):
    data = role_comparison(small_role)
    weights = {c["key"]: c["weight"] for c in data["profile"]["competencies"]}
    assert weights["software-engineering"] == 3.0  # overridden from 1.0
    assert weights["system-architecture"] == 1.5
    # Only competencies with scores count: (1.5 · 23/9 + 3 · 3.0) / (1.5 + 3).
    assert candidate(data, "Ann")["score"] == round((1.5 * 23 / 9 + 3 * 3.0) / 4.5, 3) == 2.852


def test_it_reports_coverage_and_the_skills_nobody_scored(small_role):
    ann = candidate(role_comparison(small_role), "Ann")
    # Three software-engineering skills and all five system-architecture ones
    # (Bob scored failure-handling) out of 28.
    assert ann["coverage"] == round(8 / 28, 3)
    assert len(ann["unassessed_skills"]) == 20
    assert "failure-handling" not in ann["unassessed_skills"]
    assert ann["unassessed_skills"][:2] == ["llm-api-integration", "vector-databases"]


def test_it_counts_scorecards_and_recommendations(small_role):
    data = role_comparison(small_role)
    ann, ben, cat = (candidate(data, name) for name in ("Ann", "Ben", "Cat"))
    assert ann["scorecards"] == {"submitted": 2, "pending": 1}
    assert ann["recommendations"] == {
        "definitely_not": 0,
        "no": 0,
        "yes": 1,
        "strong_yes": 1,
        "no_decision": 0,
    }
    assert ben["scorecards"] == {"submitted": 0, "pending": 1}
    assert cat["recommendations"]["no_decision"] == 1


def test_no_decision_and_not_assessed_never_count_as_scores(small_role):
    data = role_comparison(small_role)
    cat = candidate(data, "Cat")
    assert cat["scorecards"]["submitted"] == 1
    assert (cat["score"], cat["calibrated_score"], cat["rank"]) == (None, None, None)
    assert cat["coverage"] == 0.0
    assert len(cat["unassessed_skills"]) == 28


def test_it_ranks_scored_candidates_first_and_leaves_the_rest_unranked(small_role):
    data = role_comparison(small_role)
    assert [c["candidate"]["name"] for c in data["candidates"]] == ["Ann", "Ben", "Cat"]
    assert [c["rank"] for c in data["candidates"]] == [1, None, None]
    assert [c["calibrated_rank"] for c in data["candidates"]] == [1, None, None]


def test_equal_scores_share_a_rank_and_are_listed_by_name(role, alice):
    for name in ("Zoe", "Yan", "Xia"):
        card_ = card(interview(role, [alice], name=name), alice)
        factories.submit(card_, score=2 if name == "Xia" else 3)
    data = role_comparison(role)
    assert [(c["candidate"]["name"], c["rank"]) for c in data["candidates"]] == [
        ("Yan", 1),
        ("Zoe", 1),
        ("Xia", 3),
    ]


def test_scores_pinned_to_an_older_profile_version_count_under_the_same_skill_keys(role, alice):
    card_ = card(interview(role, [alice], name="Ann"), alice)
    factories.submit(card_, score=4)
    role.profile = services.profile_new_version(profile=role.profile).profile
    services.role_save(role=role)
    data = role_comparison(role)
    assert data["profile"]["version"] == 2
    ann = candidate(data, "Ann")
    assert competency(ann, "software-engineering")["mean"] == 4.0
    assert ann["coverage"] == round(3 / 28, 3)


# ---------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------


def test_a_lenient_and_a_harsh_interviewer_get_offsets_of_opposite_sign(role, alice, bob, charlie):
    """Alice scores one point above Bob and Charlie one below, on every shared skill.

    With three raters per cell the cell mean is Bob's score, and by symmetry
    Bob's offset is 0 and Alice's = −Charlie's. The first row of
    (diag(n + λ) − C)·o = b then reads (n + λ)·o_a − (n/3)(o_a + o_b + o_c) = n,
    so o_a = n / (n + λ): 12 shared ratings (4 candidates × 3 skills), λ = 10.
    """
    for i, name in enumerate(("Ann", "Ben", "Cat", "Dan")):
        interview_ = interview(role, [alice, bob, charlie], name=name)
        base = 2 + i % 2
        for person, shift in ((alice, 1), (bob, 0), (charlie, -1)):
            factories.submit(card(interview_, person), score=base + shift)
    data = role_comparison(role)
    expected = 12 / (12 + CALIBRATION_PRIOR)
    assert interviewer(data, alice)["offset"] == pytest.approx(expected, abs=1e-3)
    assert interviewer(data, charlie)["offset"] == pytest.approx(-expected, abs=1e-3)
    assert interviewer(data, bob)["offset"] == pytest.approx(0, abs=1e-3)
    assert interviewer(data, alice)["offset"] > 0 > interviewer(data, charlie)["offset"]
    assert interviewer(data, alice)["ratings"] == interviewer(data, alice)["shared_ratings"] == 12
    # Removing the offsets leaves every calibrated score on the cell mean (Bob's).
    ann = candidate(data, "Ann")
    assert ann["score"] == 2.0
    assert ann["calibrated_score"] == 2.0


def test_offsets_shrink_toward_zero_with_few_ratings(role, alice, bob):
    """Alice one point above Bob on 3 shared skills: o_a = n·d / (2(n + λ)) = 3 / 26."""
    ann = interview(role, [alice, bob], name="Ann")
    factories.submit(card(ann, alice), score=3)
    factories.submit(card(ann, bob), score=2)
    data = role_comparison(role)
    assert interviewer(data, alice)["offset"] == pytest.approx(3 / 26, abs=1e-3)
    assert interviewer(data, bob)["offset"] == pytest.approx(-3 / 26, abs=1e-3)


def test_offsets_learnt_in_another_role_calibrate_this_one(ai_profile, lead, alice, bob):
    """In role A Alice scores 3 and Bob 2 on 8 shared skills: o_a = 8 / (2 · 18) = 2/9.

    In role B each scores one candidate alone with 3s: the raw scores tie, the
    calibrated ones come apart: 3 − 2/9 for Alice's candidate, 3 + 2/9 for Bob's.
    """
    role_a = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
    role_b = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
    shared = interview(role_a, [alice, bob], focus=SE_SA, name="Shared")
    factories.submit(card(shared, alice), score=3)
    factories.submit(card(shared, bob), score=2)
    factories.submit(card(interview(role_b, [alice], name="Xia"), alice), score=3)
    factories.submit(card(interview(role_b, [bob], name="Yan"), bob), score=3)

    data = role_comparison(role_b)
    assert interviewer(data, alice)["offset"] == pytest.approx(2 / 9, abs=1e-3)
    assert interviewer(data, alice)["ratings"] == 11  # 8 in role A + 3 in role B
    assert interviewer(data, alice)["shared_ratings"] == 8
    assert interviewer(data, alice)["role_ratings"] == 3
    xia, yan = candidate(data, "Xia"), candidate(data, "Yan")
    assert xia["score"] == yan["score"] == 3.0
    assert xia["rank"] == yan["rank"] == 1
    assert xia["calibrated_score"] == pytest.approx(3 - 2 / 9, abs=1e-3)
    assert yan["calibrated_score"] == pytest.approx(3 + 2 / 9, abs=1e-3)
    assert (yan["calibrated_rank"], xia["calibrated_rank"]) == (1, 2)


def test_calibrated_scores_stay_on_the_one_to_four_scale(ai_profile, lead, alice, bob):
    """Alice scores 1 where Bob scores 4 in role A, so her 4s in role B calibrate above 4."""
    role_a = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
    role_b = factories.RoleFactory(profile=ai_profile, hiring_lead=lead)
    shared = interview(role_a, [alice, bob], focus=SE_SA, name="Shared")
    factories.submit(card(shared, alice), score=1)
    factories.submit(card(shared, bob), score=4)
    factories.submit(card(interview(role_b, [alice], name="Xia"), alice), score=4)

    data = role_comparison(role_b)
    assert interviewer(data, alice)["offset"] == pytest.approx(-8 * 3 / (2 * 18), abs=1e-3)
    assert candidate(data, "Xia")["calibrated_score"] == 4.0
    assert competency(candidate(data, "Xia"), "software-engineering")["calibrated_mean"] == 4.0


def test_the_offset_solver_recovers_a_known_leniency_from_plenty_of_ratings():
    rng = np.random.default_rng(7)
    truth = {1: 0.6, 2: 0.0, 3: -0.6}
    cells = np.repeat(np.arange(600), 3)
    raters = np.tile([1, 2, 3], 600)
    level = rng.uniform(1.5, 3.5, 600)
    values = level[cells] + np.array([truth[r] for r in raters]) + rng.normal(0, 0.3, len(cells))
    offsets, rated, shared = interviewer_offsets(raters=raters, cells=cells, scores=values)
    for person, offset in truth.items():
        assert offsets[person] == pytest.approx(offset, abs=0.05)
    assert rated == shared == {1: 600, 2: 600, 3: 600}


def test_the_offsets_do_not_depend_on_how_the_cells_are_split_into_blocks(monkeypatch):
    rng = np.random.default_rng(3)
    raters = rng.integers(1, 9, 2000)
    cells = rng.integers(0, 400, 2000)
    scores = rng.integers(1, 5, 2000)
    whole, _, _ = interviewer_offsets(raters=raters, cells=cells, scores=scores)
    monkeypatch.setattr("hiring.comparison.stats.PAIR_BLOCK_ELEMENTS", 24)  # three cells a block
    blocks, _, _ = interviewer_offsets(raters=raters, cells=cells, scores=scores)
    assert blocks == pytest.approx(whole)
    assert any(abs(v) > 0.01 for v in whole.values())


# ---------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------


def test_alpha_matches_a_hand_computed_ordinal_value(role, alice, bob):
    """Six units (candidate × skill) scored by Alice and Bob:
    (3,3) (2,3) (4,4) | (1,2) (3,3) (2,2).

    Coincidences: o12 = o23 = 1 (and symmetric), o22 = 2, o33 = 4, o44 = 2, so
    n1..n4 = 1, 4, 5, 2 and n = 12. Ordinal distances δ²(c,k) =
    (Σ_{g=c..k} n_g − (n_c + n_k)/2)²: δ²12 = 6.25, δ²13 = 49, δ²14 = 110.25,
    δ²23 = 20.25, δ²24 = 64, δ²34 = 12.25. Then
    α = 1 − (n − 1)·Σ o·δ² / Σ n_c·n_k·δ² = 1 − 11 · 26.5 / 1530 = 0.809.
    """
    ann, ben = interview(role, [alice, bob], name="Ann"), interview(role, [alice, bob], name="Ben")
    factories.submit(
        card(ann, alice),
        ratings=scores(python_expertise=3, concurrent_services=2, testing_code_quality=4),
    )
    factories.submit(
        card(ann, bob),
        ratings=scores(python_expertise=3, concurrent_services=3, testing_code_quality=4),
    )
    factories.submit(
        card(ben, alice),
        ratings=scores(python_expertise=1, concurrent_services=3, testing_code_quality=2),
    )
    factories.submit(
        card(ben, bob),
        ratings=scores(python_expertise=2, concurrent_services=3, testing_code_quality=2),
    )
    result = role_comparison(role)["agreement"]
    assert result["alpha"] == round(1 - 11 * 26.5 / 1530, 3) == 0.809
    assert result["interpretation"] == "good"
    assert (result["units"], result["ratings"]) == (6, 12)


def test_alpha_matches_krippendorffs_worked_example():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability", p. 8: four
    coders, twelve units, values 1–5 with gaps; ordinal alpha = 0.815."""
    nan = np.nan
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
        ]
    )
    counts = np.stack([(data == v).sum(axis=0) for v in range(1, 6)], axis=1)
    assert round(ordinal_alpha(counts), 3) == 0.815


def test_alpha_agrees_with_the_krippendorff_package_on_random_panels():
    rng = np.random.default_rng(11)
    for _ in range(20):
        counts = rng.multinomial(rng.integers(2, 6), rng.dirichlet([1, 1, 1, 1]), size=50)
        expected = krippendorff.alpha(
            value_counts=counts, value_domain=[1, 2, 3, 4], level_of_measurement="ordinal"
        )
        assert ordinal_alpha(counts) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("pairs", "interpretation"),
    [
        ([(1, 1), (2, 2), (3, 3), (4, 4), (2, 2), (3, 4)], "good"),
        ([(1, 2), (2, 3), (3, 3), (4, 4), (2, 2), (4, 3)], "tentative"),
        ([(1, 4), (4, 1), (2, 3), (3, 2), (1, 1), (4, 4)], "too low to draw conclusions"),
    ],
)
def test_alpha_is_interpreted_against_the_usual_thresholds(pairs, interpretation):
    units = np.repeat(np.arange(len(pairs)), 2)
    values = np.array([v for pair in pairs for v in pair])
    result = agreement(units=units, scores=values)
    assert result["interpretation"] == interpretation
    assert result["alpha"] is not None


def test_alpha_is_null_with_a_reason_when_it_cannot_be_computed(role, alice, bob):
    solo = interview(role, [alice], name="Ann")
    factories.submit(card(solo, alice), score=3)
    result = role_comparison(role)["agreement"]
    assert result["alpha"] is None
    assert result["interpretation"] == "not computable"
    assert "two interviewers" in result["explanation"]

    pair = interview(role, [alice, bob], name="Ben")
    factories.submit(card(pair, alice), score=3)
    factories.submit(card(pair, bob), score=3)
    result = role_comparison(role)["agreement"]
    assert (result["alpha"], result["interpretation"]) == (None, "not computable")
    assert "same score" in result["explanation"]


# ---------------------------------------------------------------------------
# A constant number of queries
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 10, 100])
def test_the_comparison_runs_four_queries_whatever_the_size_of_the_role(
    ai_profile, lead, size, django_assert_num_queries
):
    role = build_scored_role(profile=ai_profile, lead=lead, candidates=size, panel=4, pool=6).role
    role = Role.objects.select_related("profile").get(pk=role.pk)
    with django_assert_num_queries(4):
        data = role_comparison(role)
    assert len(data["candidates"]) == size
    assert all(c["scorecards"]["submitted"] == 4 for c in data["candidates"])
    assert all(c["coverage"] == 1.0 for c in data["candidates"])


@pytest.mark.parametrize("size", [1, 10, 100])
def test_the_etag_takes_one_query_whatever_the_size_of_the_role(
    ai_profile, lead, size, django_assert_num_queries
):
    role = build_scored_role(profile=ai_profile, lead=lead, candidates=size, panel=4, pool=6).role
    with django_assert_num_queries(1):
        stamp = comparison_stamp(role.pk)
    assert stamp.hiring_lead_id == lead.pk
