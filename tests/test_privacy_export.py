"""The subject-access export: everything held about one candidate, for recruiters —
and a walk over Django's model graph that fails when a model about candidates is
added without being exported."""

import uuid

import pytest
from django.apps import apps
from django.db import models

from hiring import services
from hiring.api.serializers.privacy import EXPORTED
from hiring.models import Candidate, FeedbackReminder
from tests import factories


def models_about_candidates() -> set:
    """Every model that points at Candidate through foreign keys, directly or through
    other models (many-to-many tables Django makes belong to their owner)."""
    found = {Candidate}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=False):
            if model in found:
                continue
            targets = {
                field.related_model
                for field in model._meta.get_fields()
                if isinstance(field, models.ForeignKey | models.OneToOneField)
            }
            if targets & found:
                found.add(model)
                changed = True
    return found


def test_every_model_about_a_candidate_is_exported():
    missing = models_about_candidates() - set(EXPORTED)
    assert not missing, (
        f"add these to the subject-access export: {sorted(m.__name__ for m in missing)}"
    )


@pytest.fixture
def ann(role, alice, bob):
    application = factories.ApplicationFactory(
        role=role, candidate__name="Ann Example", candidate__external_id="c-ann"
    )
    interview = factories.make_interview(
        application=application, focus=["software-engineering"], interviewers=[alice, bob]
    )
    for person in (alice, bob):
        factories.submit(interview.scorecards.get(interviewer=person))
    card = interview.scorecards.get(interviewer=alice)
    services.scorecard_revise(scorecard=card, by=alice, reason="Second look", summary="Better")
    FeedbackReminder.objects.create(scorecard=card, number=0, run=uuid.uuid4())
    services.decision_record(
        application=application, by=role.hiring_lead, decision="advance", rationale="Sound design"
    )
    factories.make_interview(application=application, name="Second", interviewers=[bob])
    other_role = factories.RoleFactory(profile=role.profile, hiring_lead=role.hiring_lead)
    factories.ApplicationFactory(role=other_role, candidate=application.candidate)
    factories.ApplicationFactory(role=role)  # someone else
    return application.candidate


def items(document, path: str) -> list:
    """The objects at a dotted path of list keys ("applications.interviews")."""
    level = [document]
    for key in path.split("."):
        nxt = []
        for item in level:
            value = item[key]
            nxt.extend(value if isinstance(value, list) else [value])
        level = nxt
    return level


def rows_about(model, candidate) -> int:
    if model is Candidate:
        return 1
    path = {
        "Application": "candidate",
        "Interview": "application__candidate",
        "Scorecard": "interview__application__candidate",
        "Rating": "scorecard__interview__application__candidate",
        "ScorecardRevision": "scorecard__interview__application__candidate",
        "FeedbackReminder": "scorecard__interview__application__candidate",
        "Decision": "application__candidate",
    }[model.__name__]
    return model.objects.filter(**{path: candidate}).count()


def test_the_export_holds_every_row_about_the_candidate(api_client, recruiter, ann):
    response = api_client(recruiter).get(f"/api/v1/candidates/{ann.pk}/export/")
    assert response.status_code == 200, response.content
    document = response.json()
    for model, path in EXPORTED.items():
        assert len(items(document, path)) == rows_about(model, ann), model.__name__
    assert document["candidate"]["name"] == "Ann Example"
    card = items(document, "applications.interviews.scorecards")[0]
    assert card["ratings"][0]["note"] and card["revisions"][0]["reason"] == "Second look"


def test_the_export_lists_the_audit_events_about_them_including_itself(
    api_client, recruiter, ann, role
):
    someone_else = factories.ApplicationFactory(role=role)
    services.candidate_save(candidate=someone_else.candidate)
    services.application_save(application=someone_else)
    services.application_save(application=ann.applications.first())
    response = api_client(recruiter).get(f"/api/v1/candidates/{ann.pk}/export/")
    events = response.json()["audit_events"]
    assert events[-1]["action"] == "export"
    assert events[-1]["object_type"] == "candidate" and events[-1]["actor"] == recruiter.email
    kinds = {(e["action"], e["object_type"]) for e in events}
    assert {
        ("update", "application"),
        ("create", "interview"),
        ("submit", "scorecard"),
        ("revise", "scorecard"),
    } <= kinds
    about_others = {("candidate", someone_else.candidate_id), ("application", someone_else.pk)}
    assert not {(e["object_type"], e["object_id"]) for e in events} & about_others


@pytest.mark.parametrize("who", ["lead", "alice", "integration"])
def test_only_recruiters_export(api_client, ann, who, request):
    caller = who if who == "integration" else request.getfixturevalue(who)
    response = api_client(caller).get(f"/api/v1/candidates/{ann.pk}/export/")
    assert response.status_code == 403


def test_an_erased_candidate_exports_what_is_left(api_client, recruiter, ann):
    services.candidate_erase(candidate=ann, reason="asked")
    document = api_client(recruiter).get(f"/api/v1/candidates/{ann.pk}/export/").json()
    assert document["candidate"]["name"] == "Erased candidate"
    assert document["candidate"]["erased_at"]
    assert "Second look" not in str(document)
    assert ("erase", "candidate") in {
        (e["action"], e["object_type"]) for e in document["audit_events"]
    }


def test_the_export_takes_a_fixed_number_of_queries(
    api_client, recruiter, ann, role, alice, bob, django_assert_num_queries
):
    client = api_client(recruiter)
    url = f"/api/v1/candidates/{ann.pk}/export/"
    client.get(url)
    # key, candidate, audit insert, candidate again, applications (with roles), interviews,
    # focus, scorecards (with interviewer, profile), ratings, revisions, reminders, decisions
    # (with who made them), audit events
    with django_assert_num_queries(13):
        client.get(url)
    more = factories.make_interview(
        application=ann.applications.filter(role=role).get(), interviewers=[alice, bob]
    )
    for card in more.scorecards.all():
        factories.submit(card)
    with django_assert_num_queries(13):
        assert len(client.get(url).json()["applications"]) == 2
