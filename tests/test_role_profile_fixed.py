"""Once a role has any scorecard its profile is fixed: the API answers 409 `conflict`
naming the field and the admin form refuses it, from the one rule in the services."""

import pytest
from django.urls import reverse

from hiring import services
from hiring.models import Role
from hiring.services.pipeline import PROFILE_FIXED_MESSAGE

pytestmark = pytest.mark.usefixtures("builtin_data")


@pytest.fixture
def ats(api_client):
    return api_client("integration")


def test_the_api_refuses_to_switch_the_profile_of_a_role_with_scorecards(
    ats, role, interview, ml_profile, django_assert_num_queries
):
    url = f"/api/v1/roles/{role.pk}/"
    ats.get(url)  # the key's first use records its last_used time
    with django_assert_num_queries(10):
        response = ats.patch(url, {"profile": "ml-engineer"})
    assert response.status_code == 409, response.json()
    assert response.json() == {
        "code": "conflict",
        "message": f"profile: {PROFILE_FIXED_MESSAGE}",
        "fields": {"profile": [PROFILE_FIXED_MESSAGE]},
    }
    assert Role.objects.get(pk=role.pk).profile.slug == "ai-engineer"

    # Sending the profile it has is no change, and other fields still change.
    response = ats.patch(url, {"profile": "ai-engineer", "title": "Senior AI engineer"})
    assert response.status_code == 200, response.json()


def test_a_role_with_scorecards_may_move_to_a_newer_version_of_its_profile(role, interview):
    newer = services.profile_new_version(profile=role.profile).profile
    role.profile = newer
    services.role_save(role=role)
    assert Role.objects.get(pk=role.pk).profile == newer


def test_a_role_without_scorecards_may_still_switch_its_profile(ats, application, ml_profile):
    response = ats.patch(f"/api/v1/roles/{application.role.pk}/", {"profile": "ml-engineer"})
    assert response.status_code == 200
    assert response.json()["profile"] == "ml-engineer"


def test_the_admin_form_refuses_to_switch_the_profile_of_a_role_with_scorecards(
    client, recruiter, role, interview, ml_profile
):
    client.force_login(recruiter)
    data = {
        "title": role.title,
        "team": role.team,
        "level": role.level,
        "status": role.status,
        "external_id": "",
        "profile": ml_profile.pk,
        "weight_overrides": "{}",
        "hiring_lead": role.hiring_lead_id,
        "applications-TOTAL_FORMS": 0,
        "applications-INITIAL_FORMS": 0,
        "applications-MIN_NUM_FORMS": 0,
        "applications-MAX_NUM_FORMS": 1000,
    }
    response = client.post(reverse("admin:hiring_role_change", args=[role.pk]), data)
    assert response.status_code == 200
    assert PROFILE_FIXED_MESSAGE in response.content.decode()
    assert Role.objects.get(pk=role.pk).profile.slug == "ai-engineer"
