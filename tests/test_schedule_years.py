"""`scheduled_at` is in the years 1000 to 2999 once converted to UTC, as it is stored:
an offset cannot slip a time into year 999 or 3000 (the model field's rule, applied by
the API and the admin alike)."""

import pytest
from django.urls import reverse

from hiring.models import Interview
from hiring.validators import ScheduleYearsValidator

pytestmark = pytest.mark.usefixtures("builtin_data")

MESSAGE = ScheduleYearsValidator.message


@pytest.fixture
def ats(api_client):
    return api_client("integration")


@pytest.mark.parametrize(
    ("scheduled_at", "stored"),
    [
        ("1000-01-01T00:00:00+23:59", None),  # 0999-12-31T00:01Z
        ("1000-01-01T10:00:00+10:01", None),
        ("2999-12-31T23:59:00-00:01", None),  # 3000-01-01T00:00Z
        ("2999-12-31T12:00:00-15:00", None),
        ("1000-01-01T23:58:00+23:58", "1000-01-01T00:00:00Z"),
        ("2999-12-31T23:59:59Z", "2999-12-31T23:59:59Z"),
    ],
)
def test_the_years_are_checked_in_utc(ats, application, scheduled_at, stored):
    response = ats.post(
        "/api/v1/interviews/",
        {"application": application.pk, "name": "Screen", "scheduled_at": scheduled_at},
    )
    if stored:
        assert response.status_code == 201, response.json()
        assert response.json()["scheduled_at"] == stored
    else:
        assert response.status_code == 400
        assert response.json()["fields"] == {"scheduled_at": [MESSAGE]}
        assert not Interview.objects.exists()


def test_a_patch_is_checked_in_utc_too(ats, interview):
    response = ats.patch(
        f"/api/v1/interviews/{interview.pk}/", {"scheduled_at": "1000-01-01T00:00:00+23:59"}
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"scheduled_at": [MESSAGE]}


def test_the_admin_refuses_a_year_out_of_range(client, recruiter, interview):
    client.force_login(recruiter)
    response = client.post(
        reverse("admin:hiring_interview_change", args=[interview.pk]),
        {
            "application": interview.application_id,
            "name": interview.name,
            "scheduled_at_0": "3000-01-01",
            "scheduled_at_1": "10:00",
            "duration_minutes": 60,
            "focus_competencies": [],
            "external_id": "",
            "panel": list(interview.scorecards.values_list("interviewer", flat=True)),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"scheduled_at": [MESSAGE]}
    interview.refresh_from_db()
    assert interview.scheduled_at is None or interview.scheduled_at.year < 3000
