"""The comparison read model shared by every server process and kept warm by the
background worker (``hiring.comparison.cache``)."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hiring import comparison, services
from hiring.background import JOBS
from hiring.comparison import COMPARISON_VERSION
from hiring.models import ComparisonRefresh
from tests import factories
from tests.factories import scores
from tests.test_settings import load_settings


@pytest.fixture
def compared(role, alice, bob):
    """Ann scored by Alice and Bob; Ben's interview with Charlie still to submit."""
    ann = factories.ApplicationFactory(role=role, candidate__name="Ann")
    interview = factories.make_interview(
        application=ann, focus=["software-engineering"], interviewers=[alice, bob]
    )
    for person in (alice, bob):
        factories.submit(
            interview.scorecards.get(interviewer=person),
            ratings=scores(python_expertise=3, concurrent_services=2, testing_code_quality=4),
        )
    ComparisonRefresh.objects.all().delete()  # as if the worker had caught up
    return role


@pytest.fixture
def bens_card(compared, charlie):
    ben = factories.ApplicationFactory(role=compared, candidate__name="Ben")
    interview = factories.make_interview(
        application=ben, focus=["software-engineering"], interviewers=[charlie]
    )
    return interview.scorecards.get()


@pytest.fixture
def as_lead(lead):
    client = APIClient()
    client.force_authenticate(lead)
    return client


def url(role):
    return f"/api/v1/roles/{role.pk}/comparison/"


def names(response):
    return [c["candidate"]["name"] for c in response.json()["candidates"]]


def kept(role, form):
    """What the comparison cache holds for the role in ``form`` (data, json, csv)."""
    suffix = "" if form == "data" else f":{form}"
    return caches["comparison"].get(f"comparison:role:{role.pk}{suffix}")


