"""What a hiring lead trying the intake tripped over: the AI answer always first, a
"follow up on the points below" line with nothing below, a bare 403 for interviewers."""

import pytest
from django.test import Client

from hiring.intake import services as intake
from hiring.models import IntakeQuestion

START = "/intake/"

pytestmark = pytest.mark.usefixtures("builtin_data")


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_the_ai_answer_first_in_half_of_the_questions_and_the_ml_one_in_the_other():
    firsts = [
        question.answers.all()[0].points_to
        for question in IntakeQuestion.objects.prefetch_related("answers")
    ]
    assert firsts.count("ai-engineer") == firsts.count("ml-engineer") == len(firsts) // 2
    # Alternating, so neither profile is the habitual first choice.
    assert all(a != b for a, b in zip(firsts, firsts[1:], strict=False))


def test_the_page_shows_the_answers_in_the_stored_alternating_order(lead):
    html = as_(lead).get(START).content.decode()
    for question in IntakeQuestion.objects.prefetch_related("answers"):
        fieldset = html[html.index(question.text) :].split("</fieldset>", 1)[0]
        positions = [fieldset.index(f'value="{a.key}"') for a in question.answers.all()]
        assert positions == sorted(positions)


def test_with_nothing_answered_the_advice_does_not_point_at_an_empty_list(lead):
    result = intake.intake_recommend(answers={}, level="mid")
    assert result.recommendation == "insufficient"
    assert "points below" not in result.decision.advice

    html = as_(lead).get(START + "?level=mid").content.decode()
    assert "Recommendation: Not enough information" in html
    assert "points below" not in html
    assert "intake-explanation" not in html


def test_with_only_not_sure_answers_the_advice_points_at_the_lines_below(lead):
    result = intake.intake_recommend(answers={"timeline": "not-sure"}, level="mid")
    assert "points below" in result.decision.advice
    html = as_(lead).get(START + "?level=mid&answers.timeline=not-sure").content.decode()
    assert "points below" in html
    assert "intake-explanation" in html


def test_an_interviewer_gets_the_styled_403_page_saying_why(alice):
    response = as_(alice).get(START)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Role intake is for hiring leads and recruiters." in html
    assert 'rel="stylesheet"' in html
    assert "You may not do this" in html
