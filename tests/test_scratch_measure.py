import pytest
from tests import factories
from hiring.models import Competency, Skill
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_measure(page, live_server, login, screenshot, recruiter, ai_profile, interview, alice):
    factories.submit(interview.scorecards.get(interviewer=alice))
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, recruiter)
    comp = Competency.objects.filter(profile=ai_profile).first()
    skill = Skill.objects.filter(competency=comp).first()
    card = interview.scorecards.get(interviewer=alice)
    for name, url in [("profile", f"skillprofile/{ai_profile.pk}/change/"), ("comp", f"competency/{comp.pk}/change/"), ("skill", f"skill/{skill.pk}/change/"), ("role", f"role/{interview.application.role.pk}/change/"), ("interview", f"interview/{interview.pk}/change/"), ("interview_add", "interview/add/"), ("card", f"scorecard/{card.pk}/change/"), ("app", f"application/{interview.application.pk}/change/"), ("cand", f"candidate/{interview.application.candidate.pk}/change/"), ("intakeq", "intakequestion/1/change/"), ("endpoint_add", "webhookendpoint/add/"), ("user", f"user/{alice.pk}/change/")]:
        page.goto(f"{live_server.url}/admin/hiring/{url}")
        print("WIDTH", name, page.evaluate("document.documentElement.scrollWidth"))
        screenshot(page, name)