def test_without_redis_the_comparison_cache_is_files_every_worker_shares():
    backend = load_settings("s.CACHES['comparison']['BACKEND']", REDIS_URL="")
    assert backend.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache"
    where = load_settings("s.CACHES['comparison']['LOCATION']", COMPARISON_CACHE_DIR="/tmp/cmp")
    assert where.stdout.strip() == "/tmp/cmp"
    redis = load_settings("s.CACHES['comparison']['BACKEND']", REDIS_URL="redis://127.0.0.1:1/0")
    assert redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_a_comparison_computed_once_is_read_from_the_files_by_any_process(
    as_lead, compared, settings, tmp_path, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "comparison": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    first = as_lead.get(url(compared))
    assert list(tmp_path.iterdir())  # on disk, where every process finds it
    # The ETag query, what independent scoring hides from the lead and the read's audit
    # event: nothing computed.
    with django_assert_num_queries(3):
        second = as_lead.get(url(compared))
    assert second.content == first.content


def test_a_submission_queues_its_role_and_the_worker_computes_it(
    as_lead, compared, bens_card, django_assert_num_queries
):
    as_lead.get(url(compared))
    factories.submit(bens_card, score=2)
    assert ComparisonRefresh.objects.filter(role=compared).exists()

    assert "comparison_refresh" in [job.name for job in JOBS]
    assert comparison.comparison_refresh_due() == 1
    assert not ComparisonRefresh.objects.exists()

    # The lead's next request finds it computed: the ETag query, the redaction query and
    # the read's audit event.
    with django_assert_num_queries(3):
        response = as_lead.get(url(compared))
    assert names(response) == ["Ann", "Ben"]
    assert comparison.comparison_for_role(compared).data == comparison.role_comparison(compared)


def test_the_worker_keeps_the_json_and_the_csv_the_api_sends(as_lead, compared, bens_card):
    factories.submit(bens_card, score=2)
    comparison.comparison_refresh_due()
    stamp = comparison.comparison_stamp(compared.pk)
    json_body, csv_body = as_lead.get(url(compared)), as_lead.get(url(compared), {"format": "csv"})
    assert kept(compared, "json") == (COMPARISON_VERSION, stamp.etag, json_body.content)
    assert kept(compared, "csv") == (COMPARISON_VERSION, stamp.etag, csv_body.content)
    # Byte for byte what the API renders when nothing is kept.
    caches["comparison"].clear()
    assert as_lead.get(url(compared)).content == json_body.content


@pytest.mark.parametrize("format_", ["json", "csv"])
def test_a_viewer_who_sees_everything_is_sent_the_kept_bytes_without_the_dict(
    as_lead, compared, format_, django_assert_num_queries
):
    first = as_lead.get(url(compared), {"format": format_})
    caches["comparison"].delete(f"comparison:role:{compared.pk}")  # the dict: not needed
    # The ETag, what independent scoring hides from the lead, the audit event.
    with django_assert_num_queries(3):
        second = as_lead.get(url(compared), {"format": format_})
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert kept(compared, "data") is None  # nothing computed


def test_a_viewer_independent_scoring_hides_rows_from_never_gets_the_kept_bytes(
    compared, lead, recruiter
):
    ann = compared.applications.get(candidate__name="Ann")
    factories.make_interview(application=ann, focus=["software-engineering"], interviewers=[lead])
    ComparisonRefresh.objects.all().delete()
    as_recruiter = APIClient()
    as_recruiter.force_authenticate(recruiter)
    full = as_recruiter.get(url(compared))
    assert kept(compared, "json")[2] == full.content
    assert full.json()["candidates"][0]["score"] is not None

    as_lead = APIClient()
    as_lead.force_authenticate(lead)
    for format_ in ("json", "csv"):
        redacted = as_lead.get(url(compared), {"format": format_})
        assert redacted.content != kept(compared, format_)[2]
        assert redacted["ETag"] != as_recruiter.get(url(compared), {"format": format_})["ETag"]
    rows = {c["application"]: c for c in as_lead.get(url(compared)).json()["candidates"]}
    assert rows[ann.pk]["hidden"] is True and rows[ann.pk]["score"] is None


def test_what_older_code_kept_is_never_served_even_while_revalidating(as_lead, compared, bens_card):
    """After a deploy that bumps COMPARISON_VERSION, a copy kept by the older code may
    have another shape: it is computed again rather than served as the older copy."""
    before = as_lead.get(url(compared))
    stamp = comparison.comparison_stamp(compared.pk)
    for form, old in (("data", {"candidates": []}), ("json", b"{}"), ("csv", b"")):
        suffix = "" if form == "data" else f":{form}"
        caches["comparison"].set(
            f"comparison:role:{compared.pk}{suffix}", (COMPARISON_VERSION - 1, stamp.etag, old)
        )
    factories.submit(bens_card, score=2)  # a refresh is queued: older copies allowed
    after = as_lead.get(url(compared))
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert names(after) == ["Ann", "Ben"]


def test_an_indent_asked_for_is_rendered_for_the_request(as_lead, compared):
    compact = as_lead.get(url(compared))
    indented = as_lead.get(url(compared), HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "role"')
    assert indented.json() == compact.json()


def test_a_revision_queues_its_role_too(compared, alice):
    services.scorecard_revise(
        scorecard=alice.scorecards.get(),
        by=alice,
        reason="Misread my notes.",
        ratings=scores(concurrent_services=3),
    )
    assert ComparisonRefresh.objects.filter(role=compared).exists()


def test_while_the_refresh_is_queued_the_previous_copy_is_served_under_its_own_etag(
    as_lead, compared, bens_card
):
    before = as_lead.get(url(compared))
    factories.submit(bens_card, score=2)

    during = as_lead.get(url(compared))
    assert during["ETag"] == before["ETag"]  # what it shows, not the newer stamp
    assert during.content == before.content
    assert as_lead.get(url(compared), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304

    comparison.comparison_refresh_due()
    after = as_lead.get(url(compared), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert names(after) == ["Ann", "Ben"]


def test_a_previous_copy_served_while_revalidating_is_redacted_for_the_viewer_now(
    as_lead, lead, compared, bens_card
):
    """Independent scoring decides on the current state, also for an older copy: Ann's
    row, fully visible to the lead when it was cached, is hidden once the lead is on her
    panel with a draft, even while that older copy is what the cache serves."""
    before = as_lead.get(url(compared))
    assert before.json()["candidates"][0]["score"] is not None
    factories.submit(bens_card, score=2)  # the refresh is queued: stale copies allowed
    ann = compared.applications.get(candidate__name="Ann")
    factories.make_interview(application=ann, focus=["software-engineering"], interviewers=[lead])
    assert ComparisonRefresh.objects.filter(role=compared).exists()

    during = as_lead.get(url(compared))
    rows = {c["candidate"]["name"]: c for c in during.json()["candidates"]}
    assert not rows["Ben"]["hidden"] and rows["Ben"]["score"] is None  # the older copy
    assert rows["Ann"]["hidden"] is True
    assert rows["Ann"]["score"] is None and rows["Ann"]["competencies"] == []
    assert during.json()["agreement"]["alpha"] is None
    # Its own ETag: neither the full older copy's, nor a match for it.
    assert during["ETag"] != before["ETag"]
    assert as_lead.get(url(compared), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    assert as_lead.get(url(compared), HTTP_IF_NONE_MATCH=during["ETag"]).status_code == 304


def test_a_previous_copy_is_not_served_once_the_refresh_is_older_than_the_stale_limit(
    as_lead, compared, bens_card, settings
):
    before = as_lead.get(url(compared))
    factories.submit(bens_card, score=2)
    queued = ComparisonRefresh.objects.get(role=compared)
    queued.requested_at -= timedelta(seconds=settings.COMPARISON_STALE_SECONDS + 1)
    queued.save()
    now = as_lead.get(url(compared))
    assert now["ETag"] != before["ETag"]
    assert names(now) == ["Ann", "Ben"]


def test_with_the_stale_limit_at_zero_a_changed_comparison_is_computed_at_once(
    as_lead, compared, bens_card, settings
):
    settings.COMPARISON_STALE_SECONDS = 0
    before = as_lead.get(url(compared))
    factories.submit(bens_card, score=2)
    assert as_lead.get(url(compared))["ETag"] != before["ETag"]


def test_with_the_cache_off_nothing_is_queued_or_kept(compared, bens_card, settings):
    settings.COMPARISON_CACHE_SECONDS = 0
    factories.submit(bens_card, score=2)
    assert not ComparisonRefresh.objects.exists()
    result = comparison.comparison_for_role(compared)
    assert result.fresh
    assert all(kept(compared, form) is None for form in ("data", "json", "csv"))


def test_the_compare_page_reads_the_same_cached_read_model(client, lead, compared):
    client.force_login(lead)
    page = reverse("hiring:compare", args=[compared.pk])
    with CaptureQueriesContext(connection) as computed:
        assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        second = client.get(page)
    assert second.status_code == 200
    # The second view skips the comparison's four queries.
    assert len(cached) == len(computed) - 4
    assert second.context["data"] == comparison.role_comparison(compared)
