"""Stages are the ATS's own names; a status says where the application stands. The
migration maps the old fixed stages onto both, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories

BEFORE = [("hiring", "0012_privacy")]
AFTER = [("hiring", "0013_decisions")]

OLD_STAGES = {
    "applied": "active",
    "screening": "active",
    "interviewing": "active",
    "offer": "active",
    "hired": "hired",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
}


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_maps_todays_stages_onto_stage_and_status():
    try:
        apps = migrate_to(BEFORE)
        models = {name: apps.get_model("hiring", name) for name in ("User", "SkillProfile")}
        lead = models["User"].objects.create(email="mig-lead@example.com", password="!")
        profile = models["SkillProfile"].objects.create(slug="mig", name="Mig", version=1)
        role = apps.get_model("hiring", "Role").objects.create(
            title="R", profile=profile, hiring_lead=lead
        )
        Candidate = apps.get_model("hiring", "Candidate")
        Application = apps.get_model("hiring", "Application")
        for stage in OLD_STAGES:
            candidate = Candidate.objects.create(name=stage, email=f"{stage}@example.com")
            Application.objects.create(candidate=candidate, role=role, stage=stage)

        apps = migrate_to(AFTER)
        rows = apps.get_model("hiring", "Application").objects.values_list("stage", "status")
        assert dict(rows) == OLD_STAGES  # every stage keeps its name, and gains its status

        # Backwards, a stage name the old enum does not know becomes a known one.
        apps.get_model("hiring", "Application").objects.filter(stage="offer").update(
            stage="Onsite loop with the team"
        )
        apps = migrate_to(BEFORE)
        rows = apps.get_model("hiring", "Application").objects.values_list("stage", flat=True)
        stages = set(rows)
        assert stages == set(OLD_STAGES) - {"offer"}
    finally:
        migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.parametrize("stage", ["Onsite loop", "Phone screen / take-home", "x" * 120, "offer"])
def test_the_ats_sends_its_own_stage_names(api_client, role, stage):
    candidate = factories.CandidateFactory()
    response = api_client("integration").post(
        "/api/v1/applications/",
        {"role": role.pk, "candidate": candidate.pk, "stage": stage},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == stage
    assert response.json()["status"] == "active"
    assert response.json()["decision"] is None


@pytest.mark.parametrize("stage", ["", " Onsite", "Onsite ", "x" * 121, "a\nb", 5, None])
def test_a_bad_stage_is_a_400_naming_it(api_client, application, stage):
    response = api_client("integration").patch(
        f"/api/v1/applications/{application.pk}/", {"stage": stage}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["stage"]


def test_the_ats_sets_the_status(api_client, application):
    ats = api_client("integration")
    url = f"/api/v1/applications/{application.pk}/"
    assert ats.patch(url, {"status": "withdrawn"}, format="json").json()["status"] == "withdrawn"
    refused = ats.patch(url, {"status": "gone"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["status"]
    assert ats.patch(url, {"decision": None}, format="json").status_code == 400  # read-only
