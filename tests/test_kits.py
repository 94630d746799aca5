"""Interview kits: questions per skill and work samples per competency, part of the
profile version; the built-in kit; the admin; the API (profiles and one interview's
kit); the kit page and the scorecard form's questions and progress counter."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from hiring import services
from hiring.management.commands.load_builtin_data import KITS_FIXTURE
from hiring.models import (
    Competency,
    InterviewQuestion,
    Skill,
    SkillProfile,
    WorkSample,
    WorkSampleFormat,
)
from tests import factories

FOCUS = ["system-architecture", "integration-rag"]


def sample_kit(profile: SkillProfile, competency_keys=FOCUS) -> dict:
    """A small kit of our own for some competencies of a profile: two questions per
    skill, one work sample per competency."""
    questions, samples = {}, {}
    for competency in profile.competencies.filter(key__in=competency_keys):
        questions[competency.key] = {
            skill.key: [
                {"text": f"How would you approach {skill.name}? ({n})", "listen_for": "Trade-offs."}
                for n in (1, 2)
            ]
            for skill in competency.skills.all()
        }
        samples[competency.key] = [
            {
                "title": f"{competency.name} exercise",
                "format": "live",
                "instructions": "Sketch it on the whiteboard in 30 minutes.",
                "anchor_1": "Lost.",
                "anchor_2": "Partial.",
                "anchor_3": "Sound.",
                "anchor_4": "Sound, and explains the trade-offs unprompted.",
            }
        ]
    return {"questions": {profile.slug: questions}, "work_samples": {profile.slug: samples}}


@pytest.fixture
def kit_content(ai_profile):
    """Questions for every skill and a work sample for every competency the interview
    fixture focuses on (the built-in kit provides them once it exists; ours fills in
    whatever is missing)."""
    services.kits_load_builtin(kits=sample_kit(ai_profile))


def focus_skills(profile, keys=FOCUS):
    return Skill.objects.filter(competency__profile=profile, competency__key__in=keys)


# ---------------------------------------------------------------------------
# The built-in kit
# ---------------------------------------------------------------------------


def test_every_builtin_skill_has_two_questions_and_every_competency_a_work_sample(builtin_data):
    """fixtures/kits.json covers all 55 skills and 12 competencies of the built-in profiles."""
    skills = Skill.objects.filter(competency__profile__is_builtin=True).prefetch_related(
        "questions"
    )
    assert len(skills) == 55
    short = [skill.key for skill in skills if len(skill.questions.all()) < 2]
    assert short == []
    for skill in skills:
        for question in skill.questions.all():
            assert question.text.strip() and question.listen_for.strip(), skill.key
    competencies = Competency.objects.filter(profile__is_builtin=True).prefetch_related(
        "work_samples"
    )
    assert len(competencies) == 12
    assert [c.key for c in competencies if not c.work_samples.all()] == []
    for competency in competencies:
        for sample in competency.work_samples.all():
            assert sample.instructions.strip() and sample.title.strip(), competency.key
            assert sample.format in WorkSampleFormat.values
            assert all(text.strip() for text in sample.anchors.values()), competency.key


def test_the_builtin_kit_file_names_only_builtin_skills_and_competencies(builtin_data):
    kits = json.loads(KITS_FIXTURE.read_text())
    assert set(kits) == {"questions", "work_samples"}
    assert set(kits["questions"]) == set(kits["work_samples"]) == {"ai-engineer", "ml-engineer"}


def test_loading_the_builtin_data_again_adds_nothing_and_keeps_edits(ai_profile, kit_content):
    question = InterviewQuestion.objects.filter(skill__competency__profile=ai_profile).first()
    question.text = "Our own wording."
    question.save()
    removed = InterviewQuestion.objects.filter(skill=question.skill).exclude(pk=question.pk)
    removed_total = removed.count()
    removed.delete()
    before = (InterviewQuestion.objects.count(), WorkSample.objects.count())
    call_command("load_builtin_data", verbosity=0)
    assert (InterviewQuestion.objects.count(), WorkSample.objects.count()) == before
    question.refresh_from_db()
    assert question.text == "Our own wording."
    assert removed_total >= 0  # what a person removed stays removed


def test_the_loader_fills_skills_and_competencies_that_have_none(ai_profile, kit_content):
    skill = focus_skills(ai_profile).first()
    skill.questions.all().delete()
    skill.competency.work_samples.all().delete()
    kits = sample_kit(ai_profile, [skill.competency.key])
    created = services.kits_load_builtin(kits=kits)
    assert created == 2 + 1  # the emptied skill's two questions, the competency's sample
    assert list(skill.questions.values_list("order", "listen_for")) == [
        (1, "Trade-offs."),
        (2, "Trade-offs."),
    ]
    sample = skill.competency.work_samples.get()
    assert (sample.format, sample.order) == ("live", 1)
    assert services.kits_load_builtin(kits=kits) == 0


def test_the_loader_names_what_it_refuses_and_saves_nothing(ai_profile):
    competency = ai_profile.competencies.get(key="system-architecture")
    skill = competency.skills.first()
    skill.questions.all().delete()
    competency.work_samples.all().delete()
    kits = {
        "questions": {
            "ai-engineer": {
                competency.key: {
                    skill.key: [{"text": "  ", "listen_for": ""}, {"text": "Fine?", "tone": "x"}],
                    "no-such-skill": [],
                }
            }
        },
        "work_samples": {
            "ai-engineer": {competency.key: [{"title": "T", "format": "oral", "instructions": ""}]},
            "no-such-profile": {"x": []},
        },
    }
    with pytest.raises(ValidationError) as raised:
        services.kits_load_builtin(kits=kits)
    where = f"ai-engineer.{competency.key}"
    errors = raised.value.message_dict
    assert errors[f"questions.{where}.{skill.key}.0.text"] == ["Write the question to ask."]
    assert errors[f"questions.{where}.{skill.key}.1"] == ["Unknown fields: tone."]
    assert errors[f"questions.{where}.no-such-skill"] == ["No such skill in the built-in profiles."]
    assert errors[f"work_samples.{where}.0.instructions"] == ["This field cannot be blank."]
    assert "work_samples." + where + ".0.format" in errors
    assert "work_samples.no-such-profile.x" in errors
    assert not skill.questions.exists() and not competency.work_samples.exists()


# ---------------------------------------------------------------------------
# Copy-on-write: the kit belongs to the profile version
# ---------------------------------------------------------------------------


def test_a_new_profile_version_copies_the_questions_and_work_samples(ai_profile, kit_content):
    copy = services.profile_new_version(profile=ai_profile)

    def kit_of(profile):
        questions = InterviewQuestion.objects.filter(skill__competency__profile=profile)
        samples = WorkSample.objects.filter(competency__profile=profile)
        return (
            sorted(questions.values_list("skill__key", "order", "text", "listen_for")),
            sorted(samples.values_list("competency__key", "order", "title", "instructions")),
        )

    assert kit_of(copy.profile) == kit_of(ai_profile)
    assert kit_of(ai_profile)[0] and kit_of(ai_profile)[1]
    for old, new in copy.questions.items():
        assert new.skill_id == copy.skills[InterviewQuestion.objects.get(pk=old).skill_id].pk
    for old, new in copy.work_samples.items():
        old_competency = WorkSample.objects.get(pk=old).competency_id
        assert new.competency_id == copy.competencies[old_competency].pk


# ---------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, recruiter):
    client.force_login(recruiter)
    return client


def management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def skill_form(skill, questions, *, extra=()):
    """The admin change form of a skill with its question inline."""
    data = {
        "competency": skill.competency_id,
        "key": skill.key,
        "name": skill.name,
        "description": skill.description,
        "order": skill.order,
        **{f"anchor_{n}": text for n, text in skill.anchors.items()},
        **management("questions", len(questions) + len(extra), len(questions)),
    }
    for i, question in enumerate([*questions, *extra]):
        data[f"questions-{i}-id"] = getattr(question, "pk", "") or ""
        data[f"questions-{i}-skill"] = skill.pk
        data[f"questions-{i}-order"] = getattr(question, "order", i + 1)
        data[f"questions-{i}-text"] = getattr(question, "text", None) or question.get("text")
        data[f"questions-{i}-listen_for"] = getattr(question, "listen_for", "")
    return data


def test_editing_a_question_of_a_profile_in_use_saves_a_new_version(
    staff_client, ai_profile, kit_content, interview, alice
):
    factories.submit(interview.scorecards.get(interviewer=alice))
    skill = focus_skills(ai_profile).first()
    questions = list(skill.questions.all())
    questions[0].text = "A better question?"
    url = reverse("admin:hiring_skill_change", args=[skill.pk])
    response = staff_client.post(url, skill_form(skill, questions), follow=True)
    assert response.status_code == 200
    assert "saved as AI engineer v2" in response.content.decode()
    assert skill.questions.get(pk=questions[0].pk).text != "A better question?"
    twin = Skill.objects.get(competency__profile__version=2, key=skill.key)
    assert [q.text for q in twin.questions.all()][0] == "A better question?"
    assert twin.questions.count() == len(questions)


def test_a_custom_profile_edits_its_questions_in_place(staff_client, ai_profile, kit_content):
    skill = focus_skills(ai_profile).first()
    questions = list(skill.questions.all())
    url = reverse("admin:hiring_skill_change", args=[skill.pk])
    data = skill_form(skill, questions, extra=[{"text": "What would you measure first?"}])
    assert staff_client.post(url, data).status_code == 302
    assert skill.questions.last().text == "What would you measure first?"
    assert SkillProfile.objects.filter(slug="ai-engineer").count() == 1


@pytest.mark.parametrize("text", ["", "   "])
def test_the_admin_refuses_a_question_without_text(staff_client, ai_profile, kit_content, text):
    skill = focus_skills(ai_profile).first()
    before = skill.questions.count()
    url = reverse("admin:hiring_skill_change", args=[skill.pk])
    response = staff_client.post(url, skill_form(skill, [], extra=[{"text": text}]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert list(errors[0]) == ["text"]
    assert skill.questions.count() == before


def competency_form(competency, samples):
    skills = list(competency.skills.all())
    data = {
        "profile": competency.profile_id,
        "key": competency.key,
        "name": competency.name,
        "description": competency.description,
        "weight": competency.weight,
        "order": competency.order,
        **management("skills", len(skills), len(skills)),
        **management("work_samples", len(samples), 0),
    }
    for i, skill in enumerate(skills):
        data[f"skills-{i}-id"] = skill.pk
        data[f"skills-{i}-competency"] = competency.pk
        for name in ("order", "key", "name", "description", "anchor_1", "anchor_2", "anchor_3"):
            data[f"skills-{i}-{name}"] = getattr(skill, name)
        data[f"skills-{i}-anchor_4"] = skill.anchor_4
    for i, sample in enumerate(samples):
        for name, value in {"order": i + 1, "format": "take_home", **sample}.items():
            data[f"work_samples-{i}-{name}"] = value
        data[f"work_samples-{i}-competency"] = competency.pk
    return data


def test_the_admin_adds_a_work_sample_and_refuses_one_without_instructions(
    staff_client, ai_profile
):
    competency = ai_profile.competencies.get(key="cost-performance")
    competency.work_samples.all().delete()
    url = reverse("admin:hiring_competency_change", args=[competency.pk])
    response = staff_client.post(url, competency_form(competency, [{"title": "Budget"}]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][1].formset
    assert list(formset.errors[0]) == ["instructions"]
    assert not competency.work_samples.exists()

    sample = {"title": "Budget", "instructions": "Halve the bill.", "anchor_4": "Halves it."}
    assert staff_client.post(url, competency_form(competency, [sample])).status_code == 302
    saved = competency.work_samples.get()
    assert (saved.title, saved.instructions, saved.anchor_4) == (
        "Budget",
        "Halve the bill.",
        "Halves it.",
    )


def test_the_competency_page_links_each_skill_to_its_questions(staff_client, ai_profile):
    competency = ai_profile.competencies.get(key="system-architecture")
    skill = competency.skills.first()
    response = staff_client.get(reverse("admin:hiring_competency_change", args=[competency.pk]))
    page = response.content.decode()
    assert reverse("admin:hiring_skill_change", args=[skill.pk]) in page
    assert f"{skill.questions.count()} question" in page


# ---------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------


def test_profiles_show_each_skills_questions_and_each_competencys_work_samples(
    api_client, ai_profile, kit_content
):
    body = api_client("integration").get(f"/api/v1/profiles/{ai_profile.pk}/").json()
    competency = next(c for c in body["competencies"] if c["key"] == "system-architecture")
    stored = Competency.objects.get(profile=ai_profile, key="system-architecture")
    for skill in competency["skills"]:
        expected = InterviewQuestion.objects.filter(
            skill__competency=stored, skill__key=skill["key"]
        )
        assert skill["questions"] == [
            {"text": q.text, "listen_for": q.listen_for} for q in expected.order_by("order", "id")
        ]
    sample = competency["work_samples"][0]
    assert set(sample) == {"title", "format", "instructions", "anchors"}
    assert [anchor["score"] for anchor in sample["anchors"]] == [1, 2, 3, 4]
    first = stored.work_samples.order_by("order", "id").first()
    assert (sample["title"], sample["format"], sample["instructions"]) == (
        first.title,
        first.format,
        first.instructions,
    )


def test_the_kit_has_the_interviews_focus_competencies(api_client, interview, alice, kit_content):
    response = api_client(alice).get(f"/api/v1/interviews/{interview.pk}/kit/")
    assert response.status_code == 200
    body = response.json()
    assert body["interview"] == interview.pk and body["name"] == interview.name
    assert body["duration_minutes"] == 60 and body["application"] == interview.application_id
    assert body["profile"] == {"slug": "ai-engineer", "name": "AI engineer", "version": 1}
    assert [c["key"] for c in body["competencies"]] == FOCUS
    skills = [s for c in body["competencies"] for s in c["skills"]]
    assert len(skills) == focus_skills(interview.application.role.profile).count()
    assert all(len(skill["questions"]) >= 2 for skill in skills)
    assert all([a["score"] for a in skill["anchors"]] == [1, 2, 3, 4] for skill in skills)
    assert all(c["work_samples"] for c in body["competencies"])


def test_an_interview_without_focus_gets_every_competency_of_the_profile(
    api_client, application, alice, ai_profile
):
    interview = factories.make_interview(application=application, interviewers=[alice])
    body = api_client(alice).get(f"/api/v1/interviews/{interview.pk}/kit/").json()
    keys = list(ai_profile.competencies.order_by("order", "id").values_list("key", flat=True))
    assert [c["key"] for c in body["competencies"]] == keys


def test_the_kit_follows_the_focus_competencies_version(api_client, interview, alice, ai_profile):
    """A role moved to a newer profile version keeps the kit the interview was set up with."""
    role = interview.application.role
    role.profile = services.profile_new_version(profile=ai_profile).profile
    role.save()
    body = api_client(alice).get(f"/api/v1/interviews/{interview.pk}/kit/").json()
    assert body["profile"]["version"] == 1
    assert [c["key"] for c in body["competencies"]] == FOCUS


@pytest.mark.parametrize("focus", [["system-architecture"], None])
def test_the_kit_takes_a_fixed_number_of_queries(
    api_client, application, alice, focus, kit_content, django_assert_num_queries
):
    interview = factories.make_interview(application=application, focus=focus, interviewers=[alice])
    client = api_client(alice)
    client.get(f"/api/v1/interviews/{interview.pk}/kit/")  # records the key's last use
    # key, interview with role and profile, competencies, skills, questions, work samples
    with django_assert_num_queries(6):
        assert client.get(f"/api/v1/interviews/{interview.pk}/kit/").status_code == 200


def test_an_unknown_or_malformed_interview_kit_is_a_404(api_client, recruiter):
    client = api_client(recruiter)
    for path in ("999999", "abc", "0", str(2**63), "9" * 30):
        response = client.get(f"/api/v1/interviews/{path}/kit/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_kit_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/interviews/{id}/kit/"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "404"}
    kit = schema["components"]["schemas"]["Kit"]["properties"]
    assert {"interview", "profile", "competencies"} <= set(kit)
    skill = schema["components"]["schemas"]["Skill"]["properties"]
    assert "questions" in skill
    assert "work_samples" in schema["components"]["schemas"]["Competency"]["properties"]


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def kit_url(interview):
    return reverse("hiring:interview_kit", args=[interview.pk])


def test_the_kit_page_shows_questions_anchors_and_work_samples(
    client, interview, alice, kit_content
):
    client.force_login(alice)
    response = client.get(kit_url(interview))
    assert response.status_code == 200
    page = response.content.decode()
    skill = focus_skills(interview.application.role.profile).first()
    for question in skill.questions.all():
        assert question.text.replace("'", "&#x27;") in page
    assert "Listen for:" in page
    assert skill.anchor_4.replace("'", "&#x27;")[:40] in page
    sample = WorkSample.objects.filter(competency__key="system-architecture").first()
    assert sample.title.replace("'", "&#x27;") in page
    card = interview.scorecards.get(interviewer=alice)
    assert reverse("hiring:scorecard", args=[card.pk]) in page


def test_the_kit_page_is_for_the_panel_the_lead_and_recruiters(
    client, interview, alice, lead, recruiter, charlie, other_lead
):
    for person, status in [(alice, 200), (lead, 200), (recruiter, 200), (charlie, 404)]:
        client.force_login(person)
        assert client.get(kit_url(interview)).status_code == status, person
    client.force_login(other_lead)
    assert client.get(kit_url(interview)).status_code == 404
    client.logout()
    assert client.get(kit_url(interview)).status_code == 302  # to the login page


@pytest.mark.parametrize("focus", [["system-architecture"], None])
def test_the_kit_page_takes_a_fixed_number_of_queries(
    client, application, alice, focus, kit_content, django_assert_num_queries
):
    interview = factories.make_interview(application=application, focus=focus, interviewers=[alice])
    client.force_login(alice)
    # session, user, interview (with application, role, profile, candidate), own scorecard,
    # competencies, skills, questions, work samples, what the person is (navigation)
    with django_assert_num_queries(9):
        assert client.get(kit_url(interview)).status_code == 200


def test_the_scorecard_form_links_the_kit_and_folds_each_skills_questions(
    client, interview, alice, kit_content
):
    card = interview.scorecards.get(interviewer=alice)
    client.force_login(alice)
    page = client.get(reverse("hiring:scorecard", args=[card.pk])).content.decode()
    assert kit_url(interview) in page
    skills = focus_skills(interview.application.role.profile)
    assert page.count('<details class="skill-questions">') == skills.count()
    assert page.count("<summary>Questions to ask (") == skills.count()
    assert "scorecard_progress.js" in page


def test_the_progress_counter_is_right_without_javascript(client, interview, alice, kit_content):
    card = interview.scorecards.get(interviewer=alice)
    total = focus_skills(interview.application.role.profile).count()
    client.force_login(alice)
    url = reverse("hiring:scorecard", args=[card.pk])
    assert f"<span data-rated>0</span> of {total} rated" in client.get(url).content.decode()
    keys = list(focus_skills(interview.application.role.profile).values_list("key", flat=True))
    services.scorecard_save_draft(
        scorecard=card,
        by=alice,
        ratings=[
            services.RatingInput(skill=keys[0], score=3, note=""),
            services.RatingInput(skill=keys[1], score=None, not_assessed=True, note=""),
            services.RatingInput(skill=keys[2], score=None, note="A note, no score yet."),
        ],
    )
    assert f"<span data-rated>2</span> of {total} rated" in client.get(url).content.decode()
    # A form sent back with errors counts what was sent.
    data = {"row_version": 0, "action": "save", f"score-{keys[0]}": "4"}
    response = client.post(url, data)
    assert response.status_code in (400, 409)
    assert f"<span data-rated>1</span> of {total} rated" in response.content.decode()
